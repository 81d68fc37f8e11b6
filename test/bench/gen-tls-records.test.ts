// The generator's record sealing: RFC 8448 §3's protected records reproduced byte for byte from the trace's
// keys (so the AAD, nonce and inner content type are built as TLS 1.3 requires), and the map from a
// message's plaintext offsets to its record bytes, checked by flipping one plaintext byte.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CT, MAX_FRAGMENT, RecordSealer } from "../../bench/gen-tls-records.ts";
import { cipherSuite } from "../../src/decrypt/cipher-suites.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ""), "hex");
const AES128 = cipherSuite(0x1301)!;

// RFC 8448 §3 ("Simple 1-RTT Handshake"): application keys and complete records.
const CLIENT_APP = { key: hex("17422dda596ed5d9acd890e3c63f5051"), iv: hex("5b78923dee08579033e523d9") };
const SERVER_APP = { key: hex("9f02283b6c9c07efc26bb9f2ac92e356"), iv: hex("cf782b88dd83549aadf1e984") };
const CLIENT_APP_DATA = hex(`17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55 cb ef ac ea 42 f9 14
  aa 66 bc ab 3f 2b 98 19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97 70 14 bd 1e 3d ea
  e6 3a ee bb 21 69 49 15 e4`);
const SERVER_APP_DATA = hex(`17 03 03 00 43 2e 93 7e 11 ef 4a c7 40 e5 38 ad 36 00 5f c4 a4 69 32 fc 32 25 d0
  5f 82 aa 1b 36 e3 0e fa f9 7d 90 e6 df fc 60 2d cb 50 1a 59 a8 fc c4 9c 4b f2 e5 f0 a2 1c 00 47 c2 ab f3 32
  54 0d d0 32 e1 67 c2 95 5d`);
const CLIENT_ALERT = hex("17 03 03 00 13 c9 87 27 60 65 56 66 b7 4d 7f f1 15 3e fd 6d b6 d0 b0 e3");
const PAYLOAD = Buffer.from(Array.from({ length: 50 }, (_, i) => i)); // 00 01 ... 31

test("RFC 8448: the client's application data, then its close_notify at sequence 1", () => {
  const s = new RecordSealer(AES128, true, CLIENT_APP.key, CLIENT_APP.iv);
  assert.deepEqual(
    s.seal(CT.applicationData, [PAYLOAD.subarray(0, 20), PAYLOAD.subarray(20)], 50),
    CLIENT_APP_DATA,
  );
  assert.deepEqual(s.seal(CT.alert, [Uint8Array.of(1, 0)], 2), CLIENT_ALERT);
});

test("RFC 8448: the server's application data, at sequence 1 after its NewSessionTicket", () => {
  const s = new RecordSealer(AES128, true, SERVER_APP.key, SERVER_APP.iv);
  const first = s.seal(CT.applicationData, [PAYLOAD], 50);
  assert.notDeepEqual(first, SERVER_APP_DATA, "sequence 0 gives another nonce");
  assert.deepEqual(s.seal(CT.applicationData, [PAYLOAD], 50), SERVER_APP_DATA);
});

/** Seals `msg` in MAX_FRAGMENT pieces with a fresh sealer, as the generator does. */
function sealAll(id: number, tls13: boolean, msg: Buffer): Buffer {
  const suite = cipherSuite(id)!;
  const keyLen = suite.cipher === "aes-128-gcm" ? 16 : 32;
  const ivLen = tls13 || suite.cipher === "chacha20-poly1305" ? 12 : 4;
  const s = new RecordSealer(suite, tls13, Buffer.alloc(keyLen, 7), Buffer.alloc(ivLen, 9));
  const out: Buffer[] = [];
  for (let off = 0; off < msg.length; off += MAX_FRAGMENT) {
    const piece = msg.subarray(off, off + MAX_FRAGMENT);
    out.push(s.seal(CT.applicationData, [piece], piece.length));
  }
  return Buffer.concat(out);
}

const SUITES: [number, boolean][] = [
  [0x1301, true],
  [0x1302, true],
  [0x1303, true],
  [0xc02b, false],
  [0xc02c, false],
  [0xcca9, false],
];

test("cipherOffset names the one record byte a plaintext byte becomes, across record boundaries", () => {
  const msg = Buffer.alloc(40000, 0x41);
  for (const [id, tls13] of SUITES) {
    const base = sealAll(id, tls13, msg);
    const s = new RecordSealer(cipherSuite(id)!, tls13, Buffer.alloc(32), Buffer.alloc(12));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: msg.length - 1 }), (at) => {
        const other = Buffer.from(msg);
        other[at] ^= 0xff;
        const sealed = sealAll(id, tls13, other);
        // AES-GCM and ChaCha20 are stream ciphers: only that byte and its record's tag change.
        const record = Math.floor(at / MAX_FRAGMENT);
        const tagEnd = s.cipherOffset(Math.min(msg.length, (record + 1) * MAX_FRAGMENT) - 1) + 1;
        const tagAt = tagEnd + (tls13 ? 1 : 0);
        const diff: number[] = [];
        for (let i = 0; i < base.length; i++)
          if (base[i] !== sealed[i] && (i < tagAt || i >= tagAt + 16)) diff.push(i);
        assert.deepEqual(diff, [s.cipherOffset(at)], `suite 0x${id.toString(16)} byte ${at}`);
      }),
      { numRuns: 40 },
    );
  }
});
