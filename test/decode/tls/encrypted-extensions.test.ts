// EncryptedExtensions (RFC 8446 §4.3.1): RFC 8448's message, a built one with ALPN and early_data, and
// malformed lengths, which are reported and never thrown.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parseEncryptedExtensions } from "../../../src/decode/tls/encrypted-extensions.ts";
import { ascii, be16, vec } from "./tls-build.ts";

test("RFC 8448 §3's EncryptedExtensions: supported_groups, record_size_limit, server_name; no ALPN", () => {
  // The handshake message from the trace; the parser takes the body after the 4-byte header.
  const msg = Buffer.from(
    "080000240022000a00140012001d00170018001901000101010201030104001c00024001000000 00".replace(/\s/g, ""),
    "hex",
  );
  const ee = parseEncryptedExtensions(msg.subarray(4));
  assert.deepEqual(ee.extensions, [10, 28, 0]);
  assert.equal(ee.alpn, undefined);
  assert.equal(ee.earlyDataAccepted, false);
  assert.equal(ee.malformed, undefined);
});

test("ALPN h2 and early_data (RFC 7301 §3.1, RFC 8446 §4.2.10)", () => {
  const alpn = vec(2, vec(1, ascii("h2")));
  const exts = [...be16(16), ...vec(2, alpn), ...be16(42), ...be16(0)];
  const ee = parseEncryptedExtensions(Uint8Array.from(vec(2, exts)));
  assert.equal(ee.alpn, "h2");
  assert.equal(ee.earlyDataAccepted, true);
  assert.deepEqual(ee.extensions, [16, 42]);
});

test("bad lengths are reported, not thrown", () => {
  assert.equal(parseEncryptedExtensions(new Uint8Array(0)).malformed, "truncated extensions length");
  assert.match(parseEncryptedExtensions(Uint8Array.of(0, 9, 0, 16)).malformed ?? "", /extensions length 9/);
  const badAlpn = [...be16(16), ...vec(2, [0, 5, 2, 0x68])];
  assert.equal(parseEncryptedExtensions(Uint8Array.from(vec(2, badAlpn))).malformed, "bad ALPN selection");
  const overrun = [...be16(16), ...be16(40), 1, 2];
  assert.match(parseEncryptedExtensions(Uint8Array.from(vec(2, overrun))).malformed ?? "", /overruns/);
});

test("property: random bodies never throw", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      const ee = parseEncryptedExtensions(b);
      assert.ok(Array.isArray(ee.extensions));
    }),
    { numRuns: 10000 },
  );
});
