// Initial packet protection (RFC 9001 §5): keys derived from the client's first Destination Connection ID
// and the version's public salt, header protection removed with AES-ECB on a ciphertext sample, the packet
// number recovered, and the payload opened with AES-128-GCM. Anyone on the path can do this by design
// (RFC 9001 §7), which is how an observer reads the ClientHello. Failures return undefined, never throw.

import { type Cipher, createCipheriv, createDecipheriv, createHmac } from "node:crypto";
import { isKnownVersion, type LongHeader, QUIC_DRAFT_29, QUIC_V2 } from "./quic-header.ts";

/** RFC 9001 §5.2 initial_salt for version 1 (also drafts 33–34). */
const SALT_V1 = hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
/** RFC 9369 §3.3.1 initial_salt for version 2. */
const SALT_V2 = hex("0dede3def700a6db819381be6e269dcbf9bd2ed9");
/** initial_salt of drafts 29–32 (draft-ietf-quic-tls-29 §5.2). */
const SALT_DRAFT_29 = hex("afbfec289993d24c9e9786f19c6111e04390a899");

/** Last draft version that used the draft-29 salt. */
const QUIC_DRAFT_32 = 0xff000020;

/** AES-128-GCM tag length and the header protection sample length (RFC 9001 §5.3, §5.4.2). */
const TAG_LEN = 16;
const SAMPLE_LEN = 16;

/** Key material of one direction's Initial packets. */
export interface InitialKeys {
  /** AEAD key (16 bytes). */
  key: Uint8Array;
  /** AEAD IV (12 bytes). */
  iv: Uint8Array;
  /** Header protection key (16 bytes). */
  hp: Uint8Array;
}

/** HKDF-Extract with SHA-256 (RFC 5869 §2.2). */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  const d = createHmac("sha256", salt).update(ikm).digest();
  return copyOf(d, 0, d.length);
}

/** HKDF-Expand-Label with an empty context (RFC 8446 §7.1), for outputs of at most 32 bytes (one block). */
export function hkdfExpandLabel(secret: Uint8Array, label: string, length: number): Uint8Array {
  const full = `tls13 ${label}`;
  const info = new Uint8Array(2 + 1 + full.length + 1 + 1);
  info[0] = length >> 8;
  info[1] = length & 0xff;
  info[2] = full.length;
  for (let i = 0; i < full.length; i++) info[3 + i] = full.charCodeAt(i);
  info[3 + full.length] = 0; // empty context
  info[4 + full.length] = 1; // HKDF-Expand block counter T(1)
  return copyOf(createHmac("sha256", secret).update(info).digest(), 0, length);
}

/** The initial salt of a version, or undefined when we do not know it. */
export function initialSalt(version: number): Uint8Array | undefined {
  if (!isKnownVersion(version)) return undefined;
  if (version === QUIC_V2) return SALT_V2;
  if (version >= QUIC_DRAFT_29 && version <= QUIC_DRAFT_32) return SALT_DRAFT_29;
  return SALT_V1;
}

/** The Initial keys of one side (RFC 9001 §5.2; v2 uses the `quicv2 ` labels, RFC 9369 §3.3.2). */
export function initialKeys(version: number, dcid: Uint8Array, server: boolean): InitialKeys | undefined {
  const salt = initialSalt(version);
  if (!salt) return undefined;
  const initial = hkdfExtract(salt, dcid);
  const secret = hkdfExpandLabel(initial, server ? "server in" : "client in", 32);
  const p = version === QUIC_V2 ? "quicv2 " : "quic ";
  return {
    key: hkdfExpandLabel(secret, `${p}key`, 16),
    iv: hkdfExpandLabel(secret, `${p}iv`, 12),
    hp: hkdfExpandLabel(secret, `${p}hp`, 16),
  };
}

/**
 * The full packet number from its truncated encoding and the largest one seen (RFC 9000 §A.3); arithmetic,
 * not 32-bit bitwise operations, so 4-byte encodings work.
 */
