// The plaintext inside the TLS benchmark connections: record-sized fragments rebuild the message, and a
// planted request turned into HTTP/2 frames still has each identifier at the byte range its plant names.

import assert from "node:assert/strict";
import { test } from "node:test";
import { inflateRawSync } from "node:zlib";
import fc from "fast-check";
import { plantedRequest } from "../../bench/gen-plants.ts";
import { fragments, H2Conn, plain } from "../../bench/gen-tls-http.ts";
import { MAX_FRAGMENT } from "../../bench/gen-tls-records.ts";
import { PREFACE } from "../helpers/http2-builder.ts";
import { Prng } from "../helpers/traffic-synth.ts";

test("fragments are at most 2^14 bytes and join back into the message", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 40000 }), { maxLength: 6 }), (sizes) => {
      const parts = sizes.map((n, i) => new Uint8Array(n).fill(i + 1));
      const msg = plain(parts);
      const frags = [...fragments(msg)];
      assert.ok(frags.every(([pieces, n]) => n <= MAX_FRAGMENT && n === plain(pieces).length && n > 0));
      const joined = Buffer.concat(frags.flatMap(([pieces]) => pieces));
      assert.deepEqual(joined, Buffer.concat(parts));
    }),
    { numRuns: 300 },
  );
});

/** The frames after the preface: [type, flags, stream, payload]; fails unless they fill the bytes exactly. */
function frames(b: Buffer): [number, number, number, Buffer][] {
  const out: [number, number, number, Buffer][] = [];
  let off = b.subarray(0, PREFACE.length).toString("latin1") === PREFACE ? PREFACE.length : 0;
  while (off < b.length) {
    const len = b.readUIntBE(off, 3);
    assert.ok(off + 9 + len <= b.length, "frame fits");
    out.push([b[off + 3], b[off + 4], b.readUInt32BE(off + 5), b.subarray(off + 9, off + 9 + len)]);
    off += 9 + len;
  }
  return out;
}

test("planted requests as HTTP/2: each value at its plant's range; preface first, odd streams", () => {
  for (let seed = 1; seed <= 60; seed++) {
    const rng = new Prng(seed);
    const h2 = new H2Conn();
    for (let round = 0; round < 2; round++) {
      const req = plantedRequest(rng, "api.account.xiaomi.com");
      const msg = h2.request(req.bytes, req.plants);
      const b = Buffer.concat(msg.parts);
      assert.equal(b.length, msg.length);
      assert.equal(
        b.subarray(0, 3).toString() === "PRI",
        round === 0,
        "the preface opens the connection only",
      );
      const headers = frames(b).filter(([type]) => type === 1);
      assert.deepEqual(
        headers.map(([, , stream]) => stream),
        [1 + 2 * round],
      );
      for (const p of msg.plants ?? []) {
        const span = b.subarray(p.start, p.end);
        if (p.transform.startsWith("gzip")) {
          assert.ok(inflateRawSync(span.subarray(10)).toString().includes(p.planted), p.transform);
        } else assert.equal(span.toString("latin1"), p.planted, `${p.kind} seed ${seed}`);
      }
      h2.response({ status: 200, headers: [], body: [] });
    }
  }
});

test("an HTTP/2 response: the server's SETTINGS and ACK once, HEADERS, DATA up to 2^14 ending the stream", () => {
  const h2 = new H2Conn();
  h2.request(plantedRequest(new Prng(3), "h").bytes);
  const body = new Uint8Array(40000).fill(0x61);
  const b = Buffer.concat(
    h2.response({ status: 200, headers: [["content-type", "text/plain"]], body: [body] }).parts,
  );
  const f = frames(b);
  assert.deepEqual(
    f.map(([type, flags, stream]) => [type, flags, stream]),
    [
      [4, 0, 0],
      [4, 1, 0],
      [1, 4, 1],
      [0, 0, 1],
      [0, 0, 1],
      [0, 1, 1],
    ],
  );
  assert.deepEqual(Buffer.concat(f.filter(([t]) => t === 0).map(([, , , p]) => p)), Buffer.from(body));
  const next = Buffer.concat(h2.request(plantedRequest(new Prng(4), "h").bytes).parts);
  assert.deepEqual(frames(next)[0].slice(0, 3), [4, 1, 0], "the client ACKs the server's SETTINGS");
});
