// ClientHello parsing: an annotated hand-made TLS 1.3 hello, a bare TLS 1.0 hello, GREASE, malformed
// extensions, a round trip of generated hellos, and fast-check properties (never throws).

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parseClientHello } from "../../../src/decode/tls/client-hello.ts";
import { hex } from "../decode-helpers.ts";
import {
  clientHelloBody,
  type Ext,
  extAlpn,
  extKeyShare,
  extList16,
  extSni,
  extVersions,
} from "./tls-build.ts";

// A TLS 1.3 ClientHello body written out by hand (RFC 8446 §4.1.2). Lengths were counted by hand.
const ANNOTATED = hex(`
  03 03                                   # legacy_version TLS 1.2
  000102030405060708090a0b0c0d0e0f 101112131415161718191a1b1c1d1e1f   # random
  20                                      # legacy_session_id: 32 bytes
  e0e1e2e3e4e5e6e7e8e9eaebecedeeef f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
  00 06  13 01  13 02  0a 0a              # cipher_suites: AES128-GCM, AES256-GCM, GREASE
  01 00                                   # compression: null
  00 77                                   # extensions: 119 bytes
  1a 1a 00 00                             #   GREASE extension, empty
  00 00 00 10  00 0e 00 00 0b 6578616d706c652e636f6d   # server_name: host_name "example.com"
  00 10 00 0e  00 0c 02 6832 08 687474702f312e31       # ALPN: "h2", "http/1.1"
  00 2b 00 05  04 03 04 03 03             #   supported_versions: TLS 1.3, TLS 1.2
  00 0a 00 06  00 04 00 1d 00 17          #   supported_groups: x25519, secp256r1
  00 0d 00 06  00 04 04 03 08 04          #   signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256
  00 33 00 26  00 24 00 1d 00 20          #   key_share: one x25519 entry, 32-byte key
  0000000000000000000000000000000000000000000000000000000000000000
  00 2d 00 02  01 01                      #   psk_key_exchange_modes: psk_dhe_ke
`);

test("annotated TLS 1.3 ClientHello: every field as annotated", () => {
  assert.equal(ANNOTATED.length, 198, "hand-counted body length");
  const h = parseClientHello(ANNOTATED);
  assert.ok(h);
  assert.equal(h.legacyVersion, 0x0303);
  assert.equal(h.random, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  assert.equal(h.sessionId, "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  assert.deepEqual(h.cipherSuites, [0x1301, 0x1302, 0x0a0a]);
  assert.equal(h.greaseCipherSuites, 1);
  assert.deepEqual(h.compressionMethods, [0]);
  assert.deepEqual(h.extensions, [0x1a1a, 0, 16, 43, 10, 13, 51, 45]);
  assert.equal(h.greaseExtensions, 1);
  assert.equal(h.sni, "example.com");
  assert.deepEqual(h.alpn, ["h2", "http/1.1"]);
  assert.deepEqual(h.supportedVersions, [0x0304, 0x0303]);
  assert.deepEqual(h.supportedGroups, [0x001d, 0x0017]);
  assert.deepEqual(h.signatureAlgorithms, [0x0403, 0x0804]);
  assert.deepEqual(h.keyShareGroups, [0x001d]);
  assert.deepEqual(h.pskModes, [1]);
  assert.equal(h.malformed, undefined);
});

test("a TLS 1.0 ClientHello without an extensions block (RFC 5246 §7.4.1.2 allows it)", () => {
  const h = parseClientHello(clientHelloBody({ version: 0x0301, ciphers: [0x002f, 0x0035] }));
  assert.ok(h);
  assert.equal(h.legacyVersion, 0x0301);
  assert.deepEqual(h.extensions, []);
  assert.equal(h.sni, undefined);
  assert.equal(h.malformed, undefined);
});

test("fixed fields cut short give undefined", () => {
  // The fixed fields end with the compression methods: 2 + 32 + 33 + 8 + 2 = 77 bytes.
  for (let n = 0; n < 77; n++)
    assert.equal(parseClientHello(ANNOTATED.subarray(0, n)), undefined, `length ${n}`);
  assert.ok(parseClientHello(ANNOTATED.subarray(0, 77)), "fixed fields complete, no extensions");
});

test("a session id longer than 32 bytes is not a ClientHello", () => {
  const body = clientHelloBody({ ciphers: [0x1301], sessionId: new Array(33).fill(1) });
  assert.equal(parseClientHello(body), undefined);
});

test("a truncated extensions block keeps what parsed and says what broke", () => {
  const h = parseClientHello(ANNOTATED.subarray(0, 150));
  assert.ok(h);
  assert.equal(h.sni, "example.com");
  assert.deepEqual(h.alpn, ["h2", "http/1.1"]);
  assert.match(h.malformed ?? "", /extensions length 119/);
});

test("a bad server_name inner length is flagged, the other extensions still read", () => {
  const badSni: Ext = [0, [0x00, 0x09, 0x00, 0x00, 0x20, 0x61, 0x62]]; // name length 32, 2 bytes present
  const h = parseClientHello(
    clientHelloBody({ ciphers: [0x1301], extensions: [badSni, extAlpn(["h2"]), extVersions([0x0304])] }),
  );
  assert.ok(h);
  assert.equal(h.sni, undefined);
  assert.deepEqual(h.alpn, ["h2"]);
  assert.deepEqual(h.supportedVersions, [0x0304]);
  assert.match(h.malformed ?? "", /^extension 0: /);
});

test("ALPN names keep odd bytes one character per byte", () => {
  const h = parseClientHello(
    clientHelloBody({ ciphers: [0x1301], extensions: [extAlpn([[0xab, 0xcd], "h3"])] }),
  );
  assert.deepEqual(h?.alpn, ["\u00ab\u00cd", "h3"]);
});

/** An arbitrary, well-formed hello and the values planted in it. */
const helloSpec = fc.record({
  version: fc.constantFrom(0x0301, 0x0302, 0x0303),
  random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  sessionId: fc.uint8Array({ maxLength: 32 }),
  ciphers: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 40 }),
  sni: fc.option(fc.stringMatching(/^[a-z0-9.-]{1,60}$/), { nil: undefined }),
  alpn: fc.option(fc.array(fc.stringMatching(/^[a-z0-9/.]{1,12}$/), { minLength: 1, maxLength: 4 }), {
    nil: undefined,
  }),
  groups: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 10 }),
  sigs: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 }),
  versions: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 6 }),
  shares: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 3 }),
});

