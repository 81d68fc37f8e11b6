// The TLS ≤ 1.2 PRF against published vectors, and the key block's layout (RFC 5246 §6.3).

import assert from "node:assert/strict";
import { test } from "node:test";
import { cipherSuite } from "../../src/decrypt/cipher-suites.ts";
import { keyBlock, prf10, prf12 } from "../../src/decrypt/tls-prf.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ""), "hex");
const ascii = (s: string) => Buffer.from(s, "latin1");

test("TLS 1.2 PRF with SHA-256: the IETF TLS list vector (100 bytes)", () => {
  // Posted to the IETF TLS mailing list (tls/current/msg03416) and used by many TLS stacks' tests.
  const out = prf12(
    "sha256",
    hex("9bbe436ba940f017b17652849a71db35"),
    "test label",
    hex("a0ba9f936cda311827a6f796ffd5198c"),
    100,
  );
  assert.equal(
    out.toString("hex"),
    "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af" +
      "0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66",
  );
});

test("TLS 1.2 PRF with SHA-384: the IETF TLS list vector (148 bytes)", () => {
  const out = prf12(
    "sha384",
    hex("b80b733d6ceefcdc71566ea48e5567df"),
    "test label",
    hex("cd665cf6a8447dd6ff8b27555edb7465"),
    148,
  );
  assert.equal(
    out.toString("hex"),
    "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0" +
      "e534cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425" +
      "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e0990703d73e56f",
  );
});

test("TLS 1.0 PRF (P_MD5 xor P_SHA-1): secret/label/seed as `openssl kdf ... -kdfopt digest:MD5-SHA1 TLS1-PRF` gives", () => {
  // openssl kdf -keylen 20 -kdfopt digest:MD5-SHA1 -kdfopt secret:secret -kdfopt seed:labelseed TLS1-PRF
  assert.equal(
    prf10(ascii("secret"), "label", ascii("seed"), 20).toString("hex"),
    "b5baf4722b91851a8816d22ebd8c1d8cc2e94d55",
  );
});

test("a shorter PRF output is a prefix of a longer one", () => {
  const secret = hex("00112233445566778899aabbccddeeff");
  const long = prf12("sha256", secret, "key expansion", hex("0102"), 200);
  assert.deepEqual(prf12("sha256", secret, "key expansion", hex("0102"), 33), long.subarray(0, 33));
});

test("key block: client MAC, server MAC, client key, server key, client IV, server IV, in that order", () => {
  const master = Buffer.alloc(48, 7);
  const cr = Buffer.alloc(32, 1);
  const sr = Buffer.alloc(32, 2);
  // RFC 5246 §6.3: key_block = PRF(master, "key expansion", server_random + client_random)
  const block = prf12("sha256", master, "key expansion", Buffer.concat([sr, cr]), 200);
  const cbc = keyBlock(cipherSuite(0xc027)!, 0x0303, master, cr, sr); // AES-128-CBC, HMAC-SHA256
  assert.deepEqual(Buffer.from(cbc.client.macKey), block.subarray(0, 32));
  assert.deepEqual(Buffer.from(cbc.server.macKey), block.subarray(32, 64));
  assert.deepEqual(Buffer.from(cbc.client.key), block.subarray(64, 80));
  assert.deepEqual(Buffer.from(cbc.server.key), block.subarray(80, 96));
  assert.equal(cbc.client.iv.length, 0, "TLS 1.2 CBC IVs travel in the records");
  const gcm = keyBlock(cipherSuite(0xc02f)!, 0x0303, master, cr, sr); // AES-128-GCM: 4-byte salts
  assert.deepEqual(Buffer.from(gcm.client.key), block.subarray(0, 16));
  assert.deepEqual(Buffer.from(gcm.server.key), block.subarray(16, 32));
  assert.deepEqual(Buffer.from(gcm.client.iv), block.subarray(32, 36));
  assert.deepEqual(Buffer.from(gcm.server.iv), block.subarray(36, 40));
  const gcm384 = keyBlock(cipherSuite(0xc030)!, 0x0303, master, cr, sr);
  const block384 = prf12("sha384", master, "key expansion", Buffer.concat([sr, cr]), 72);
  assert.deepEqual(Buffer.from(gcm384.client.key), block384.subarray(0, 32), "SHA-384 suites use P_SHA384");
});

test("key block under TLS 1.0 uses the MD5/SHA-1 PRF and derives the CBC IVs", () => {
  const master = Buffer.alloc(48, 9);
  const cr = Buffer.alloc(32, 3);
  const sr = Buffer.alloc(32, 4);
  const block = prf10(master, "key expansion", Buffer.concat([sr, cr]), 104);
  const kb = keyBlock(cipherSuite(0xc009)!, 0x0301, master, cr, sr); // AES-128-CBC, HMAC-SHA1
  assert.deepEqual(Buffer.from(kb.client.macKey), block.subarray(0, 20));
  assert.deepEqual(Buffer.from(kb.server.key), block.subarray(56, 72));
  assert.deepEqual(Buffer.from(kb.client.iv), block.subarray(72, 88));
  assert.deepEqual(Buffer.from(kb.server.iv), block.subarray(88, 104));
});
