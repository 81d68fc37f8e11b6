// The batch format between the main thread and the detector worker: what a BatchWriter packs, readBatch
// replays exactly (the oracle is the list of calls generated here), batches fill up where they must, and a
// call the writer cannot have produced is refused rather than misread.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { BATCH_STRIDE, type BatchMessage, BatchWriter, readBatch } from "../../src/app/detect-batch.ts";
import type { PayloadChunk } from "../../src/decode/stream-decoder.ts";
import type { ConnId } from "../../src/model/conn.ts";
import { TRANSPORTS } from "../../src/model/destination.ts";

type Call = { op: "payload"; p: PayloadChunk; conn: ConnId } | { op: "end"; uid: string };

const conns: ConnId[] = [0, 1, 2].map((i) => ({
  ts: 1700000000.5 + i,
  uid: `Cuid${i}`,
  community_id: `1:cid${i}=`,
  orig_h: "10.0.0.2",
  orig_p: 40000 + i,
  resp_h: i === 2 ? "2001:db8::1" : "203.0.113.9",
  resp_p: 80,
}));

const payloadArb = fc.record(
  {
    conn: fc.constantFrom(...conns),
    layer: fc.constantFrom("http.uri", "http.header", "http.body", "raw.stream", "dns.query"),
    data: fc.uint8Array({ maxLength: 300 }),
    fromOrig: fc.boolean(),
    ts: fc.double({ min: 0, max: 2e9, noNaN: true }),
    frame: fc.nat({ max: 1e9 }),
    index: fc.nat({ max: 1000 }),
    transport: fc.constantFrom(...TRANSPORTS),
  },
  { requiredKeys: ["conn", "layer", "data", "fromOrig", "ts"] },
);

const callArb: fc.Arbitrary<Call> = fc.oneof(
  payloadArb.map(({ conn, ...rest }) => ({ op: "payload" as const, p: { uid: conn.uid, ...rest }, conn })),
  fc.constantFrom(...conns).map((c) => ({ op: "end" as const, uid: c.uid })),
);

/** Packs calls into as many batches as it takes (like the pool does), numbering calls from 1. */
function pack(calls: Call[], dataBytes: number, ops: number): BatchMessage[] {
  const out: BatchMessage[] = [];
  let first = 1;
  let w = new BatchWriter(new Float64Array(ops * BATCH_STRIDE), new Uint8Array(dataBytes));
  calls.forEach((c, i) => {
    const add = () => (c.op === "end" ? w.addEnd(c.uid) : w.addPayload(c.p, c.conn));
    if (add()) return;
    out.push(w.message(first));
    first = i + 1;
    const room = c.op === "payload" ? Math.max(dataBytes, c.p.data.length) : dataBytes;
    w = new BatchWriter(new Float64Array(ops * BATCH_STRIDE), new Uint8Array(room));
    assert.ok(add(), "a fresh batch takes any one call");
  });
  if (w.size > 0) out.push(w.message(first));
  return out;
}

/** Replays batches, copying bytes (views are valid during the call only). */
function replay(batches: BatchMessage[]): { call: Call; seq: number }[] {
  const got: { call: Call; seq: number }[] = [];
  for (const b of batches) {
    readBatch(b, {
      payload: (p, conn, seq) =>
        got.push({ call: { op: "payload", p: { ...p, data: p.data.slice() }, conn }, seq }),
      end: (uid, seq) => got.push({ call: { op: "end", uid }, seq }),
    });
  }
  return got;
}

test("every call comes back in order, numbered, with its fields and bytes", () => {
  fc.assert(
    fc.property(
      fc.array(callArb, { maxLength: 60 }),
      fc.integer({ min: 1, max: 600 }),
      fc.integer({ min: 1, max: 8 }),
      (calls, bytes, ops) => {
        const got = replay(pack(calls, bytes, ops));
        assert.deepEqual(
          got.map((g) => g.seq),
          calls.map((_, i) => i + 1),
        );
        assert.deepEqual(
          got.map((g) => g.call),
          calls,
        );
      },
    ),
    { numRuns: 2000 },
  );
});

test("absent optional fields stay absent (a detector spreading the chunk sees the same object)", () => {
  const p: PayloadChunk = {
    uid: "Cuid0",
    layer: "raw.stream",
    data: new Uint8Array([1, 2]),
    fromOrig: false,
    ts: 5,
  };
  const [g] = replay(pack([{ op: "payload", p, conn: conns[0] }], 16, 4));
  assert.deepEqual(Object.keys(g.call.op === "payload" ? g.call.p : {}).sort(), Object.keys(p).sort());
});

test("a batch is full at its byte room or at its call count", () => {
  const w = new BatchWriter(new Float64Array(2 * BATCH_STRIDE), new Uint8Array(10));
  const p = (n: number): PayloadChunk => ({
    uid: "Cuid0",
    layer: "x",
    data: new Uint8Array(n),
    fromOrig: true,
    ts: 0,
  });
  assert.equal(w.addPayload(p(11), conns[0]), false, "more bytes than the room");
  assert.equal(w.addPayload(p(6), conns[0]), true);
  assert.equal(w.addPayload(p(5), conns[0]), false, "6 + 5 > 10");
  assert.equal(w.addEnd("Cuid0"), true);
  assert.equal(w.addEnd("Cuid1"), false, "two calls at most");
  assert.equal(w.size, 2);
});

test("a call the writer cannot have produced is refused, not misread", () => {
  const [b] = pack(
    [
      {
        op: "payload",
        p: { uid: "Cuid0", layer: "x", data: new Uint8Array(4), fromOrig: true, ts: 1 },
        conn: conns[0],
      },
    ],
    8,
    2,
  );
  const noop = { payload: () => {}, end: () => {} };
  const bad = (edit: (m: Float64Array) => void) => {
    const meta = b.meta.slice();
    edit(meta);
    return () => readBatch({ ...b, meta }, noop);
  };
  assert.throws(
    bad((m) => (m[0] = 7)),
    /malformed call 1/,
  );
  assert.throws(
    bad((m) => (m[1] = 99)),
    /malformed call 1/,
  );
  assert.throws(
    bad((m) => (m[10] = 100)),
    /malformed call 1/,
    "bytes beyond the data buffer",
  );
  assert.throws(
    bad((m) => (m[8] = 5)),
    /malformed call 1/,
    "no such connection",
  );
});
