// Skip tables for the matcher's scan, Wu–Manber style: looking at the last bytes of the window that ends at
// position p, how far on must the next window that could be some needle's key end? Bytes that occur in no key
// (compressed, encrypted or random payloads against a profile's digits and hex) let the scan jump almost a
// key's length at a time; only windows at distance 0 are hashed. Two tables: one indexed by the last two
// bytes (cheap), one by a hash of the last four (sharp where two bytes say little, as in hex). Both are
// indexed by raw bytes: a case-insensitive needle files each case form of its letters, a case-sensitive one
// only the bytes it can match.

import { FOLD } from "./byte-classes.ts";
import { K_LO, log2Ceil } from "./key-filter.ts";

/** Slots of the four-byte table per needle (each files up to five blocks), and its bounds. */
const SKIP4_PER_NEEDLE = 16;
const MIN_SKIP4_LOG = 8;
const MAX_SKIP4_LOG = 18;

/** The two tables. Distances are in bytes (0: this window may be a key). */
export interface SkipTables {
  /** By `data[p-2] << 8 | data[p-1]`. */
  skip2: Uint8Array;
  /** By `Math.imul(w, K_LO) >>> skip4Shift`, w being the last four bytes as a big-endian word. */
  skip4: Uint8Array;
  /** Right shift of the four-byte hash. */
  skip4Shift: number;
}

/**
 * Builds the tables over needles `which`, each filed under a key of `keyOf(needle)` bytes; `folded(needle)`
 * tells whether it matches in any ASCII case (else only as written). `minKey` is the shortest key: a window
 * may be a key at most `minKey − 1` positions on, whatever its bytes.
 */
export function buildSkipTables(
  needles: readonly Uint8Array[],
  which: readonly number[],
  keyOf: (p: number) => number,
  folded: (p: number) => boolean,
  minKey: number,
): SkipTables {
  // A four-byte block says nothing about keys shorter than four bytes: its table is then all zeros.
  const use4 = minKey >= 4;
  const log4 = use4
    ? Math.min(MAX_SKIP4_LOG, Math.max(MIN_SKIP4_LOG, log2Ceil(which.length * SKIP4_PER_NEEDLE)))
    : 8;
  const t: SkipTables = {
    skip2: new Uint8Array(1 << 16).fill(Math.max(0, minKey - 1)),
    skip4: new Uint8Array(1 << log4).fill(use4 ? minKey - 3 : 0),
    skip4Shift: 32 - log4,
  };
  for (const p of which) {
    const key = keyOf(p);
    const cases = folded(p) ? 2 : 1;
    fileSkip2(t.skip2, needles[p], key, cases);
    if (use4) fileSkip4(t, needles[p], key, cases);
  }
  return t;
}

/** Lowers the distances of every two-byte block of the needle's key, in each of its `cases` (1 or 2). */
function fileSkip2(skip: Uint8Array, needle: Uint8Array, key: number, cases: number): void {
  const base = needle.length - key;
  for (let j = 2; j <= key; j++) {
    const dist = key - j;
    const a = needle[base + j - 2];
    const b = needle[base + j - 1];
    for (let ca = 0; ca < cases; ca++) {
      for (let cb = 0; cb < cases; cb++) {
        const at = (caseForm(a, ca, cases) << 8) | caseForm(b, cb, cases);
        if (skip[at] > dist) skip[at] = dist;
      }
    }
  }
}

/**
 * Lowers the distances of every four-byte block of the needle's key, hashed as the scan hashes the raw
 * word before the window (big-endian), in each case form of its letters when the needle is folded.
 */
function fileSkip4(t: SkipTables, needle: Uint8Array, key: number, cases: number): void {
  const base = needle.length - key;
  for (let j = 4; j <= key; j++) {
    const dist = key - j;
    const at = base + j - 4;
    // Every combination of lower/upper case over the block's letters (one combination when not folded).
    let letters = 0;
    for (let k = 0; k < 4; k++) if (cases === 2 && isLetter(needle[at + k])) letters |= 1 << k;
    for (let combo = letters; ; combo = (combo - 1) & letters) {
      let w = 0;
      for (let k = 0; k < 4; k++) w = (w << 8) | caseForm(needle[at + k], (combo >> k) & 1, cases);
      const slot = Math.imul(w, K_LO) >>> t.skip4Shift;
      if (t.skip4[slot] > dist) t.skip4[slot] = dist;
      if (combo === 0) break;
    }
  }
}

function isLetter(b: number): boolean {
  const f = FOLD[b];
  return f >= 0x61 && f <= 0x7a;
}

/** Form `which` (0 lower, 1 upper) of an ASCII letter of a folded needle; any byte as written otherwise. */
function caseForm(b: number, which: number, cases: number): number {
  return cases === 2 && isLetter(b) ? FOLD[b] - 0x20 * which : b;
}

/** Bytes held by the tables. */
export function skipTablesBytes(t: SkipTables): number {
  return t.skip2.byteLength + t.skip4.byteLength;
}
