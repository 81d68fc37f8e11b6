// Opening Handshake and 1-RTT packets with keys from a TLS key log: header protection removed with AES-ECB or
// ChaCha20 over a ciphertext sample (RFC 9001 §5.4), the packet number recovered (RFC 9000 §A.3), the payload
// opened with the suite's AEAD (RFC 9001 §5.3), and for 1-RTT the key phase followed across key updates
// (RFC 9001 §6). Failures are results with a reason, never exceptions.

import { type Cipher, type CipherCCMTypes, createCipheriv, createDecipheriv } from "node:crypto";
import { nextSecret, type PacketKeys, packetKeys, type QuicSuite } from "./packet-keys.ts";
import { copyOf, decodePacketNumber, type OpenResult } from "./quic-initial.ts";

/** AEAD tag and header protection sample length of every QUIC suite (RFC 9001 §5.3, §5.4.2). */
const TAG_LEN = 16;
const SAMPLE_LEN = 16;
const ZEROS5 = new Uint8Array(5);

/** The header protection mask function of one direction (the hp key survives key updates). */
export class HeaderProtection {
  private readonly ecb: Cipher | undefined;

  /** Mask function of `suite` keyed with `hp`. */
  constructor(
    private readonly suite: QuicSuite,
    private readonly hp: Uint8Array,
  ) {
    if (suite.hp !== "chacha20") {
      this.ecb = createCipheriv(suite.hp, hp, null);
      this.ecb.setAutoPadding(false);
    }
  }

  /**
   * The 5 mask bytes of a 16-byte sample: AES-ECB(hp, sample) (§5.4.3), or ChaCha20 with the sample's first 4
   * bytes as the little-endian block counter and the other 12 as the nonce, over five zero bytes (§5.4.4) —
   * exactly the 16-byte IV node:crypto's `chacha20` takes.
   */
  mask(sample: Uint8Array): Uint8Array {
    if (this.ecb) return this.ecb.update(sample).subarray(0, 5);
    return createCipheriv(this.suite.hp, this.hp, sample).update(ZEROS5);
  }
}

/** The nonce of packet number `pn`: the IV with the packet number XORed into its low bytes (§5.3). */
export function packetNonce(iv: Uint8Array, pn: number): Uint8Array {
  const nonce = copyOf(iv, 0, iv.length);
  let x = pn;
  for (let i = nonce.length - 1; i >= nonce.length - 8 && x > 0; i--) {
    nonce[i] ^= x % 256;
    x = Math.floor(x / 256);
  }
  return nonce;
}

/** AEAD-opens `sealed` (ciphertext then 16-byte tag); undefined when the tag does not verify. */
export function aeadOpen(
  keys: PacketKeys,
  pn: number,
  aad: Uint8Array,
  sealed: Uint8Array,
): Uint8Array | undefined {
  if (sealed.length < TAG_LEN) return undefined;
  const ct = sealed.subarray(0, sealed.length - TAG_LEN);
  const tag = sealed.subarray(sealed.length - TAG_LEN);
  const nonce = packetNonce(keys.iv, pn);
  try {
    // Typed as the CCM overload, the strictest: GCM and ChaCha20 take the same calls.
    const d = createDecipheriv(keys.suite.aead as CipherCCMTypes, keys.key, nonce, {
      authTagLength: TAG_LEN,
    });
    d.setAuthTag(tag);
    // CCM needs the plaintext length before the AAD (node:crypto's CCM mode contract).
    d.setAAD(aad, { plaintextLength: ct.length });
    const head = d.update(ct);
    const tail = d.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    return undefined;
  }
}

/** A successful open, with the key phase bit of a short header. */
export type ProtectedOpen = OpenResult & { keyPhase?: number };

/**
 * Opens one direction's packets of one packet number space. For 1-RTT (`keyUpdates`) it keeps the current
 * keys, derives the next phase's on demand, and keeps the previous phase's for packets reordered across an
 * update (RFC 9001 §6.3, §6.5).
 */
export class PacketOpener {
  /** Largest packet number opened so far (-1 before any): the base of packet number recovery. */
  largest = -1;
  private readonly hpMask: HeaderProtection;
  private secret: Uint8Array;
  private cur: PacketKeys;
  private prev: PacketKeys | undefined;
  private next: PacketKeys | undefined;
  private phase = 0;
  /** First packet number opened with the current keys (older ones may still use `prev`). */
  private phaseStart = 0;
  /** Key updates followed so far. */
  updates = 0;

  /** An opener for the traffic secret `secret` of `suite`, QUIC version `version`. */
  constructor(
    private readonly suite: QuicSuite,
    secret: Uint8Array,
    private readonly version: number,
    private readonly keyUpdates: boolean,
  ) {
    this.secret = secret;
    this.cur = packetKeys(suite, secret, version);
    this.hpMask = new HeaderProtection(suite, this.cur.hp);
  }

  /**
   * Opens the packet `b[start, end)` whose packet number field starts at `pnOff` (RFC 9001 §5.4.1). A short
   * header protects 5 bits of the first byte, a long header 4.
   */
  open(b: Uint8Array, start: number, pnOff: number, end: number, short: boolean): ProtectedOpen {
    if (end - pnOff < 4 + SAMPLE_LEN) return { ok: false, why: "packet too short to sample" };
    // §5.4.2: the sample starts 4 bytes after the Packet Number field, whatever its real length.
    const mask = this.hpMask.mask(b.subarray(pnOff + 4, pnOff + 4 + SAMPLE_LEN));
    const first = b[start] ^ (mask[0] & (short ? 0x1f : 0x0f));
    const pnLen = (first & 3) + 1;
    let truncated = 0;
    for (let i = 0; i < pnLen; i++) truncated = truncated * 256 + (b[pnOff + i] ^ mask[1 + i]);
    const pn = decodePacketNumber(this.largest, truncated, pnLen * 8);
    if (end - (pnOff + pnLen) < TAG_LEN) return { ok: false, why: "no room for the AEAD tag" };
    const aad = copyOf(b, start, pnOff + pnLen);
    aad[0] = first;
    for (let i = 0; i < pnLen; i++) aad[pnOff - start + i] ^= mask[1 + i];
    const sealed = b.subarray(pnOff + pnLen, end);
    const keyPhase = short ? (first >> 2) & 1 : undefined;
    const payload = this.decrypt(keyPhase, pn, aad, sealed);
    if (!payload) return { ok: false, why: `AEAD authentication failed (packet number ${pn})` };
    if (pn > this.largest) this.largest = pn;
    return { ok: true, payload, pn, keyPhase };
  }

  /** Opens with the keys the key phase bit names, rotating to the next phase when they verify. */
  private decrypt(kp: number | undefined, pn: number, aad: Uint8Array, sealed: Uint8Array) {
    if (!this.keyUpdates || kp === undefined || kp === this.phase) return aeadOpen(this.cur, pn, aad, sealed);
    if (this.prev && pn < this.phaseStart) return aeadOpen(this.prev, pn, aad, sealed);
    if (!this.next) {
      this.secret = nextSecret(this.suite, this.secret, this.version);
      const k = packetKeys(this.suite, this.secret, this.version);
      // §6: the header protection key is not updated.
      this.next = { ...k, hp: this.cur.hp };
    }
    const payload = aeadOpen(this.next, pn, aad, sealed);
    if (payload) {
      this.prev = this.cur;
      this.cur = this.next;
      this.next = undefined;
      this.phase = kp;
      this.phaseStart = pn;
      this.updates++;
    }
    return payload;
  }
}
