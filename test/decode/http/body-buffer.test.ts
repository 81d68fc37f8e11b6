// The bounded, reusable body buffer.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BODY_BUDGET,
  BodyBuffer,
  bodyBytesHeld,
  FREE_PER_BODY,
} from "../../../src/decode/http/body-buffer.ts";

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

test("a declared length reserves at most 64 KiB up front; the body still arrives whole as it grows", () => {
  const before = process.memoryUsage().arrayBuffers;
  const bodies = Array.from({ length: 20 }, () => new BodyBuffer(8 << 20));
  for (const b of bodies) b.reset(8 << 20);
  const reserved = process.memoryUsage().arrayBuffers - before;
  assert.ok(reserved <= 20 * 64 * 1024, `${reserved} bytes reserved for 20 announced 8 MiB bodies`);
  const src = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 13) & 0xff));
  for (let i = 0; i < src.length; i += 1460) bodies[0].append(src, i, Math.min(src.length, i + 1460));
  assert.deepEqual(Buffer.from(bodies[0].bytes()), src);
  for (const b of bodies) b.release();
});

test("bodies in progress share one budget: past it each keeps its free share and is marked truncated", () => {
  const start = bodyBytesHeld();
  const body = BODY_BUDGET / 8; // each body a power of two, eight of them the whole budget
  const chunk = Buffer.alloc(body / 4, 0x61);
  const bodies = Array.from({ length: 40 }, () => new BodyBuffer(body * 2));
  for (const b of bodies) {
    b.reset();
    for (let i = 0; i < 4; i++) b.append(chunk, 0, chunk.length); // 40 bodies: five times the budget wanted
  }
  const held = bodyBytesHeld() - start;
  assert.ok(held <= BODY_BUDGET + 40 * FREE_PER_BODY, `${held} bytes held`);
  // Earlier tests may still hold a little of the budget.
  const fit = Math.floor((BODY_BUDGET - start) / body) - 1;
  assert.ok(fit >= 1 && fit < 40, "the test wants more than the budget");
  assert.ok(
    bodies.slice(0, fit).every((b) => !b.truncated && b.kept === body),
    "the first bodies fit whole",
  );
  const cut = bodies.filter((b) => b.truncated);
  assert.ok(cut.length >= 40 - fit - 2, `${cut.length} bodies cut`);
  for (const b of cut) assert.ok(b.kept >= Math.min(FREE_PER_BODY, body) && b.total === body);
  for (const b of bodies) b.release();
  assert.equal(bodyBytesHeld(), start, "release gives every byte back to the budget");
  const again = new BodyBuffer(body * 2);
  again.reset();
  for (let i = 0; i < 4; i++) again.append(chunk, 0, chunk.length);
  assert.equal(again.truncated, false, "the budget is free again");
  again.release();
});
