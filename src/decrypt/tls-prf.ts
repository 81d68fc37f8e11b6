// TLS ≤ 1.2 key derivation: the PRF (RFC 5246 §5 for TLS 1.2, RFC 2246 §5 for TLS 1.0/1.1) and the key
// block that the master secret expands to (RFC 5246 §6.3), split into each side's MAC key, cipher key and
// IV. The master secret comes from the key log (CLIENT_RANDOM), so the handshake itself is never needed.

import { createHmac } from "node:crypto";
import { type CipherSuite, hashLength, isAead, keyLength } from "./cipher-suites.ts";

const latin1 = (s: string): Buffer => Buffer.from(s, "latin1");

/** P_hash(secret, seed) cut to `length` bytes (RFC 5246 §5): HMAC chained over A(i). */
export function pHash(hash: string, secret: Uint8Array, seed: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  let a: Buffer = createHmac(hash, secret).update(seed).digest();
  let filled = 0;
  while (filled < length) {
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    filled += block.copy(out, filled, 0, Math.min(block.length, length - filled));
    a = createHmac(hash, secret).update(a).digest();
  }
  return out;
}

/** The TLS 1.2 PRF with the suite's hash: P_<hash>(secret, label + seed). */
export function prf12(
  hash: "sha256" | "sha384",
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
) {
  return pHash(hash, secret, Buffer.concat([latin1(label), seed]), length);
}

/**
 * The TLS 1.0/1.1 PRF (RFC 2246 §5): the secret split in two halves (sharing the middle byte when its length
 * is odd), P_MD5 over the first XOR P_SHA-1 over the second.
 */
export function prf10(secret: Uint8Array, label: string, seed: Uint8Array, length: number): Buffer {
  const half = Math.ceil(secret.length / 2);
  const labelSeed = Buffer.concat([latin1(label), seed]);
  const md5 = pHash("md5", secret.subarray(0, half), labelSeed, length);
  const sha1 = pHash("sha1", secret.subarray(secret.length - half), labelSeed, length);
  for (let i = 0; i < length; i++) md5[i] ^= sha1[i];
  return md5;
}

/** One side's write keys. */
export interface WriteKeys {
  /** HMAC key (CBC suites), empty for AEAD suites. */
  macKey: Uint8Array;
  /** Cipher key. */
  key: Uint8Array;
  /** Fixed IV: the AEAD salt (4 bytes for GCM/CCM, 12 for ChaCha20), or the TLS 1.0 CBC initial IV. */
  iv: Uint8Array;
}

/** Both sides' keys from one key block. */
export interface KeyBlock {
  /** client_write_* keys. */
  client: WriteKeys;
  /** server_write_* keys. */
  server: WriteKeys;
}

/** Length of the fixed IV the key block holds for `suite` under `version` (RFC 5246 §6.3, RFC 2246 §6.3). */
function fixedIvLength(suite: CipherSuite, version: number): number {
  if (suite.cipher === "chacha20-poly1305") return 12; // RFC 7905 §2
  if (isAead(suite.cipher)) return 4; // RFC 5288 §3, RFC 6655 §3: the salt
  // CBC: only TLS 1.0 derives the IV; TLS 1.1 and 1.2 carry it explicitly in each record.
  return version <= 0x0301 ? 16 : 0;
}

/**
 * The key block of a TLS 1.0–1.2 session: PRF(master, "key expansion", server_random + client_random),
 * cut into client MAC key, server MAC key, client key, server key, client IV, server IV (RFC 5246 §6.3).
 */
export function keyBlock(
  suite: CipherSuite,
  version: number,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): KeyBlock {
  const macLen = suite.mac ? hashLength(suite.mac) : 0;
  const keyLen = keyLength(suite.cipher);
  const ivLen = fixedIvLength(suite, version);
  const total = 2 * (macLen + keyLen + ivLen);
  const seed = Buffer.concat([serverRandom, clientRandom]);
  const block =
    version >= 0x0303
      ? prf12(suite.hash, master, "key expansion", seed, total)
      : prf10(master, "key expansion", seed, total);
  let p = 0;
  const take = (n: number): Uint8Array => {
    const part = block.subarray(p, p + n);
    p += n;
    return part;
  };
  const [cMac, sMac, cKey, sKey, cIv, sIv] = [macLen, macLen, keyLen, keyLen, ivLen, ivLen].map(take);
  return { client: { macKey: cMac, key: cKey, iv: cIv }, server: { macKey: sMac, key: sKey, iv: sIv } };
}
