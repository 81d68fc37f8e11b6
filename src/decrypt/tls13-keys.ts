// TLS 1.3 key derivation from logged traffic secrets (RFC 8446 §7.1, §7.2, §7.3): HKDF-Expand-Label gives
// each secret's record key and IV, and the next generation of a secret after a KeyUpdate. The handshake's
// own key schedule (ECDHE, transcript hashes) is not needed: the key log holds the traffic secrets.

import { createHmac } from "node:crypto";
import { type CipherSuite, keyLength } from "./cipher-suites.ts";

/** TLS 1.3 per-record nonce length: max(8, N_MIN) = 12 for every defined AEAD (RFC 8446 §5.3). */
export const TLS13_IV_LENGTH = 12;

/** HKDF-Expand (RFC 5869 §2.3): T(1) | T(2) | ... cut to `length` bytes. */
export function hkdfExpand(hash: string, prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  let t: Buffer = Buffer.alloc(0);
  let filled = 0;
  for (let i = 1; filled < length; i++) {
    t = createHmac(hash, prk).update(t).update(info).update(Uint8Array.of(i)).digest();
    filled += t.copy(out, filled, 0, Math.min(t.length, length - filled));
  }
  return out;
}

/**
 * HKDF-Expand-Label(secret, label, context, length) (RFC 8446 §7.1): the info is the HkdfLabel struct,
 * uint16 length, opaque label<7..255> = "tls13 " + label, opaque context<0..255>.
 */
export function hkdfExpandLabel(
  hash: string,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Buffer {
  const full = Buffer.from(`tls13 ${label}`, "latin1");
  const info = Buffer.concat([
    Uint8Array.of(length >> 8, length & 0xff, full.length),
    full,
    Uint8Array.of(context.length),
    context,
  ]);
  return hkdfExpand(hash, secret, info, length);
}

/** A record key and IV. */
export interface TrafficKeys {
  /** write_key. */
  key: Uint8Array;
  /** write_iv. */
  iv: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** [sender]_write_key and _iv of a traffic secret (RFC 8446 §7.3). */
export function trafficKeys(suite: CipherSuite, secret: Uint8Array): TrafficKeys {
  return {
    key: hkdfExpandLabel(suite.hash, secret, "key", EMPTY, keyLength(suite.cipher)),
    iv: hkdfExpandLabel(suite.hash, secret, "iv", EMPTY, TLS13_IV_LENGTH),
  };
}

/** application_traffic_secret_N+1 after a KeyUpdate (RFC 8446 §7.2): Expand-Label(secret, "traffic upd"). */
export function nextTrafficSecret(suite: CipherSuite, secret: Uint8Array): Buffer {
  return hkdfExpandLabel(suite.hash, secret, "traffic upd", EMPTY, secret.length);
}
