// Content decoding: every coding gives back the planted text, stacked codings unwind last-applied first,
// corrupt and cut data keep what decodes, and a 1 GiB gzip bomb stops at the cap with a weird.

import assert from "node:assert/strict";
import { test } from "node:test";
import zlib from "node:zlib";
import fc from "fast-check";
import {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  decodeContent,
  parseCodings,
} from "../../../src/decode/content/decompress.ts";

const PLANTED = Buffer.from(
  "imei=868031020761234&msisdn=%2B8613800138000&carrier=China+Mobile ".repeat(40),
  "utf8",
);
const text = (b: Uint8Array): string => Buffer.from(b).toString("utf8");

test("parseCodings lists codings in applied order, lower case, identity dropped", () => {
  assert.deepEqual(parseCodings("gzip, BR"), ["gzip", "br"]);
  assert.deepEqual(parseCodings(" identity ,, deflate"), ["deflate"]);
  assert.deepEqual(parseCodings(undefined), []);
});

const SINGLE: [string, Uint8Array][] = [
  ["gzip", zlib.gzipSync(PLANTED)],
  ["x-gzip", zlib.gzipSync(PLANTED)],
  ["deflate", zlib.deflateSync(PLANTED)], // zlib-wrapped, as RFC 9110 §8.4.1.2 says
  ["deflate", zlib.deflateRawSync(PLANTED)], // raw, as many servers send it
  ["br", zlib.brotliCompressSync(PLANTED)],
  ["identity", PLANTED],
];

for (const [coding, body] of SINGLE) {
  test(`${coding} (${body[0].toString(16)} ${body[1].toString(16)} …) decodes to the planted text`, () => {
    const r = decodeContent(body, parseCodings(coding));
    assert.equal(r.problem, undefined);
    assert.equal(text(r.data), PLANTED.toString("utf8"));
  });
}

test("stacked `gzip, br` is undone br first, then gzip", () => {
  const body = zlib.brotliCompressSync(zlib.gzipSync(PLANTED));
  const r = decodeContent(body, parseCodings("gzip, br"));
  assert.deepEqual(r.applied, ["br", "gzip"]);
  assert.equal(text(r.data), PLANTED.toString("utf8"));
});

test("an unknown coding stops with unknown_content_encoding and keeps the bytes", () => {
  const body = zlib.gzipSync(PLANTED);
  const r = decodeContent(body, ["gzip", "aes128gcm"]);
  assert.equal(r.problem?.name, "unknown_content_encoding");
  assert.deepEqual(Buffer.from(r.data), Buffer.from(body));
});

test("a body cut short (capture or bound) decodes as far as it goes, without a weird", () => {
  const gz = zlib.gzipSync(PLANTED);
  const r = decodeContent(gz.subarray(0, Math.floor(gz.length / 2)), ["gzip"]);
  assert.equal(r.problem, undefined);
  assert.ok(r.data.length > 0 && PLANTED.toString("utf8").startsWith(text(r.data)));
});

test("corrupt gzip yields decompression_failed and keeps the part that decoded", () => {
  const big = Buffer.from(
    Array.from({ length: 3000 }, (_, i) => `line ${i} imei=868031020761234\n`).join(""),
  );
  const gz = Buffer.from(zlib.gzipSync(big));
  gz[gz.length - 8] ^= 0xff; // the CRC-32 of the trailer (RFC 1952 §2.3) no longer matches
  const r = decodeContent(gz, ["gzip"]);
  assert.equal(r.problem?.name, "decompression_failed");
  assert.ok(r.data.length > 1000, `kept ${r.data.length}`);
  assert.ok(big.toString("utf8").startsWith(text(r.data)));
});

test("garbage labelled gzip yields decompression_failed with nothing decoded", () => {
  const r = decodeContent(Buffer.from("definitely not gzip"), ["gzip"]);
  assert.equal(r.problem?.name, "decompression_failed");
  assert.equal(r.data.length, 0);
});