test("round trip: generated hellos give back every planted value", () => {
  fc.assert(
    fc.property(helloSpec, (s) => {
      const exts: Ext[] = [];
      if (s.sni !== undefined) exts.push(extSni(s.sni));
      if (s.alpn !== undefined) exts.push(extAlpn(s.alpn));
      exts.push(
        extList16(10, s.groups),
        extList16(13, s.sigs),
        extVersions(s.versions),
        extKeyShare(s.shares, 3),
      );
      const h = parseClientHello(
        clientHelloBody({
          version: s.version,
          random: [...s.random],
          sessionId: [...s.sessionId],
          ciphers: s.ciphers,
          extensions: exts,
        }),
      );
      assert.ok(h);
      assert.equal(h.malformed, undefined);
      assert.equal(h.legacyVersion, s.version);
      assert.equal(h.random, Buffer.from(s.random).toString("hex"));
      assert.equal(h.sessionId, Buffer.from(s.sessionId).toString("hex"));
      assert.deepEqual(h.cipherSuites, s.ciphers);
      assert.equal(h.sni, s.sni);
      assert.deepEqual(h.alpn, s.alpn);
      assert.deepEqual(h.supportedGroups, s.groups);
      assert.deepEqual(h.signatureAlgorithms, s.sigs);
      assert.deepEqual(h.supportedVersions, s.versions);
      assert.deepEqual(h.keyShareGroups, s.shares);
      assert.deepEqual(
        h.extensions,
        exts.map(([t]) => t),
      );
    }),
    { numRuns: 2000 },
  );
});

test("property: random bytes never throw", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
      parseClientHello(b);
    }),
    { numRuns: 10000 },
  );
});

test("property: a valid hello with bytes flipped, cut or extended never throws", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(ANNOTATED.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.nat(ANNOTATED.length + 20),
      (flips, cut) => {
        const b = new Uint8Array(ANNOTATED.length + 20);
        b.set(ANNOTATED);
        for (const [i, v] of flips) b[i] = v;
        parseClientHello(b.subarray(0, cut));
      },
    ),
    { numRuns: 10000 },
  );
});
