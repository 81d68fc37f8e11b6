// Decoding of HPACK's static Huffman code (RFC 7541 §5.2, Appendix B). The code is canonical, so a symbol is
// found from code lengths alone: bit by bit, the code read so far either falls inside the run of codes of its
// length or moves on to the next length. No tree is built, and the work is bounded by the input's bits.

import { HUFFMAN_EOS, HUFFMAN_LENGTHS } from "./hpack-huffman-table.ts";

/** Longest code in the table (EOS and a few control bytes). */
const MAX_LENGTH = 30;

/** Symbols ordered by (code length, symbol): the canonical order in which codes are handed out. */
const SORTED = new Uint16Array(HUFFMAN_LENGTHS.length);
/** How many codes have each length. */
const COUNT = new Uint16Array(MAX_LENGTH + 1);

{
  const order = HUFFMAN_LENGTHS.map((len, sym) => ({ len, sym })).sort(
    (a, b) => a.len - b.len || a.sym - b.sym,
  );
  order.forEach((o, i) => {
    SORTED[i] = o.sym;
    COUNT[o.len]++;
  });
}

/** Why a Huffman string could not be decoded. */
export type HuffmanProblem = "eos_in_string" | "padding_too_long" | "padding_not_eos";

/**
 * The bytes `src[start, end)` encode, or the problem: an EOS symbol inside the string, or padding that is
 * longer than 7 bits or not the most significant bits of EOS (all ones), both decoding errors (§5.2).
 */
export function huffmanDecode(src: Uint8Array, start: number, end: number): Buffer | HuffmanProblem {
  // Every code is at least 5 bits long, which bounds the output.
  const out = Buffer.allocUnsafe(Math.floor(((end - start) * 8) / 5));
  let n = 0;
  let code = 0; // bits read since the last symbol, as a number
  let first = 0; // first code of the current length
  let index = 0; // position in SORTED of that first code
  let len = 0; // bits read since the last symbol
  for (let i = start; i < end; i++) {
    const byte = src[i];
    for (let bit = 7; bit >= 0; bit--) {
      code |= (byte >> bit) & 1;
      len++;
      const count = COUNT[len];
      if (code - first < count) {
        const sym = SORTED[index + code - first];
        if (sym === HUFFMAN_EOS) return "eos_in_string";
        out[n++] = sym;
        code = first = index = len = 0;
        continue;
      }
      index += count;
      first = (first + count) * 2;
      code *= 2;
    }
  }
  if (len > 7) return "padding_too_long";
  // The pending bits (shifted once more than read) must all be ones.
  if (len > 0 && code / 2 !== 2 ** len - 1) return "padding_not_eos";
  return out.subarray(0, n);
}
