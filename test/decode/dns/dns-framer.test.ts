// TCP framing of DNS (RFC 1035 §4.2.2): two-byte length prefixes, any segmentation, whole messages in place.

import assert from "node:assert/strict";
import { test } from "node:test";
import { DnsTcpFramer } from "../../../src/decode/dns/dns-framer.ts";
import { cat } from "../decode-helpers.ts";
import { framed } from "./dns-harness.ts";

function message(n: number, fill: number): Uint8Array {
  return new Uint8Array(n).fill(fill);
}

function feed(chunks: Uint8Array[]): { msgs: number[][]; ok: boolean; f: DnsTcpFramer } {
  const f = new DnsTcpFramer();
  const msgs: number[][] = [];
  let ok = true;
  for (const c of chunks) {
    ok = f.push(c, (b, off, end) => {
      msgs.push([end - off, b[off], b[end - 1]]);
      return true;
    });
    if (!ok) break;
  }
  return { msgs, ok, f };
}

const STREAM = cat(framed(message(12, 1)), framed(message(300, 2)), framed(message(20, 3)));
const EXPECTED = [
  [12, 1, 1],
  [300, 2, 2],
  [20, 3, 3],
];

test("all messages in one chunk", () => {
  const { msgs, ok, f } = feed([STREAM]);
  assert.deepEqual(msgs, EXPECTED);
  assert.equal(ok, true);
  assert.equal(f.holding, false);
});

test("one byte at a time", () => {
  const chunks = Array.from(STREAM, (b) => Uint8Array.of(b));
  assert.deepEqual(feed(chunks).msgs, EXPECTED);
});

test("every split point of the stream gives the same messages", () => {
  for (let i = 1; i < STREAM.length; i++) {
    assert.deepEqual(feed([STREAM.subarray(0, i), STREAM.subarray(i)]).msgs, EXPECTED, `split at ${i}`);
  }
});

test("a prefix below the header size stops the stream and is reported", () => {
  const { msgs, ok, f } = feed([cat(framed(message(12, 1)), Uint8Array.of(0, 11))]);
  assert.deepEqual(msgs, [[12, 1, 1]]);
  assert.equal(ok, false);
  assert.equal(f.badLength, 11);
});

test("holding and reset: part of a message is held until reset", () => {
  const f = new DnsTcpFramer();
  f.push(framed(message(50, 1)).subarray(0, 30), () => true);
  assert.deepEqual([f.holding, f.held], [true, 28]);
  f.reset();
  assert.equal(f.holding, false);
});

test("the sink can stop the stream", () => {
  const f = new DnsTcpFramer();
  let n = 0;
  assert.equal(
    f.push(STREAM, () => {
      n++;
      return false;
    }),
    false,
  );
  assert.equal(n, 1);
});