export function decodePacketNumber(largest: number, truncated: number, bits: number): number {
  const expected = largest + 1;
  const win = 2 ** bits;
  const hwin = win / 2;
  const candidate = expected - (expected % win) + truncated;
  if (candidate <= expected - hwin && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + hwin && candidate >= win) return candidate - win;
  return candidate;
}

/** Why opening failed (weird detail), or the result. */
export type OpenResult = { ok: true; payload: Uint8Array; pn: number } | { ok: false; why: string };

/** Opens one direction's Initial packets; keeps the header-protection cipher and the largest packet number. */
export class InitialOpener {
  private readonly keys: InitialKeys;
  private readonly hpCipher: Cipher;
  private largest = -1;

  /** Opener for one side's Initial packets, with that side's keys (see initialKeys). */
  constructor(keys: InitialKeys) {
    this.keys = keys;
    this.hpCipher = createCipheriv("aes-128-ecb", keys.hp, null);
    this.hpCipher.setAutoPadding(false);
  }

  /** The 5 mask bytes AES-ECB(hp, sample) gives (RFC 9001 §5.4.3). */
  mask(sample: Uint8Array): Uint8Array {
    return this.hpCipher.update(sample);
  }

  /** Removes header protection and decrypts the Initial packet `h` of datagram `b` (RFC 9001 §5.4.1, §5.3). */
  open(b: Uint8Array, h: LongHeader): OpenResult {
    const pnOff = h.pnOff;
    if (pnOff < 0 || h.end - pnOff < 4 + SAMPLE_LEN) return { ok: false, why: "packet too short to sample" };
    // §5.4.2: the sample starts 4 bytes after the Packet Number field, whatever its real length.
    const mask = this.mask(b.subarray(pnOff + 4, pnOff + 4 + SAMPLE_LEN));
    const first = h.firstByte ^ (mask[0] & 0x0f);
    const pnLen = (first & 3) + 1;
    let truncated = 0;
    for (let i = 0; i < pnLen; i++) truncated = truncated * 256 + (b[pnOff + i] ^ mask[1 + i]);
    const pn = decodePacketNumber(this.largest, truncated, pnLen * 8);
    const headerLen = pnOff + pnLen - h.start;
    if (h.end - (pnOff + pnLen) < TAG_LEN) return { ok: false, why: "no room for the AEAD tag" };
    const aad = copyOf(b, h.start, pnOff + pnLen);
    aad[0] = first;
    for (let i = 0; i < pnLen; i++) aad[headerLen - pnLen + i] ^= mask[1 + i];
    const payload = this.decrypt(aad, pn, b.subarray(pnOff + pnLen, h.end));
    if (!payload) return { ok: false, why: `AEAD authentication failed (packet number ${pn})` };
    if (pn > this.largest) this.largest = pn;
    return { ok: true, payload, pn };
  }

  /** AES-128-GCM open with nonce = iv XOR packet number (RFC 9001 §5.3). */
  private decrypt(aad: Uint8Array, pn: number, sealed: Uint8Array): Uint8Array | undefined {
    const nonce = copyOf(this.keys.iv, 0, this.keys.iv.length);
    let x = pn;
    for (let i = 11; i >= 4 && x > 0; i--) {
      nonce[i] ^= x % 256;
      x = Math.floor(x / 256);
    }
    try {
      const d = createDecipheriv("aes-128-gcm", this.keys.key, nonce);
      d.setAAD(aad);
      d.setAuthTag(sealed.subarray(sealed.length - TAG_LEN));
      const head = d.update(sealed.subarray(0, sealed.length - TAG_LEN));
      const tail = d.final();
      return tail.length === 0 ? head : Buffer.concat([head, tail]);
    } catch {
      return undefined;
    }
  }
}

/**
 * A copy of `b[start, end)`. Not `slice()`: on a Node Buffer that is a view, and writing into it would
 * change the caller's datagram (or the key material).
 */
export function copyOf(b: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(b.subarray(start, end));
  return out;
}

/** Bytes of a hex string (constants only). */
function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, "hex"));
}
