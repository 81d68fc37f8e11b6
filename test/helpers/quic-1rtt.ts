// Builds protected QUIC 1-RTT (short header) packets for tests: its own key schedule from a traffic secret
// (checked against RFC 9001 / RFC 9369 Appendix A.5 in the tests), AEAD sealing and header protection for
// AES-GCM, AES-CCM and ChaCha20-Poly1305, key updates, and the frames a request needs (STREAM, RESET_STREAM,
// NEW_CONNECTION_ID). The encrypt side phonehome lacks, written apart from src/. Test helper only.

import { type CipherCCMTypes, createCipheriv, createHmac } from "node:crypto";

/** What a suite needs to seal a packet. */
export interface SealSuite {
  aead: "aes-128-gcm" | "aes-256-gcm" | "chacha20-poly1305" | "aes-128-ccm";
  keyLen: number;
  hash: "sha256" | "sha384";
}

/** The TLS 1.3 suites by code point (RFC 8446 §B.4). */
export const SEAL_SUITES: Record<number, SealSuite> = {
  4865: { aead: "aes-128-gcm", keyLen: 16, hash: "sha256" },
  4866: { aead: "aes-256-gcm", keyLen: 32, hash: "sha384" },
  4867: { aead: "chacha20-poly1305", keyLen: 32, hash: "sha256" },
  4868: { aead: "aes-128-ccm", keyLen: 16, hash: "sha256" },
};

/** HKDF-Expand-Label(secret, label, "", len) over as many HMAC blocks as needed (RFC 8446 §7.1). */
export function expand(hash: string, secret: Uint8Array, label: string, len: number): Uint8Array {
  const l = Buffer.from(`tls13 ${label}`, "latin1");
  const info = Buffer.from([len >> 8, len & 0xff, l.length, ...l, 0]);
  const out: number[] = [];
  let t = Buffer.alloc(0);
  for (let i = 1; out.length < len; i++) {
    t = createHmac(hash, secret)
      .update(Buffer.concat([t, info, Buffer.from([i])]))
      .digest();
    out.push(...t);
  }
  return Uint8Array.from(out.slice(0, len));
}

/** One direction's sealing keys. */
export interface SealKeys {
  suite: SealSuite;
  key: Uint8Array;
  iv: Uint8Array;
  hp: Uint8Array;
  secret: Uint8Array;
  v2: boolean;
}

/** Keys from a traffic secret (RFC 9001 §5.1; `quicv2 ` labels for v2, RFC 9369 §3.3.2). */
export function sealKeys(code: number, secret: Uint8Array, v2 = false): SealKeys {
  const suite = SEAL_SUITES[code];
  const p = v2 ? "quicv2 " : "quic ";
  return {
    suite,
    key: expand(suite.hash, secret, `${p}key`, suite.keyLen),
    iv: expand(suite.hash, secret, `${p}iv`, 12),
    hp: expand(suite.hash, secret, `${p}hp`, suite.keyLen),
    secret,
    v2,
  };
}

/** The next key phase's keys: a new secret by "quic ku", the same hp key (RFC 9001 §6.1). */
export function updatedKeys(k: SealKeys): SealKeys {
  const hashLen = k.suite.hash === "sha384" ? 48 : 32;
  const secret = expand(k.suite.hash, k.secret, k.v2 ? "quicv2 ku" : "quic ku", hashLen);
  const code = Number(Object.entries(SEAL_SUITES).find(([, s]) => s === k.suite)![0]);
  return { ...sealKeys(code, secret, k.v2), hp: k.hp };
}

/** The 5-byte header protection mask of a sample (RFC 9001 §5.4.3, §5.4.4). */
export function hpMask(k: SealKeys, sample: Uint8Array): Uint8Array {
  if (k.suite.aead === "chacha20-poly1305") {
    return createCipheriv("chacha20", k.hp, sample).update(new Uint8Array(5));
  }
  const c = createCipheriv(k.suite.keyLen === 32 ? "aes-256-ecb" : "aes-128-ecb", k.hp, null);
  c.setAutoPadding(false);
  return c.update(sample).subarray(0, 5);
}

