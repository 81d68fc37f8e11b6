// ServerHello parsing: annotated TLS 1.2 and TLS 1.3 hellos, the HelloRetryRequest marker, bad extensions,
// and a never-throws property.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import { HRR_RANDOM, parseServerHello } from "../../../src/decode/tls/server-hello.ts";
import { hex } from "../decode-helpers.ts";
import { serverHelloBody } from "./tls-build.ts";

const TLS12 = hex(`
  03 03                                   # version TLS 1.2
  5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a   # random
  04 01020304                             # session id, 4 bytes
  c0 2f                                   # TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  00                                      # compression null
  00 0f                                   # extensions: 15 bytes
  ff 01 00 01 00                          #   renegotiation_info, empty
  00 10 00 06 00 04 03 68 32 31           # ALPN selected: "h21" (3 bytes)
`);

test("annotated TLS 1.2 ServerHello", () => {
  const h = parseServerHello(TLS12);
  assert.ok(h);
  assert.equal(h.legacyVersion, 0x0303);
  assert.equal(h.version, 0x0303);
  assert.equal(h.random, "5a".repeat(32));
  assert.equal(h.sessionId, "01020304");
  assert.equal(h.cipherSuite, 0xc02f);
  assert.equal(h.compressionMethod, 0);
  assert.deepEqual(h.extensions, [0xff01, 16]);
  assert.equal(h.alpn, "h21");
  assert.equal(h.helloRetryRequest, false);
  assert.equal(h.malformed, undefined);
});

const TLS13 = hex(`
  03 03                                   # legacy_version TLS 1.2
  a0a1a2a3a4a5a6a7a8a9aaabacadaeaf b0b1b2b3b4b5b6b7b8b9babbbcbdbebf   # random
  00                                      # echoed session id: empty
  13 02                                   # TLS_AES_256_GCM_SHA384
  00                                      # compression null
  00 2e                                   # extensions: 46 bytes
  00 2b 00 02 03 04                       #   supported_versions: selected TLS 1.3
  00 33 00 24 00 1d 00 20                 #   key_share: x25519, 32-byte key
  0000000000000000000000000000000000000000000000000000000000000000
`);

test("annotated TLS 1.3 ServerHello: supported_versions gives the version", () => {
  const h = parseServerHello(TLS13);
  assert.ok(h);
  assert.equal(h.legacyVersion, 0x0303);
  assert.equal(h.version, 0x0304);
  assert.equal(h.cipherSuite, 0x1302);
  assert.equal(h.keyShareGroup, 0x001d);
  assert.equal(h.sessionId, "");
  assert.equal(h.helloRetryRequest, false);
  assert.equal(h.malformed, undefined);
});

test("HelloRetryRequest: the random is SHA-256 of 'HelloRetryRequest' (RFC 8446 §4.1.3)", () => {
  assert.equal(HRR_RANDOM, createHash("sha256").update("HelloRetryRequest").digest("hex"));
  const random = [...Buffer.from(HRR_RANDOM, "hex")];
  const h = parseServerHello(
    serverHelloBody({
      random,
      cipher: 0x1301,
      extensions: [
        [43, [0x03, 0x04]],
        [51, [0x00, 0x17]], // key_share: only the selected group, secp256r1
      ],
    }),
  );
  assert.ok(h);
  assert.equal(h.helloRetryRequest, true);
  assert.equal(h.version, 0x0304);
  assert.equal(h.keyShareGroup, 0x0017);
});

test("a pre_shared_key extension marks an accepted PSK", () => {
  const h = parseServerHello(serverHelloBody({ cipher: 0x1301, extensions: [[41, [0, 0]]] }));
  assert.equal(h?.pskAccepted, true);
});

test("short bodies give undefined; a bad selected_version is flagged", () => {
  // Fixed fields: version 2 + random 32 + session id 1+4 + cipher 2 + compression 1 = 42 bytes.
  for (let n = 0; n < 42; n++) assert.equal(parseServerHello(TLS12.subarray(0, n)), undefined, `length ${n}`);
  assert.ok(parseServerHello(TLS12.subarray(0, 42)), "fixed fields complete");
  const h = parseServerHello(serverHelloBody({ cipher: 0x1301, extensions: [[43, [3, 4, 0]]] }));
  assert.equal(h?.version, 0x0303);
  assert.match(h?.malformed ?? "", /selected_version/);
});

test("property: random and mutated bytes never throw", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      parseServerHello(b);
    }),
    { numRuns: 10000 },
  );
  fc.assert(
    fc.property(
      fc.nat(TLS13.length - 1),
      fc.integer({ min: 0, max: 255 }),
      fc.nat(TLS13.length),
      (i, v, cut) => {
        const b = TLS13.slice();
        b[i] = v;
        parseServerHello(b.subarray(0, cut));
      },
    ),
    { numRuns: 10000 },
  );
});
