// Packet protection keys of the Handshake and 1-RTT packet number spaces (RFC 9001 §5.1): the AEAD key, IV
// and header protection key that HKDF-Expand-Label derives from a TLS traffic secret (an NSS key log line),
// with the cipher suite's hash, and the next generation of a secret for a key update (RFC 9001 §6.1).
// QUIC v2 uses its own labels (RFC 9369 §3.3.2). The HKDF is TLS 1.3 decryption's (decrypt/tls13-keys.ts).

import { hkdfExpandLabel } from "../../decrypt/tls13-keys.ts";
import { QUIC_V2 } from "./quic-header.ts";

/** What a TLS 1.3 cipher suite means for QUIC packet protection (RFC 9001 §5.3, §5.4). */
export interface QuicSuite {
  /** IANA name. */
  name: string;
  /** node:crypto AEAD name. */
  aead: "aes-128-gcm" | "aes-256-gcm" | "chacha20-poly1305" | "aes-128-ccm";
  /** Header protection: AES-ECB of the sample (§5.4.3) or ChaCha20 keyed by the sample (§5.4.4). */
  hp: "aes-128-ecb" | "aes-256-ecb" | "chacha20";
  /** AEAD (and header protection) key length in bytes. */
  keyLen: number;
  /** Hash of the suite's HKDF, whose length is the traffic secret's. */
  hash: "sha256" | "sha384";
}

/**
 * The suites QUIC can use. TLS_AES_128_CCM_8_SHA256 (0x1305) is left out: RFC 9001 §5.3 forbids it, having
 * no header protection defined for its 8-byte tag.
 */
export const QUIC_SUITES: ReadonlyMap<number, QuicSuite> = new Map([
  [
    0x1301,
    { name: "TLS_AES_128_GCM_SHA256", aead: "aes-128-gcm", hp: "aes-128-ecb", keyLen: 16, hash: "sha256" },
  ],
  [
    0x1302,
    { name: "TLS_AES_256_GCM_SHA384", aead: "aes-256-gcm", hp: "aes-256-ecb", keyLen: 32, hash: "sha384" },
  ],
  [
    0x1303,
    {
      name: "TLS_CHACHA20_POLY1305_SHA256",
      aead: "chacha20-poly1305",
      hp: "chacha20",
      keyLen: 32,
      hash: "sha256",
    },
  ],
  [
    0x1304,
    { name: "TLS_AES_128_CCM_SHA256", aead: "aes-128-ccm", hp: "aes-128-ecb", keyLen: 16, hash: "sha256" },
  ],
]);

/** One direction's keys of one key phase. */
export interface PacketKeys {
  /** The suite they belong to. */
  suite: QuicSuite;
  /** AEAD key. */
  key: Uint8Array;
  /** AEAD IV (12 bytes). */
  iv: Uint8Array;
  /** Header protection key (unchanged by key updates, RFC 9001 §6). */
  hp: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** HKDF-Expand-Label with an empty context, as TLS 1.3 decryption computes it (RFC 8446 §7.1). */
export function expandLabel(hash: QuicSuite["hash"], secret: Uint8Array, label: string, length: number) {
  return hkdfExpandLabel(hash, secret, label, EMPTY, length);
}

/** The label prefix of a version: `quicv2 ` for QUIC v2 (RFC 9369 §3.3.2), else `quic `. */
function prefix(version: number): string {
  return version === QUIC_V2 ? "quicv2 " : "quic ";
}

/** Key, IV and header protection key from a traffic secret (RFC 9001 §5.1). */
export function packetKeys(suite: QuicSuite, secret: Uint8Array, version: number): PacketKeys {
  const p = prefix(version);
  return {
    suite,
    key: expandLabel(suite.hash, secret, `${p}key`, suite.keyLen),
    iv: expandLabel(suite.hash, secret, `${p}iv`, 12),
    hp: expandLabel(suite.hash, secret, `${p}hp`, suite.keyLen),
  };
}

/** The secret of the next key phase: HKDF-Expand-Label(secret, "quic ku", "", Hash.length) (RFC 9001 §6.1). */
export function nextSecret(suite: QuicSuite, secret: Uint8Array, version: number): Uint8Array {
  return expandLabel(suite.hash, secret, `${prefix(version)}ku`, secret.length);
}
