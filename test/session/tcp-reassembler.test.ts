import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { StreamConsumer } from "../../src/session/stream-consumer.ts";
import {
  MAX_SEGMENTS,
  REASM_AFTER_FIN,
  REASM_BUFFER_LIMIT,
  REASM_OVERLAP_MISMATCH,
  type ReassemblyBudget,
  TcpReassembler,
} from "../../src/session/tcp-reassembler.ts";

/** A consumer that lays bytes out by stream position; gaps are -1. */
function collector() {
  const out: number[] = [];
  const views: Uint8Array[] = [];
  const c: StreamConsumer = {
    data: (_o, b) => {
      views.push(b);
      out.push(...b);
      return undefined;
    },
    gap: (_o, len) => out.push(...new Array<number>(len).fill(-1)),
    end: () => {},
  };
  return { c, out, views };
}

const bytes = (s: string) => new TextEncoder().encode(s);

test("rel() maps sequence numbers across the 2^32 wrap and past 4 GiB", () => {
  const r = new TcpReassembler(undefined, true, 1024);
  r.start(0xfffffff0);
  assert.equal(r.rel(0xfffffff0), 0);
  assert.equal(r.rel(0x10), 0x20);
  assert.equal(r.rel(0xffffffe0), -16);
  r.next = 2 ** 32 + 5; // 4 GiB delivered: the sequence space has wrapped once
  assert.equal(r.rel((0xfffffff0 + 5) >>> 0), 2 ** 32 + 5);
  assert.equal(r.rel((0xfffffff0 + 105) >>> 0), 2 ** 32 + 105);
});

test("in-order data is handed on as a view of the packet; held data is a private copy", () => {
  const { c, out, views } = collector();
  const r = new TcpReassembler(c, true, 1024);
  const pkt = bytes("xxABCDxx");
  r.add(0, pkt, 2, 4, 4, 0, 1);
  assert.equal(views[0].buffer, pkt.buffer);
  const later = bytes("EFGH");
  r.add(6, later, 0, 2, 2, 0, 3);
  later.fill(0x21); // the capture reader reuses its buffer
  r.add(4, bytes("EF"), 0, 2, 2, 0, 2);
  assert.equal(new TextDecoder().decode(new Uint8Array(out)), "ABCDEFEF");
  assert.equal(r.held, 0);
});

test("a conflicting overlap keeps the first bytes and is flagged", () => {
  const { c, out } = collector();
  const r = new TcpReassembler(c, true, 1024);
  assert.equal(r.add(3, bytes("def"), 0, 3, 3, 0, 1), 0);
  assert.equal(r.add(2, bytes("cXef"), 0, 4, 4, 0, 2), REASM_OVERLAP_MISMATCH);
  assert.equal(r.add(0, bytes("ab"), 0, 2, 2, 0, 3), 0);
  assert.equal(new TextDecoder().decode(new Uint8Array(out)), "abcdef");
});

test("FIN ends the stream: later bytes are cut and flagged, flush gaps up to the FIN", () => {
  const { c, out } = collector();
  const r = new TcpReassembler(c, true, 1024);
  r.add(0, bytes("ab"), 0, 2, 2, 0, 1);
  r.setFin(5);
  assert.equal(r.done, false);
  assert.equal(r.add(4, bytes("efg"), 0, 3, 3, 0, 2), REASM_AFTER_FIN);
  r.flush();
  assert.deepEqual(out, [0x61, 0x62, -1, -1, 0x65]);
  assert.equal(r.done, true);
  assert.equal(r.missed, 2);
  assert.equal(r.high, 5);
});

test("the shared budget bounds held bytes across reassemblers and is returned on delivery", () => {
  const budget: ReassemblyBudget = { used: 0, max: 10 };
  const a = collector();
  const b = collector();
  const ra = new TcpReassembler(a.c, true, 100, budget);
  const rb = new TcpReassembler(b.c, true, 100, budget);
  assert.equal(ra.add(5, bytes("aaaaaaaa"), 0, 8, 8, 0, 1), 0);
  assert.equal(budget.used, 8);
  assert.equal(rb.add(5, bytes("bbbb"), 0, 4, 4, 0, 2), REASM_BUFFER_LIMIT);
  assert.equal(budget.used, 8);
  assert.deepEqual(b.out.slice(0, 5), [-1, -1, -1, -1, -1]);
  ra.flush();
  assert.equal(budget.used, 0);
});

