// Opening protected records: RFC 8448 §3's TLS 1.3 records with the trace's keys, RFC 8439's AEAD vector,
// and refusals (tampered, truncated, wrong sequence number) that must give undefined, never throw.

import assert from "node:assert/strict";
import { createCipheriv, createHmac } from "node:crypto";
import { test } from "node:test";
import { cipherSuite } from "../../src/decrypt/cipher-suites.ts";
import { aeadOpen, tls12Decryptor, tls13Decryptor } from "../../src/decrypt/record-decrypt.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ""), "hex");
const AES128 = cipherSuite(0x1301)!;

// RFC 8448 §3 keys and complete records (5-byte header, then the protected body).
const CLIENT_HS = { key: hex("dbfaa693d1762c5b666af5d950258d01"), iv: hex("5bd3c71b836e0b76bb73265f") };
const CLIENT_APP = { key: hex("17422dda596ed5d9acd890e3c63f5051"), iv: hex("5b78923dee08579033e523d9") };
const SERVER_APP = { key: hex("9f02283b6c9c07efc26bb9f2ac92e356"), iv: hex("cf782b88dd83549aadf1e984") };
const CLIENT_FINISHED = hex(`17 03 03 00 35 75 ec 4d c2 38 cc e6 0b 29 80 44 a7 1e 21 9c 56 cc 77 b0 51 7f e9
  b9 3c 7a 4b fc 44 d8 7f 38 f8 03 38 ac 98 fc 46 de b3 84 bd 1c ae ac ab 68 67 d7 26 c4 05 46`);
const CLIENT_APP_DATA = hex(`17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55 cb ef ac ea 42 f9 14
  aa 66 bc ab 3f 2b 98 19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97 70 14 bd 1e 3d ea
  e6 3a ee bb 21 69 49 15 e4`);
const SERVER_APP_DATA = hex(`17 03 03 00 43 2e 93 7e 11 ef 4a c7 40 e5 38 ad 36 00 5f c4 a4 69 32 fc 32 25 d0
  5f 82 aa 1b 36 e3 0e fa f9 7d 90 e6 df fc 60 2d cb 50 1a 59 a8 fc c4 9c 4b f2 e5 f0 a2 1c 00 47 c2 ab f3 32
  54 0d d0 32 e1 67 c2 95 5d`);
const CLIENT_ALERT = hex("17 03 03 00 13 c9 87 27 60 65 56 66 b7 4d 7f f1 15 3e fd 6d b6 d0 b0 e3");
const PAYLOAD = Buffer.from(Array.from({ length: 50 }, (_, i) => i)); // 00 01 ... 31

const body = (rec: Buffer) => rec.subarray(5);

test("RFC 8448: the client's Finished opens with its handshake key at sequence 0", () => {
  const pt = tls13Decryptor(AES128, CLIENT_HS.key, CLIENT_HS.iv).open(23, body(CLIENT_FINISHED), 0);
  assert.ok(pt);
  // TLSInnerPlaintext: Finished (type 20, length 32) then content type 22 (handshake).
  assert.equal(pt.length, 4 + 32 + 1);
  assert.deepEqual([...pt.subarray(0, 4)], [20, 0, 0, 32]);
  assert.equal(pt[pt.length - 1], 22);
});

test("RFC 8448: application data both ways, and the client's close_notify", () => {
  const client = tls13Decryptor(AES128, CLIENT_APP.key, CLIENT_APP.iv);
  const data = client.open(23, body(CLIENT_APP_DATA), 0);
  assert.deepEqual(Buffer.from(data!), Buffer.concat([PAYLOAD, Buffer.from([23])]));
  const alert = client.open(23, body(CLIENT_ALERT), 1);
  assert.deepEqual([...alert!], [1, 0, 21], "warning close_notify, inner type alert");
  // The server sent a NewSessionTicket first under its application key, so its data is record 1.
  const server = tls13Decryptor(AES128, SERVER_APP.key, SERVER_APP.iv);
  assert.deepEqual(
    Buffer.from(server.open(23, body(SERVER_APP_DATA), 1)!),
    Buffer.concat([PAYLOAD, Buffer.from([23])]),
  );
});

