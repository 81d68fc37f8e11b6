import assert from "node:assert/strict";
import { test } from "node:test";
import { rawStreamConsumer } from "../../../src/decode/raw/raw-stream.ts";
import type { PayloadChunk } from "../../../src/decode/stream-decoder.ts";

const ctx = {
  ts: 0,
  uid: "Craw",
  community_id: "",
  orig_h: "a",
  orig_p: 1,
  resp_h: "b",
  resp_p: 2,
  proto: "tcp" as const,
};

test("raw streams are handed on up to the bound per direction, then the consumer asks for no more", () => {
  const got: PayloadChunk[] = [];
  const c = rawStreamConsumer(ctx, { record: () => {}, weird: () => {}, payload: (p) => got.push(p) }, 10);
  assert.equal(c.data(true, new Uint8Array(6).fill(1), 0, 1), undefined);
  assert.equal(c.data(true, new Uint8Array(6).fill(2), 0, 2), undefined); // orig cut at 10, resp still open
  assert.equal(c.data(false, new Uint8Array(20).fill(3), 0, 3), false); // both directions full
  assert.deepEqual(
    got.map((p) => [p.fromOrig, p.data.length, p.layer, p.uid]),
    [
      [true, 6, "raw.stream", "Craw"],
      [true, 4, "raw.stream", "Craw"],
      [false, 10, "raw.stream", "Craw"],
    ],
  );
});
