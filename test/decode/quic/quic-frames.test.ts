import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { walkInitialFrames } from "../../../src/decode/quic/quic-frames.ts";
import { CLIENT_CRYPTO_FRAME, SERVER_PAYLOAD, tohex, unhex } from "./rfc-samples.ts";

interface Seen {
  crypto: [number, string][];
  close: [number, boolean][];
}

function walk(payload: Uint8Array) {
  const seen: Seen = { crypto: [], close: [] };
  const res = walkInitialFrames(payload, {
    crypto: (offset, data) => seen.crypto.push([offset, tohex(data)]),
    close: (code, app) => seen.close.push([code, app]),
  });
  return { res, seen };
}

test("RFC 9001 §A.2 client payload: one CRYPTO frame at offset 0 of 241 bytes, then PADDING", () => {
  const payload = new Uint8Array(1162);
  const frame = unhex(CLIENT_CRYPTO_FRAME);
  payload.set(frame);
  const { res, seen } = walk(payload);
  assert.equal(res.status, "ok");
  // 06 (CRYPTO) 00 (offset 0) 40f1 (length 241) then the ClientHello handshake message (01 0000ed ...).
  assert.equal(seen.crypto.length, 1);
  assert.equal(seen.crypto[0][0], 0);
  assert.equal(seen.crypto[0][1], tohex(frame.subarray(4)));
  assert.equal(seen.crypto[0][1].slice(0, 8), "010000ed");
});

test("RFC 9001 §A.3 server payload: ACK, then a CRYPTO frame carrying the 90-byte ServerHello", () => {
  const { res, seen } = walk(unhex(SERVER_PAYLOAD));
  assert.equal(res.status, "ok");
  // 02 00 00 00 00 = ACK largest 0, delay 0, 0 ranges, first range 0; 06 00 405a = CRYPTO offset 0, 90 bytes.
  assert.equal(seen.crypto.length, 1);
  assert.equal(seen.crypto[0][0], 0);
  assert.equal(seen.crypto[0][1].length, 90 * 2);
  assert.equal(seen.crypto[0][1].slice(0, 8), "02000056");
});

test("PING, ACK with ranges and ECN counts, and CONNECTION_CLOSE of both kinds are understood", () => {
  // 01 PING; 03 ACK-ECN: largest 10, delay 0, 1 range, first 2, (gap 1, len 1), ECN 0 0 0;
  // 1c CLOSE: error 0x0a, frame type 06, reason "x"; 1d CLOSE: error 0, reason "".
  const p = unhex("01 03 0a 00 01 02 01 01 00 00 00 1c 0a 06 01 78 1d 00 00 06 05 02 6869");
  const { res, seen } = walk(p);
  assert.equal(res.status, "ok");
  assert.deepEqual(seen.close, [
    [10, false],
    [0, true],
  ]);
  assert.deepEqual(seen.crypto, [[5, "6869"]]);
});

test("a STREAM frame in an Initial stops the walk as unexpected; a cut CRYPTO frame as truncated", () => {
  const u = walk(unhex("01 08 00 00"));
  assert.deepEqual(u.res, { status: "unexpected", frameType: 8, at: 1 });
  const t = walk(unhex("06 00 10 aabb"));
  assert.deepEqual(t.res, { status: "truncated", frameType: 6, at: 0 });
  assert.equal(t.seen.crypto.length, 0);
  const a = walk(unhex("02 00 00 7f ff"));
  assert.equal(a.res.status, "truncated", "an ACK claiming 16383 ranges in 2 bytes");
  const v = walk(unhex("40"));
  assert.equal(v.res.status, "truncated", "a frame type varint cut short");
});

test("property: the walk never throws and never reports data outside the payload", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (p) => {
      let total = 0;
      walkInitialFrames(p, {
        crypto: (_o, d) => {
          total += d.length;
        },
        close: () => {},
      });
      assert.ok(total <= p.length);
    }),
    { numRuns: 10000 },
  );
});