test("RFC 8448 records refuse a wrong sequence number, a flipped bit, a wrong key, a cut tag", () => {
  const client = tls13Decryptor(AES128, CLIENT_APP.key, CLIENT_APP.iv);
  assert.equal(client.open(23, body(CLIENT_APP_DATA), 1), undefined);
  const flipped = Buffer.from(body(CLIENT_APP_DATA));
  flipped[10] ^= 1;
  assert.equal(client.open(23, flipped, 0), undefined);
  assert.equal(client.open(22, body(CLIENT_APP_DATA), 0), undefined, "the header is authenticated");
  assert.equal(
    tls13Decryptor(AES128, CLIENT_HS.key, CLIENT_HS.iv).open(23, body(CLIENT_APP_DATA), 0),
    undefined,
  );
  assert.equal(client.open(23, body(CLIENT_APP_DATA).subarray(0, 10), 0), undefined);
  assert.equal(client.open(23, new Uint8Array(0), 0), undefined);
});

test("ChaCha20-Poly1305 AEAD: RFC 8439 §2.8.2", () => {
  const key = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i));
  const ct = hex(
    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b" +
      "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc" +
      "3ff4def08e4b7a9de576d26586cec64b6116" +
      "1ae10b594f09e26a7e902ecbd0600691",
  );
  const pt = aeadOpen(
    "chacha20-poly1305",
    key,
    hex("070000004041424344454647"),
    hex("50515253c0c1c2c3c4c5c6c7"),
    ct,
  );
  assert.equal(
    Buffer.from(pt!).toString("latin1"),
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
});

/** A TLS 1.2 AES-128-CBC/HMAC-SHA1 record built by the test per RFC 5246 §6.2.3.2 / RFC 7366 §3. */
function cbcRecord(o: {
  etm: boolean;
  content: Buffer;
  seq: number;
  key: Buffer;
  macKey: Buffer;
  badPad?: boolean;
}) {
  const iv = Buffer.alloc(16, 0x42);
  const mac = (data: Buffer) => {
    const hdr = Buffer.from([0, 0, 0, 0, 0, 0, 0, o.seq, 23, 3, 3, data.length >> 8, data.length & 0xff]);
    return createHmac("sha1", o.macKey).update(hdr).update(data).digest();
  };
  const padded = (data: Buffer) => {
    const pad = 15 - (data.length % 16);
    const p = Buffer.alloc(pad + 1, pad);
    if (o.badPad) p[0] ^= 1;
    return Buffer.concat([data, p]);
  };
  const enc = (data: Buffer) => {
    const c = createCipheriv("aes-128-cbc", o.key, iv).setAutoPadding(false);
    return Buffer.concat([iv, c.update(data), c.final()]);
  };
  if (!o.etm) return enc(padded(Buffer.concat([o.content, mac(o.content)])));
  const e = enc(padded(o.content));
  return Buffer.concat([e, mac(e)]);
}

test("TLS 1.2 CBC records open MAC-then-encrypt and encrypt-then-MAC; bad padding or MAC refuse", () => {
  const suite = cipherSuite(0x002f)!; // TLS_RSA_WITH_AES_128_CBC_SHA
  const keys = { key: Buffer.alloc(16, 1), macKey: Buffer.alloc(20, 2), iv: new Uint8Array(0) };
  const content = Buffer.from("GET /device?imei=490154203237518 HTTP/1.1\r\n\r\n");
  for (const etm of [false, true]) {
    const d = tls12Decryptor(suite, 0x0303, keys, etm);
    const rec = cbcRecord({ etm, content, seq: 3, key: keys.key, macKey: keys.macKey });
    assert.deepEqual(Buffer.from(d.open(23, rec, 3)!), content, `etm=${etm}`);
    assert.equal(d.open(23, rec, 4), undefined, `etm=${etm}: wrong sequence number`);
    assert.equal(
      tls12Decryptor(suite, 0x0303, keys, !etm).open(23, rec, 3),
      undefined,
      `etm=${etm}: other order`,
    );
    const bad = cbcRecord({ etm, content, seq: 3, key: keys.key, macKey: keys.macKey, badPad: true });
    assert.equal(d.open(23, bad, 3), undefined, `etm=${etm}: bad padding`);
    assert.equal(d.open(23, rec.subarray(0, 17), 3), undefined, `etm=${etm}: not whole blocks`);
  }
});

test("TLS 1.2 AES-GCM: the explicit nonce is read from the record, a cut record refuses", () => {
  const suite = cipherSuite(0xc02f)!;
  const key = Buffer.alloc(16, 5);
  const salt = Buffer.from([1, 2, 3, 4]);
  const explicit = Buffer.from([0, 0, 0, 0, 0, 0, 0, 9]);
  const content = Buffer.from("hello over GCM");
  const aad = Buffer.from([0, 0, 0, 0, 0, 0, 0, 9, 23, 3, 3, 0, content.length]);
  const c = createCipheriv("aes-128-gcm", key, Buffer.concat([salt, explicit]));
  c.setAAD(aad);
  const rec = Buffer.concat([explicit, c.update(content), c.final(), c.getAuthTag()]);
  const d = tls12Decryptor(suite, 0x0303, { key, iv: salt, macKey: new Uint8Array(0) }, false);
  assert.deepEqual(Buffer.from(d.open(23, rec, 9)!), content);
  assert.equal(d.open(23, rec, 8), undefined, "the sequence number is in the additional data");
  assert.equal(d.open(23, rec.subarray(0, 20), 9), undefined);
});