/** AEAD-seals `plain` with the packet number's nonce and `aad`; ciphertext then 16-byte tag. */
export function seal(k: SealKeys, pn: number, aad: Uint8Array, plain: Uint8Array): Uint8Array {
  const nonce = Uint8Array.from(k.iv);
  for (let i = 0, x = pn; i < 8; i++, x = Math.floor(x / 256)) nonce[11 - i] ^= x % 256;
  const c = createCipheriv(k.suite.aead as CipherCCMTypes, k.key, nonce, { authTagLength: 16 });
  c.setAAD(aad, { plaintextLength: plain.length });
  return Uint8Array.from(Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]));
}

/** What a short-header packet holds. */
export interface ShortSpec {
  dcid: Uint8Array;
  pn: number;
  pnLen?: 1 | 2 | 3 | 4;
  keyPhase?: 0 | 1;
  /** Plaintext frames (padded with PADDING so the sample fits). */
  frames: Uint8Array;
  /** Clear the QUIC bit (RFC 9287 grease). */
  grease?: boolean;
}

/** A protected 1-RTT packet (RFC 9000 §17.3.1, RFC 9001 §5.3-5.4). */
export function sealShort(k: SealKeys, s: ShortSpec): Uint8Array {
  const pnLen = s.pnLen ?? 2;
  let plain = s.frames;
  const min = 4 - pnLen; // the sample (4 bytes past the packet number, 16 long) must fit (RFC 9001 §5.4.2)
  if (plain.length < min) plain = Uint8Array.from([...plain, ...new Uint8Array(min - plain.length)]);
  const first = (s.grease ? 0x00 : 0x40) | ((s.keyPhase ?? 0) << 2) | (pnLen - 1);
  const pnBytes: number[] = [];
  for (let i = pnLen - 1; i >= 0; i--) pnBytes.push(Math.floor(s.pn / 256 ** i) % 256);
  const header = Uint8Array.from([first, ...s.dcid, ...pnBytes]);
  const body = seal(k, s.pn, header, plain);
  const out = Uint8Array.from([...header, ...body]);
  const pnOff = 1 + s.dcid.length;
  const mask = hpMask(k, out.subarray(pnOff + 4, pnOff + 20));
  out[0] ^= mask[0] & 0x1f;
  for (let i = 0; i < pnLen; i++) out[pnOff + i] ^= mask[1 + i];
  return out;
}

/** A QUIC varint (RFC 9000 §16), minimal length. */
export function qvarint(v: number): number[] {
  const n = v < 64 ? 1 : v < 16384 ? 2 : v < 2 ** 30 ? 4 : 8;
  const out: number[] = [];
  let x = v;
  for (let i = 0; i < n; i++) {
    out.unshift(x % 256);
    x = Math.floor(x / 256);
  }
  out[0] |= [0, 0x40, 0, 0x80, 0, 0, 0, 0xc0][n - 1];
  return out;
}

/** A STREAM frame with offset and length fields (type 0x0e, 0x0f with FIN; RFC 9000 §19.8). */
export function streamFrame(id: number, offset: number, data: Uint8Array, fin = false): Uint8Array {
  return Uint8Array.from([
    fin ? 0x0f : 0x0e,
    ...qvarint(id),
    ...qvarint(offset),
    ...qvarint(data.length),
    ...data,
  ]);
}

/** RESET_STREAM (§19.4): stream id, error code, final size. */
export function resetStreamFrame(id: number, finalSize: number): Uint8Array {
  return Uint8Array.from([0x04, ...qvarint(id), ...qvarint(0x10c), ...qvarint(finalSize)]);
}

/** An HTTP/3 frame (RFC 9114 §7.1): type, length, payload. */
export function h3Frame(type: number, payload: Uint8Array): Uint8Array {
  return Uint8Array.from([...qvarint(type), ...qvarint(payload.length), ...payload]);
}

/** Concatenates byte arrays. */
export function join(...parts: (Uint8Array | number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}
