// Digests of small inputs: per connection (uid, Community ID), per ClientHello (JA4) and per profile value
// (needle digests). Node's one-shot crypto.hash (Node ≥ 20.12) is several times faster than a createHash
// object for inputs this small; older Node 20 releases fall back to createHash. Also the non-cryptographic
// 32-bit mixer the flow index and the uids use.

import * as crypto from "node:crypto";

type OneShot = (algorithm: string, data: Uint8Array | string, encoding: "buffer") => Buffer;

const oneShot: OneShot | undefined = (crypto as { hash?: OneShot }).hash;

/** The `algorithm` digest (a node:crypto name: md5, sha1, sha256) of `data` (a string is hashed as UTF-8). */
export function digest(algorithm: string, data: Uint8Array | string): Buffer {
  return oneShot ? oneShot(algorithm, data, "buffer") : crypto.createHash(algorithm).update(data).digest();
}

/** SHA-1 digest of `data` (20 bytes). */
export function sha1(data: Uint8Array): Buffer {
  return digest("sha1", data);
}

/** MurmurHash3's 32-bit finaliser, as a signed 32-bit integer: a bijection spreading every input bit over the word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
