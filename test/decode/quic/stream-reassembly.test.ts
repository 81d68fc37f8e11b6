import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type StreamLimits, StreamReassembler } from "../../../src/decode/quic/stream-reassembly.ts";

/** A reassembler that records what it hands on, per stream. */
function collect(limits?: StreamLimits) {
  const data = new Map<number, number[]>();
  const events: string[] = [];
  const r = new StreamReassembler(
    {
      data: (id, b) => {
        data.set(id, [...(data.get(id) ?? []), ...b]);
        events.push(`data ${id} ${b.length}`);
      },
      fin: (id) => events.push(`fin ${id}`),
      reset: (id) => events.push(`reset ${id}`),
    },
    limits,
  );
  return { r, data, events };
}

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));
const text = (n: number[] | undefined) => Buffer.from(n ?? []).toString("latin1");

test("out of order, duplicated and overlapping frames come out once, in order, then FIN", () => {
  const { r, data, events } = collect();
  assert.equal(r.write(0, 6, bytes("world"), true), "ok");
  assert.equal(r.write(0, 3, bytes("lo wo"), false), "ok"); // overlaps the held segment
  assert.deepEqual(events, []);
  assert.equal(r.write(0, 0, bytes("hel"), false), "ok");
  assert.equal(r.write(0, 0, bytes("hello"), false), "ok"); // retransmission of delivered bytes
  assert.equal(text(data.get(0)), "hello world");
  assert.equal(events.at(-1), "fin 0");
  assert.equal(r.pendingBytes, 0);
  // A retransmission after FIN is not a new stream.
  assert.equal(r.write(0, 0, bytes("hello world"), true), "ok");
  assert.equal(text(data.get(0)), "hello world");
  assert.equal(events.filter((e) => e === "fin 0").length, 1);
});

test("a FIN without data, and a RESET_STREAM, end streams; data after a reset is ignored", () => {
  const { r, data, events } = collect();
  r.write(4, 0, bytes("abc"), false);
  r.write(4, 3, new Uint8Array(0), true);
  r.write(8, 5, bytes("late"), false);
  r.reset(8);
  r.write(8, 0, bytes("early"), false);
  assert.deepEqual(events, ["data 4 3", "fin 4", "reset 8"]);
  assert.equal(data.get(8), undefined);
});

test("bounds: bytes waiting per stream and per connection, and the number of streams", () => {
  const limits = { maxStreams: 2, maxPendingPerStream: 10, maxPendingTotal: 15 };
  const { r } = collect(limits);
  assert.equal(r.write(0, 100, new Uint8Array(10), false), "ok");
  assert.equal(r.write(0, 200, new Uint8Array(1), false), "too_large");
  assert.equal(r.write(4, 100, new Uint8Array(6), false), "too_large"); // 10 + 6 > 15
  assert.equal(r.write(4, 100, new Uint8Array(5), false), "ok");
  assert.equal(r.write(8, 0, new Uint8Array(1), false), "too_many_streams");
  // A finished stream makes room.
  r.write(4, 0, new Uint8Array(105), true);
  assert.equal(r.write(8, 0, new Uint8Array(1), false), "ok");
});

test("property: any split, order and repetition of a stream's frames gives back the stream", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 200 }),
      fc.array(fc.tuple(fc.nat(199), fc.nat(60)), { maxLength: 20 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      (stream, cuts, order) => {
        const { r, data, events } = collect();
        // Frames: the pieces between sorted cut points, plus random extra overlapping pieces.
        const points = [...new Set([0, stream.length, ...cuts.map(([c]) => c % stream.length)])].sort(
          (a, b) => a - b,
        );
        const frames: [number, number][] = [];
        for (let i = 0; i + 1 < points.length; i++) frames.push([points[i], points[i + 1]]);
        for (const [c, len] of cuts)
          frames.push([c % stream.length, Math.min(stream.length, (c % stream.length) + len)]);
        const shuffled = frames.map((f, i) => ({ f, k: order[i] ?? i })).sort((a, b) => a.k - b.k);
        for (const { f } of shuffled) r.write(0, f[0], stream.subarray(f[0], f[1]), f[1] === stream.length);
        assert.deepEqual(data.get(0), [...stream]);
        assert.equal(events.at(-1), "fin 0");
      },
    ),
    { numRuns: 10000 },
  );
});
