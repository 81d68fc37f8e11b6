// Byte tables for the matcher: ASCII case folding and "word" bytes for whole-word checks.

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