test("without a consumer only ranges are kept, and their number is bounded", () => {
  const r = new TcpReassembler(undefined, true, 1 << 20);
  const one = new Uint8Array(1);
  for (let i = 0; i < 3 * MAX_SEGMENTS; i++) {
    assert.equal(r.add(2 * i + 1, one, 0, 1, 1, 0, i), 0);
    assert.ok(r.pending <= 2 * MAX_SEGMENTS);
  }
  assert.equal(r.held, 0);
  r.flush();
  assert.equal(r.missed, 3 * MAX_SEGMENTS);
  assert.equal(r.next, 6 * MAX_SEGMENTS);
});

test("detach flushes and later segments are only counted", () => {
  const { c, out } = collector();
  const r = new TcpReassembler(c, true, 1024);
  r.add(2, bytes("cd"), 0, 2, 2, 0, 1);
  r.detach();
  r.add(4, bytes("ef"), 0, 2, 2, 0, 2);
  assert.deepEqual(out, [-1, -1, 0x63, 0x64]);
  assert.equal(r.high, 6);
});

const segmentsArb = fc
  .record({
    payload: fc.uint8Array({ minLength: 1, maxLength: 200 }),
    cuts: fc.array(fc.nat(), { maxLength: 16 }),
    extras: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
    capCut: fc.array(fc.nat(), { maxLength: 4 }),
    maxHeld: fc.oneof(fc.constant(1 << 20), fc.integer({ min: 0, max: 64 })),
  })
  .chain((r) => {
    const len = r.payload.length;
    const points = [...new Set([0, len, ...r.cuts.map((c) => c % len)])].sort((a, b) => a - b);
    const segs: [number, number][] = [];
    for (let i = 1; i < points.length; i++) segs.push([points[i - 1], points[i]]);
    for (const [a, b] of r.extras) segs.push([a % len, (a % len) + 1 + (b % (len - (a % len)))]);
    return fc.tuple(fc.constant(r), fc.shuffledSubarray(segs, { minLength: segs.length }));
  });

test("property: every delivered byte sits at its stream position; nothing lost means no gaps", () => {
  fc.assert(
    fc.property(segmentsArb, ([r, segs]) => {
      const { c, out } = collector();
      const re = new TcpReassembler(c, true, r.maxHeld);
      for (const [s, e] of segs) re.add(s, r.payload, s, e - s, e - s, 0, 1);
      re.flush();
      assert.equal(out.length, r.payload.length);
      out.forEach((b, i) => {
        if (b !== -1) assert.equal(b, r.payload[i], `byte ${i}`);
      });
      assert.equal(re.missed, out.filter((b) => b === -1).length);
      assert.equal(re.held, 0);
      if (r.maxHeld >= r.payload.length) assert.ok(!out.includes(-1));
    }),
    { numRuns: 10_000 },
  );
});

test("property: snaplen-cut segments leave gaps only where bytes were not captured", () => {
  fc.assert(
    fc.property(segmentsArb, fc.nat(), ([r, segs], cutSeed) => {
      const { c, out } = collector();
      const re = new TcpReassembler(c, true, 1 << 20);
      const captured = new Array<boolean>(r.payload.length).fill(false);
      segs.forEach(([s, e], i) => {
        const cap = i % 3 === 0 ? (cutSeed + i) % (e - s + 1) : e - s;
        re.add(s, r.payload, s, cap, e - s, 0, 1);
        for (let k = s; k < s + cap; k++) captured[k] = true;
      });
      re.flush();
      assert.equal(out.length, r.payload.length);
      out.forEach((b, i) => {
        if (b !== -1) assert.equal(b, r.payload[i]);
      });
      // Bytes never captured in any copy must be gaps.
      captured.forEach((got, i) => {
        if (!got) assert.equal(out[i], -1, `byte ${i} was never captured`);
      });
    }),
    { numRuns: 10_000 },
  );
});
