// Needles filed under a key: their last `keyBytes` case-folded bytes. The scan holds the last eight bytes of
// the haystack in two 32-bit words (`lo` the newest four, newest in the low byte; `hi` the four before),
// masks them to the key's length, hashes them and tests one bit of a bitmap; only on a hit does it look the
// exact key up and compare the rest of the candidate needles. The cost per window is the same for 20 needles
// or 20,000 (a multi-pattern Rabin–Karp), where an automaton's states go deep on hex- and base64-rich text.

import { FOLD } from "./byte-classes.ts";

/** Longest key: two 32-bit words. */
export const MAX_KEY_BYTES = 8;

/** Multiplier of the window hash's low word (odd, with well-mixed high bits); scan loops inline the hash. */
export const K_LO = 0x9e3779b1 | 0;
/** Multiplier of the window hash's high word. */
export const K_HI = 0x85ebca77 | 0;

/** Bitmap bits per distinct key: about 1 in 64 windows that are no key passes the bitmap. */
const BITS_PER_KEY = 64;
const MIN_BITMAP_LOG = 10;
/** 2^22 bits = 512 KiB: the most the bitmap may take, whatever the number of needles. */
const MAX_BITMAP_LOG = 22;

/** The built filter. Needle numbers are the caller's (indexes into its needle array). */
export interface KeyFilter {
  /** Key length in bytes (1 .. MAX_KEY_BYTES). */
  keyBytes: number;
  /** Masks that cut the window words down to the key. */
  loMask: number;
  hiMask: number;
  /** Bitmap over the window hash: bit h is set when some key hashes to h. */
  bits: Int32Array;
  /** Right shift turning the 32-bit hash product into a bitmap index (32 − log2 of the bitmap's bits). */
  shift: number;
  /** Right shift turning a bitmap index into a key-table slot. */
  slotShift: number;
  /** Key table (open addressing, linear probing): masked low and high window words of each slot's key. */
  keyLo: Int32Array;
  keyHi: Int32Array;
  /** First needle filed under each slot's key, or −1 for an empty slot. */
  first: Int32Array;
  /** Next needle with the same key, or −1 (indexed by needle number). */
  next: Int32Array;
}

/** The bitmap index of window words already masked to the key. Scan loops inline this expression. */
export function windowHash(lo: number, hi: number, shift: number): number {
  return Math.imul(lo ^ Math.imul(hi, K_HI), K_LO) >>> shift;
}

/** The window words of the last `keyBytes` bytes of `bytes`, folded and masked as the scan makes them. */
export function keyWords(bytes: Uint8Array, keyBytes: number): [number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = bytes.length - keyBytes; i < bytes.length; i++) {
    hi = (hi << 8) | (lo >>> 24);
    lo = (lo << 8) | FOLD[bytes[i]];
  }
  return [lo, hi];
}

/** Base-2 logarithm of the smallest power of two ≥ n. */
export function log2Ceil(n: number): number {
  let l = 0;
  while (2 ** l < n) l++;
  return l;
}

/**
 * Files needles `which` (each at least `keyBytes` long) under their folded suffix. `needleCount` sizes the
 * candidate chains (they are indexed by needle number).
 */
export function buildKeyFilter(
  needles: readonly Uint8Array[],
  which: readonly number[],
  keyBytes: number,
  needleCount: number,
): KeyFilter {
  const bitmapLog = Math.min(MAX_BITMAP_LOG, Math.max(MIN_BITMAP_LOG, log2Ceil(which.length * BITS_PER_KEY)));
  const slotLog = Math.min(bitmapLog, Math.max(4, log2Ceil(which.length * 2)));
  const f: KeyFilter = {
    keyBytes,
    loMask: keyBytes >= 4 ? -1 : (1 << (8 * keyBytes)) - 1,
    hiMask: keyBytes <= 4 ? 0 : keyBytes === 8 ? -1 : (1 << (8 * (keyBytes - 4))) - 1,
    bits: new Int32Array(1 << (bitmapLog - 5)),
    shift: 32 - bitmapLog,
    slotShift: bitmapLog - slotLog,
    keyLo: new Int32Array(1 << slotLog),
    keyHi: new Int32Array(1 << slotLog),
    first: new Int32Array(1 << slotLog).fill(-1),
    next: new Int32Array(needleCount).fill(-1),
  };
  // Filed in reverse so each chain lists its needles in ascending order.
  for (let k = which.length - 1; k >= 0; k--) {
    const p = which[k];
    const [lo, hi] = keyWords(needles[p], keyBytes);
    const h = windowHash(lo, hi, f.shift);
    f.bits[h >>> 5] |= 1 << (h & 31);
    const slot = findSlot(f, lo, hi, h);
    if (f.first[slot] < 0) {
      f.keyLo[slot] = lo;
      f.keyHi[slot] = hi;
    }
    f.next[p] = f.first[slot];
    f.first[slot] = p;
  }
  return f;
}

/** The slot holding key (lo, hi), or the empty slot where it would go. `h` is the key's bitmap index. */
export function findSlot(f: KeyFilter, lo: number, hi: number, h: number): number {
  const mask = f.first.length - 1;
  let s = h >>> f.slotShift;
  while (f.first[s] >= 0 && (f.keyLo[s] !== lo || f.keyHi[s] !== hi)) s = (s + 1) & mask;
  return s;
}

/** True when window (lo, hi) (unmasked) passes the filter's bitmap. */
export function mayHold(f: KeyFilter, lo: number, hi: number): boolean {
  const h = windowHash(lo & f.loMask, hi & f.hiMask, f.shift);
  return (f.bits[h >>> 5] & (1 << (h & 31))) !== 0;
}

/** Bytes held by the filter's tables. */
export function keyFilterBytes(f: KeyFilter): number {
  return f.bits.byteLength + f.keyLo.byteLength + f.keyHi.byteLength + f.first.byteLength + f.next.byteLength;
}
