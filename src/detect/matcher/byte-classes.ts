// Byte tables for the matcher: ASCII case folding, "word" bytes for whole-word checks, and the byte →
// equivalence-class map that keeps the automaton's rows as narrow as the needles' alphabet.

/** ASCII fold: A–Z → a–z, every other byte unchanged. Folding the haystack goes through this table. */
export const FOLD: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
  return t;
})();

/** 1 for ASCII letters and digits (the bytes that break a whole-word match), else 0. */
export const WORD_BYTE: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    const alpha = (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
    t[b] = alpha || (b >= 0x30 && b <= 0x39) ? 1 : 0;
  }
  return t;
})();

/** True when the byte is an ASCII letter (a case-sensitive needle with one needs an exact-case check). */
export function isAsciiLetter(b: number): boolean {
  return FOLD[b] >= 0x61 && FOLD[b] <= 0x7a;
}

/** The byte → class map over the needles' folded alphabet. */
export interface ByteClasses {
  /** Class of each haystack byte; 0 for bytes no needle contains (they always lead back to the root). */
  classOf: Uint8Array;
  /** Number of classes, including class 0. At most 231: folding leaves 230 distinct byte values. */
  count: number;
}

/**
 * Builds the class map: every folded byte value used by some needle gets its own class, A–Z share the class
 * of a–z, and all unused bytes share class 0. Case-sensitive needles are told apart afterwards by an exact
 * comparison at match time, so one automaton serves both kinds.
 */
export function buildByteClasses(needles: readonly Uint8Array[]): ByteClasses {
  const used = new Uint8Array(256);
  for (const bytes of needles) for (let i = 0; i < bytes.length; i++) used[FOLD[bytes[i]]] = 1;
  const byFolded = new Uint8Array(256);
  let count = 1;
  for (let b = 0; b < 256; b++) if (used[b] === 1) byFolded[b] = count++;
  const classOf = new Uint8Array(256);
  for (let b = 0; b < 256; b++) classOf[b] = byFolded[FOLD[b]];
  return { classOf, count };
}
