// SHA-1 of small inputs, computed once per connection (uid, Community ID). Node's one-shot crypto.hash
// (Node ≥ 20.12) is several times faster than a createHash object for inputs this small; older Node 20
// releases fall back to createHash.

import * as crypto from "node:crypto";

type OneShot = (algorithm: string, data: Uint8Array, encoding: "buffer") => Buffer;

const oneShot: OneShot | undefined = (crypto as { hash?: OneShot }).hash;

/** SHA-1 digest of `data` (20 bytes). */
export function sha1(data: Uint8Array): Buffer {
  return oneShot ? oneShot("sha1", data, "buffer") : crypto.createHash("sha1").update(data).digest();
}
