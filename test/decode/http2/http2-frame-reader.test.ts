// The frame reader: the client preface, frames whole or split anywhere, the SETTINGS-first rule, frames over
// the receiver's SETTINGS_MAX_FRAME_SIZE skipped without being buffered.

import assert from "node:assert/strict";
import { test } from "node:test";
import { FrameReader } from "../../../src/decode/http2/http2-frame-reader.ts";
import type { FrameHeader } from "../../../src/decode/http2/http2-frames.ts";
import { data, frame, PREFACE, settings, T } from "../../helpers/http2-builder.ts";

function reader() {
  const seen: string[] = [];
  const r = new FrameReader({
    frame: (h: FrameHeader, p: Uint8Array) =>
      seen.push(`${h.type}/${h.flags}/${h.streamId}:${Buffer.from(p).toString("latin1")}`),
    badPreface: (d) => seen.push(`bad preface: ${d}`),
    tooLarge: (h, max) => seen.push(`too large: ${h.length} > ${max}`),
  });
  return { r, seen };
}

const bytes = Buffer.concat([
  Buffer.from(PREFACE, "latin1"),
  settings(),
  data(1, "hello", { end: true }),
  frame(0xee, 0x0f, 0x7fffffff, Buffer.from("ext")),
]);
const expected = ["4/0/0:", "0/1/1:hello", "238/15/2147483647:ext"];

test("preface then frames, whole or in pieces of every size", () => {
  for (const size of [bytes.length, 1, 2, 3, 7, 9, 10, 24, 25]) {
    const { r, seen } = reader();
    for (let off = 0; off < bytes.length; off += size) r.push(bytes.subarray(off, off + size), 0, off + 1);
    assert.deepEqual(seen, expected, `pieces of ${size}`);
    assert.equal(r.sawPreface, true);
  }
});

test("the server side starts with SETTINGS (no preface); the reserved bit of the stream id is ignored", () => {
  const { r, seen } = reader();
  const reserved = frame(T.DATA, 0, 1, Buffer.from("x"));
  reserved[5] |= 0x80;
  r.push(Buffer.concat([settings(), reserved]), 0, 1);
  assert.deepEqual(seen, ["4/0/0:", "0/0/1:x"]);
  assert.equal(r.sawPreface, false);
});

test("a bad preface, or a first frame other than SETTINGS, stops the direction", () => {
  const a = reader();
  a.r.push(Buffer.from("PRI * HTTP/1.1\r\n", "latin1"), 0, 1);
  assert.match(a.seen[0], /bad preface: byte 11/);
  assert.equal(a.r.dead, true);
  const b = reader();
  b.r.push(Buffer.concat([data(1, "x"), settings()]), 0, 1);
  assert.deepEqual(b.seen, ["bad preface: first frame is DATA on stream 1, not SETTINGS"]);
  const c = reader();
  c.r.push(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "latin1"), 0, 1);
  assert.equal(c.r.dead, true);
});

test("frames over the limit are reported and skipped, across pieces; a raised limit admits them", () => {
  const big = data(1, "z".repeat(20000));
  const after = data(3, "after");
  const { r, seen } = reader();
  r.push(settings(), 0, 1);
  const rest = Buffer.concat([big, after]);
  for (let off = 0; off < rest.length; off += 1000) r.push(rest.subarray(off, off + 1000), 0, 2);
  assert.deepEqual(seen, ["4/0/0:", "too large: 20000 > 16384", "0/0/3:after"]);
  r.maxFrameSize = 32768;
  r.push(big, 0, 3);
  assert.equal(seen.length, 4);
  assert.equal(seen[3].length, "0/0/1:".length + 20000);
});

test("startFrame is the packet where the current frame began", () => {
  const frames: number[] = [];
  const r = new FrameReader({ frame: () => frames.push(r.startFrame), badPreface() {}, tooLarge() {} });
  const two = Buffer.concat([settings(), data(1, "abcdef")]);
  r.push(two.subarray(0, 12), 0, 7);
  r.push(two.subarray(12), 0, 8);
  assert.deepEqual(frames, [7, 7]);
  r.push(data(1, "x").subarray(0, 4), 0, 9);
  r.push(data(1, "x").subarray(4), 0, 10);
  assert.deepEqual(frames, [7, 7, 9]);
});
