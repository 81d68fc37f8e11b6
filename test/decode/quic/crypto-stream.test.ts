import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CryptoStream, MAX_CRYPTO_RANGES } from "../../../src/decode/quic/crypto-stream.ts";

/** A handshake message: type, 24-bit length, body bytes 0, 1, 2 ... */
function message(type: number, bodyLen: number): Uint8Array {
  const m = new Uint8Array(4 + bodyLen);
  m.set([type, bodyLen >> 16, (bodyLen >> 8) & 0xff, bodyLen & 0xff]);
  for (let i = 0; i < bodyLen; i++) m[4 + i] = i & 0xff;
  return m;
}

test("in-order frames complete the first message exactly when its last byte arrives", () => {
  const m = message(1, 1000);
  const cs = new CryptoStream();
  assert.equal(cs.write(0, m.subarray(0, 600)), "ok");
  assert.equal(cs.message(), undefined);
  assert.equal(cs.missing(), 404);
  assert.equal(cs.write(600, m.subarray(600)), "ok");
  assert.deepEqual(cs.message(), m);
  assert.equal(cs.messageType(), 1);
  assert.equal(cs.missing(), 0);
});

test("shuffled, repeated and overlapping frames (Chrome's split ClientHello) reassemble", () => {
  const m = message(1, 1800);
  const cuts = [0, 5, 300, 301, 900, 1500, 1804];
  const pieces: [number, number][] = [];
  for (let i = 0; i + 1 < cuts.length; i++) pieces.push([cuts[i], cuts[i + 1]]);
  const order = [3, 5, 1, 4, 0, 2];
  const cs = new CryptoStream();
  for (const i of order) {
    const [s, e] = pieces[i];
    assert.equal(cs.write(s, m.subarray(s, e)), "ok");
    assert.equal(cs.write(Math.max(0, s - 2), m.subarray(Math.max(0, s - 2), e)), "ok", "overlapping resend");
  }
  assert.deepEqual(cs.message(), m);
});

test("bytes after the first message are ignored; a message over the limit is refused", () => {
  const m = message(2, 10);
  const cs = new CryptoStream();
  const both = new Uint8Array(m.length + 20).fill(0xee);
  both.set(m);
  assert.equal(cs.write(0, both), "ok");
  assert.deepEqual(cs.message(), m);
  const big = new CryptoStream(1000);
  assert.equal(big.write(0, message(1, 2000).subarray(0, 100)), "too_large");
  assert.equal(big.message(), undefined);
  assert.equal(new CryptoStream(1000).write(5000, new Uint8Array(10)), "too_large");
});

test("too many disjoint pieces are refused rather than tracked without bound", () => {
  const cs = new CryptoStream();
  let res = "ok";
  for (let i = 0; i <= MAX_CRYPTO_RANGES && res === "ok"; i++) res = cs.write(10 + i * 3, new Uint8Array(1));
  assert.equal(res, "too_fragmented");
  assert.equal(cs.missing(), -1, "the header never arrived");
});

test("property: any split and order of a message reassembles it", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3000 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.array(fc.nat()),
      (len, rawCuts, rawOrder) => {
        const m = message(1, len);
        const cuts = [...new Set([0, m.length, ...rawCuts.map((c) => c % m.length)])].sort((a, b) => a - b);
        const pieces = cuts.slice(1).map((e, i) => [cuts[i], e]);
        const order = pieces.map((_, i) => i);
        rawOrder.forEach((r, i) => {
          const j = r % order.length;
          [order[i % order.length], order[j]] = [order[j], order[i % order.length]];
        });
        const cs = new CryptoStream();
        for (const i of order)
          assert.equal(cs.write(pieces[i][0], m.subarray(pieces[i][0], pieces[i][1])), "ok");
        assert.deepEqual(cs.message(), m);
      },
    ),
    { numRuns: 2000 },
  );
});
