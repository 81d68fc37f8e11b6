// The decryption table against the IANA names of the same suites (tls-names.ts, from the IANA TLS
// registry): the cipher, the MAC and the PRF hash must be the ones the name spells out.

import assert from "node:assert/strict";
import { test } from "node:test";
import { cipherName } from "../../src/decode/tls/tls-names.ts";
import { cipherSuite, DECRYPTABLE_SUITES, keyLength, tagLength } from "../../src/decrypt/cipher-suites.ts";

/** What an IANA suite name says: `TLS_<kx>_WITH_<cipher>_<hash>` (≤ 1.2) or `TLS_<cipher>_<hash>` (1.3). */
function fromName(name: string) {
  const m =
    /^TLS_(?:.*_WITH_)?(AES_128_GCM|AES_256_GCM|CHACHA20_POLY1305|AES_128_CCM_8|AES_256_CCM_8|AES_128_CCM|AES_256_CCM|AES_128_CBC|AES_256_CBC)(?:_(SHA|SHA256|SHA384))?$/.exec(
      name,
    );
  assert.ok(m, `unexpected suite name ${name}`);
  const cipher = m[1].toLowerCase().replace(/_/g, "-").replace("-ccm-8", "-ccm8");
  const hash = m[2] === "SHA384" ? "sha384" : "sha256";
  const mac = cipher.endsWith("-cbc") ? (m[2] === "SHA" ? "sha1" : hash) : undefined;
  return { cipher, mac, hash };
}

test("every decryptable suite's cipher, MAC and PRF hash agree with its IANA name", () => {
  let named = 0;
  for (const id of DECRYPTABLE_SUITES) {
    const name = cipherName(id);
    if (name.startsWith("0x")) continue; // not in the name table; nothing to compare with
    named++;
    const want = fromName(name);
    const s = cipherSuite(id)!;
    assert.equal(s.cipher, want.cipher, name);
    assert.equal(s.mac, want.mac, name);
    // RFC 5246 §5: SHA-256 PRF unless the suite says otherwise; SHA-1 CBC suites still use SHA-256.
    assert.equal(s.hash, want.hash, name);
    assert.equal(s.tls13, id >> 8 === 0x13, name);
  }
  assert.ok(named >= 60, `${named} suites compared`);
});

test("key and tag lengths follow the cipher", () => {
  assert.equal(keyLength("aes-128-gcm"), 16);
  assert.equal(keyLength("chacha20-poly1305"), 32);
  assert.equal(keyLength("aes-256-cbc"), 32);
  assert.equal(tagLength("aes-128-ccm8"), 8);
  assert.equal(tagLength("aes-256-gcm"), 16);
  assert.equal(tagLength("aes-128-cbc"), 0);
  assert.equal(cipherSuite(0x000a), undefined, "3DES is not decrypted");
  assert.equal(cipherSuite(0x0005), undefined, "RC4 is not decrypted");
});
