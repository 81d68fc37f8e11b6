// A deliberately naive reference matcher for tests: does a needle occur in a haystack under the Needle
// contract (ASCII case folding of the haystack, whole-word boundaries)? Independent of the real matcher.

import type { Needle } from "../../../src/detect/detect-types.ts";

const isWordByte = (b: number | undefined): boolean =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));

/** True when `n` matches somewhere in `hay`. */
export function occurs(hay: Uint8Array | string, n: Needle): boolean {
  let h = Buffer.from(typeof hay === "string" ? Buffer.from(hay, "utf8") : hay);
  if (n.caseInsensitive)
    h = Buffer.from(
      h.toString("latin1").replace(/[A-Z]/g, (c) => c.toLowerCase()),
      "latin1",
    );
  for (let at = h.indexOf(n.bytes); at >= 0; at = h.indexOf(n.bytes, at + 1)) {
    if (!n.wholeWord) return true;
    if (!isWordByte(h[at - 1]) && !isWordByte(h[at + n.bytes.length])) return true;
  }
  return false;
}

/** The needle bytes as text (for readable assertions). */
export function text(n: Needle): string {
  return Buffer.from(n.bytes).toString("latin1");
}