/**
 * A gzip member holding 1 GiB of zeros, about 1 MB long, built without ever holding the zeros: 1 MiB of
 * zeros compressed once with a full flush (which resets the compressor, RFC 1951 blocks then never refer
 * back across it) is a self-contained piece that can be repeated; a final empty block and the gzip trailer
 * (RFC 1952 §2.3: CRC-32, size mod 2^32) close it.
 */
function gzipBomb(pieces = 1024): Buffer {
  const mib = Buffer.alloc(1 << 20);
  const piece = zlib.deflateRawSync(mib, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  let crc = 0;
  for (let i = 0; i < pieces; i++) crc = zlib.crc32(mib, crc);
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((pieces * (1 << 20)) >>> 0, 4);
  const parts: Buffer[] = [header];
  for (let i = 0; i < pieces; i++) parts.push(piece);
  parts.push(Buffer.from([0x03, 0x00]), trailer);
  return Buffer.concat(parts);
}

test("the bomb builder makes a valid 1 GiB gzip (checked on a 16 MiB version with plain gunzip)", () => {
  const small = gzipBomb(16);
  assert.equal(zlib.gunzipSync(small).length, 16 << 20);
});

test("a 1 GiB gzip bomb stops at the 16 MiB cap with decompressed_size_limit", () => {
  const bomb = gzipBomb();
  assert.ok(bomb.length < 1.5e6, `bomb is ${bomb.length} bytes`);
  const before = process.memoryUsage().arrayBuffers;
  const r = decodeContent(bomb, ["gzip"]);
  assert.equal(r.problem?.name, "decompressed_size_limit");
  assert.ok(r.data.length <= DEFAULT_MAX_DECOMPRESSED_BYTES);
  // What was decoded is kept: most of the cap, all zeros.
  assert.ok(r.data.length > DEFAULT_MAX_DECOMPRESSED_BYTES * 0.9, `kept ${r.data.length}`);
  assert.ok(r.data.every((b) => b === 0));
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(grown < 256 << 20, `array buffers grew ${grown} bytes`);
});

test("the cap is configurable, and stacked codings respect it at each step", () => {
  const zeros = Buffer.alloc(1 << 20);
  const body = zlib.brotliCompressSync(zlib.gzipSync(zeros));
  const r = decodeContent(body, ["gzip", "br"], { maxBytes: 64 * 1024 });
  assert.equal(r.problem?.name, "decompressed_size_limit");
  assert.ok(r.data.length <= 64 * 1024);
});

test("brotli and deflate bombs stop at the cap too", () => {
  const zeros = Buffer.alloc(8 << 20);
  for (const [coding, body] of [
    ["br", zlib.brotliCompressSync(zeros)],
    ["deflate", zlib.deflateSync(zeros)],
  ] as const) {
    const r = decodeContent(body, [coding], { maxBytes: 1 << 20 });
    assert.equal(r.problem?.name, "decompressed_size_limit", coding);
    assert.ok(r.data.length <= 1 << 20, `${coding} kept ${r.data.length}`);
    // deflate output grows with its input, so a prefix recovers most of the cap; brotli packs 8 MiB of zeros
    // into a few bytes whose every prefix decodes to nothing or to too much, so nothing may be kept.
    if (coding === "deflate") assert.ok(r.data.length > 900_000, `deflate kept ${r.data.length}`);
  }
});

test("property: decoding random or mutated bytes never throws and stays under the cap", () => {
  const seeds = [zlib.gzipSync(PLANTED), zlib.deflateSync(PLANTED), zlib.brotliCompressSync(PLANTED)];
  const codings = ["gzip", "deflate", "br", "zstd", "x-gzip", "compress"];
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc
          .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }))
          .map(([seed, muts]) => {
            const b = Uint8Array.from(seed);
            for (const [at, v] of muts) b[at % b.length] = v;
            return b;
          }),
      ),
      fc.subarray(codings, { minLength: 1, maxLength: 2 }),
      (body, cs) => {
        const r = decodeContent(body, cs, { maxBytes: 8192 });
        assert.ok(r.data.length <= Math.max(8192, body.length));
      },
    ),
    { numRuns: 10000 },
  );
});
