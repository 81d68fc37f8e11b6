// Frame header fields (RFC 9113 §4.1) and the padding rules of DATA / HEADERS / PUSH_PROMISE (§6.1, §6.2).

import assert from "node:assert/strict";
import { test } from "node:test";
import { errorName, frameName, readFrameHeader, unpad } from "../../../src/decode/http2/http2-frames.ts";

test("header: 24-bit length, type, flags, 31-bit stream id with the reserved bit dropped", () => {
  const h = readFrameHeader(Uint8Array.from([0x01, 0x02, 0x03, 0x01, 0x25, 0xff, 0xff, 0xff, 0xff]), 0);
  assert.deepEqual(h, { length: 0x010203, type: 1, flags: 0x25, streamId: 0x7fffffff });
});

test("unpad: plain, padded, with fixed fields; pad length as long as the payload is an error", () => {
  const h = (flags: number) => ({ length: 0, type: 0, flags, streamId: 1 });
  assert.deepEqual(unpad(h(0), Uint8Array.from([1, 2, 3]), 0), { start: 0, end: 3 });
  // Pad Length 2, content [9], padding [0, 0].
  assert.deepEqual(unpad(h(0x8), Uint8Array.from([2, 9, 0, 0]), 0), { start: 1, end: 2 });
  // Padded HEADERS with 5 priority bytes, no content, no padding.
  assert.deepEqual(unpad(h(0x8), Uint8Array.from([0, 0, 0, 0, 0, 16]), 5), { start: 6, end: 6 });
  assert.equal(
    (unpad(h(0x8), Uint8Array.from([4, 1, 2, 3]), 0) as { name: string }).name,
    "http2_bad_padding",
  );
  // Pad Length 3 in a 4-byte payload: all padding, no content, still valid.
  assert.deepEqual(unpad(h(0x8), Uint8Array.from([3, 0, 0, 0]), 0), { start: 1, end: 1 });
  assert.equal((unpad(h(0x8), new Uint8Array(0), 0) as { name: string }).name, "http2_bad_padding");
  assert.equal((unpad(h(0), Uint8Array.from([1, 2]), 5) as { name: string }).name, "http2_bad_frame_size");
});

test("names of frame types and error codes; unknown ones by number", () => {
  assert.equal(frameName(9), "CONTINUATION");
  assert.equal(frameName(0x10), "type 16");
  assert.equal(errorName(8), "CANCEL");
  assert.equal(errorName(0xd), "HTTP_1_1_REQUIRED");
  assert.equal(errorName(0x1f), "0x1f");
});
