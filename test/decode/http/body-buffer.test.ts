// The bounded, reusable body buffer.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BodyBuffer } from "../../../src/decode/http/body-buffer.ts";

test("keeps bytes up to the bound, counts all, flags the cut", () => {
  const b = new BodyBuffer(10);
  b.reset();
  b.append(Buffer.from("hello world, more"), 0, 17);
  b.skip(3);
  assert.equal(Buffer.from(b.bytes()).toString(), "hello worl");
  assert.deepEqual([b.kept, b.total, b.truncated], [10, 20, true]);
  b.reset();
  assert.deepEqual([b.kept, b.total, b.truncated, b.bytes().length], [0, 0, false, 0]);
});

test("grows across many small appends and keeps their order", () => {
  const b = new BodyBuffer(1 << 20);
  b.reset();
  const src = Buffer.from(
    Array.from({ length: 10000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(""),
  );
  for (let i = 0; i < src.length; i += 7) b.append(src, i, Math.min(src.length, i + 7));
  assert.deepEqual(Buffer.from(b.bytes()), src);
});