/** The per-record nonce, computed here with BigInt: iv XOR the 64-bit sequence number (RFC 8446 §5.3). */
function nonceFor(iv: Buffer, seq: bigint): Buffer {
  const n = Buffer.from(iv);
  const s = Buffer.alloc(8);
  s.writeBigUInt64BE(seq);
  for (let i = 0; i < 8; i++) n[n.length - 8 + i] ^= s[i];
  return n;
}

/** A TLS 1.3 record body sealed by node:crypto: content, then the inner type (RFC 8446 §5.2). */
function seal13(cipher: string, key: Buffer, iv: Buffer, seq: bigint, content: Buffer, tagLen = 16): Buffer {
  const inner = Buffer.concat([content, Buffer.from([23])]);
  const n = inner.length + tagLen;
  const c = createCipheriv(cipher as "aes-128-ccm", key, nonceFor(iv, seq), { authTagLength: tagLen });
  c.setAAD(Buffer.from([23, 3, 3, n >> 8, n & 0xff]), { plaintextLength: inner.length });
  return Buffer.concat([c.update(inner), c.final(), c.getAuthTag()]);
}

test("sequence numbers past 2^32 reach the nonce's high bytes (TLS 1.3) and the AAD (TLS 1.2)", () => {
  const key = Buffer.alloc(16, 0x11);
  const iv = Buffer.from("000102030405060708090a0b", "hex");
  const seq = 2 ** 32 + 5;
  const content = Buffer.from("record five of the second 2^32");
  const d13 = tls13Decryptor(AES128, key, iv);
  const rec = seal13("aes-128-gcm", key, iv, BigInt(seq), content);
  assert.deepEqual(Buffer.from(d13.open(23, rec, seq)!), Buffer.concat([content, Buffer.from([23])]));
  assert.equal(d13.open(23, rec, 5), undefined, "the high word counts");

  const suite = cipherSuite(0xcca8)!; // TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
  const ckey = Buffer.alloc(32, 0x22);
  const civ = Buffer.from("a0a1a2a3a4a5a6a7a8a9aaab", "hex");
  const aad = Buffer.alloc(13);
  aad.writeBigUInt64BE(BigInt(seq));
  aad.set([23, 3, 3, 0, content.length], 8);
  const c = createCipheriv("chacha20-poly1305", ckey, nonceFor(civ, BigInt(seq)), { authTagLength: 16 });
  c.setAAD(aad, { plaintextLength: content.length });
  const rec12 = Buffer.concat([c.update(content), c.final(), c.getAuthTag()]);
  const d12 = tls12Decryptor(suite, 0x0303, { key: ckey, iv: civ, macKey: new Uint8Array(0) }, false);
  assert.deepEqual(Buffer.from(d12.open(23, rec12, seq)!), content);
  assert.equal(d12.open(23, rec12, seq + 1), undefined);
});

test("one decryptor opens record after record; each plaintext stays intact after later opens", () => {
  for (const [id, cipher, tagLen, keyLen] of [
    [0x1301, "aes-128-gcm", 16, 16],
    [0x1303, "chacha20-poly1305", 16, 32],
    [0x1304, "aes-128-ccm", 16, 16],
    [0x1305, "aes-128-ccm", 8, 16],
  ] as const) {
    const key = Buffer.alloc(keyLen, id & 0xff);
    const iv = Buffer.alloc(12, 0x5a);
    const d = tls13Decryptor(cipherSuite(id)!, key, iv);
    const contents = [300, 1, 16384, 77].map((n, k) => Buffer.alloc(n, 0x30 + k));
    const opened: Uint8Array[] = [];
    contents.forEach((content, seq) => {
      const rec = seal13(cipher, key, iv, BigInt(seq), content, tagLen);
      const bad = Buffer.from(rec);
      bad[0] ^= 1;
      assert.equal(d.open(23, bad, seq), undefined, `${cipher}: a flipped bit refuses`);
      opened.push(d.open(23, rec, seq)!);
    });
    contents.forEach((content, i) => {
      assert.deepEqual(
        Buffer.from(opened[i]),
        Buffer.concat([content, Buffer.from([23])]),
        `${cipher} #${i}`,
      );
    });
  }
});
