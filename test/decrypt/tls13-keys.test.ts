// The TLS 1.3 key derivation against RFC 8448 §3 (the simple 1-RTT handshake trace) and RFC 5869.

import assert from "node:assert/strict";
import { hkdfSync } from "node:crypto";
import { test } from "node:test";
import { cipherSuite } from "../../src/decrypt/cipher-suites.ts";
import { hkdfExpand, hkdfExpandLabel, nextTrafficSecret, trafficKeys } from "../../src/decrypt/tls13-keys.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ""), "hex");
const h = (b: Uint8Array) => Buffer.from(b).toString("hex");
const AES128 = cipherSuite(0x1301)!;

test("HKDF-Expand: RFC 5869 test case 1 (PRK → OKM)", () => {
  const prk = hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  assert.equal(
    h(hkdfExpand("sha256", prk, hex("f0f1f2f3f4f5f6f7f8f9"), 42)),
    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
  );
});

test("HKDF-Expand agrees with node's HKDF for lengths across block boundaries", () => {
  const ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  const salt = hex("000102030405060708090a0b0c");
  const prk = hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  for (const n of [1, 32, 33, 64, 65, 100]) {
    const want = Buffer.from(hkdfSync("sha256", ikm, salt, hex("ab"), n));
    assert.equal(h(hkdfExpand("sha256", prk, hex("ab"), n)), h(want), `length ${n}`);
  }
});

// RFC 8448 §3: each traffic secret, then the write key and IV derived from it.
const TRACE = [
  {
    name: "server handshake",
    secret: "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38",
    key: "3fce516009c21727d0f2e4e86ee403bc",
    iv: "5d313eb2671276ee13000b30",
  },
  {
    name: "client handshake",
    secret: "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21",
    key: "dbfaa693d1762c5b666af5d950258d01",
    iv: "5bd3c71b836e0b76bb73265f",
  },
  {
    name: "server application",
    secret: "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643",
    key: "9f02283b6c9c07efc26bb9f2ac92e356",
    iv: "cf782b88dd83549aadf1e984",
  },
  {
    name: "client application",
    secret: "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5",
    key: "17422dda596ed5d9acd890e3c63f5051",
    iv: "5b78923dee08579033e523d9",
  },
];

for (const t of TRACE) {
  test(`RFC 8448 §3: ${t.name} traffic secret → write key and IV`, () => {
    const k = trafficKeys(AES128, hex(t.secret));
    assert.equal(h(k.key), t.key);
    assert.equal(h(k.iv), t.iv);
  });
}

test('RFC 8448 §3: Derive-Secret(handshake secret, "s hs traffic", transcript) is HKDF-Expand-Label', () => {
  const handshakeSecret = hex("1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac");
  const helloHash = hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
  assert.equal(h(hkdfExpandLabel("sha256", handshakeSecret, "s hs traffic", helloHash, 32)), TRACE[0].secret);
  assert.equal(h(hkdfExpandLabel("sha256", handshakeSecret, "c hs traffic", helloHash, 32)), TRACE[1].secret);
});

test('KeyUpdate: the next secret is HKDF-Expand-Label(secret, "traffic upd", "", Hash.length) (RFC 8446 §7.2)', () => {
  const s0 = hex(TRACE[3].secret);
  // The HkdfLabel struct spelled out by hand: length 32, "tls13 traffic upd", empty context.
  const label = Buffer.from("tls13 traffic upd", "latin1");
  const info = Buffer.concat([Buffer.from([0, 32, label.length]), label, Buffer.from([0])]);
  const s1 = nextTrafficSecret(AES128, s0);
  assert.equal(h(s1), h(hkdfExpand("sha256", s0, info, 32)));
  assert.notEqual(h(s1), h(s0));
  assert.equal(
    nextTrafficSecret(cipherSuite(0x1302)!, Buffer.alloc(48, 1)).length,
    48,
    "SHA-384 suites keep 48 bytes",
  );
});
