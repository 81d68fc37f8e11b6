// Email address guesses around an `@` (or its URL encoding `%40`) in text: an RFC 5322 dot-atom local part
// and a domain of ≥ 2 labels whose last label is alphabetic. File names like `icon@2x.png` are the common
// false positive, so a last label that is a well-known file extension is refused.

import type { GenericHit } from "../detect-types.ts";
import { latin1 } from "./id-tables.ts";
import { hintWeight, type KeyHint } from "./key-names.ts";
import { withKey } from "./number-ids.ts";

/** Last labels that are file extensions, not top-level domains in practice. */
const NOT_TLDS = new Set([
  "png",
  "jpg",
  "jpeg",
  "gif",
  "webp",
  "svg",
  "bmp",
  "ico",
  "js",
  "css",
  "json",
  "xml",
]);

/** RFC 5322 atext plus `.`, and `%` for percent-encoded characters in URLs. */
function isLocalChar(b: number): boolean {
  const l = b | 0x20;
  if ((b >= 0x30 && b <= 0x39) || (l >= 0x61 && l <= 0x7a)) return true;
  return b === 0x2e || b === 0x5f || b === 0x2d || b === 0x2b || b === 0x25 || b === 0x21 || b === 0x7e;
}

function isDomainChar(b: number): boolean {
  const l = b | 0x20;
  return (b >= 0x30 && b <= 0x39) || (l >= 0x61 && l <= 0x7a) || b === 0x2d || b === 0x2e;
}

/** End of a valid domain starting at `from`, or -1 (labels 1–63 bytes, no edge hyphens, alphabetic TLD). */
function domainEnd(d: Uint8Array, from: number): number {
  const stop = Math.min(d.length, from + 253);
  let i = from;
  while (i < stop && isDomainChar(d[i])) i++;
  while (i > from && (d[i - 1] === 0x2e || d[i - 1] === 0x2d)) i--; // sentence dot, trailing hyphen
  let labelStart = from;
  let labels = 0;
  for (let j = from; j <= i; j++) {
    if (j < i && d[j] !== 0x2e) continue;
    const len = j - labelStart;
    if (len < 1 || len > 63 || d[labelStart] === 0x2d || d[j - 1] === 0x2d) return -1;
    labels++;
    if (j === i) {
      if (len < 2 || len > 24) return -1;
      for (let k = labelStart; k < j; k++) if ((d[k] | 0x20) < 0x61 || (d[k] | 0x20) > 0x7a) return -1;
      if (NOT_TLDS.has(latin1(d, labelStart, j).toLowerCase())) return -1;
    }
    labelStart = j + 1;
  }
  return labels >= 2 ? i : -1;
}

/**
 * An email whose `@` (1 byte) or `%40` (3 bytes, `atLen`) is at `at`: emits it and returns the end of the
 * domain, or returns -1. The local part is read backwards at most 64 bytes (RFC 5321 §4.5.3.1.1).
 */
export function emailAt(
  d: Uint8Array,
  at: number,
  atLen: number,
  hints: (start: number) => readonly KeyHint[],
  emit: (h: GenericHit) => void,
): number {
  let s = at;
  const stop = Math.max(0, at - 64);
  while (s > stop && isLocalChar(d[s - 1])) s--;
  while (s < at && (d[s] === 0x2e || d[s] === 0x25)) s++; // no leading dot; a stray `%` is not the address
  if (s === at) return -1;
  const end = domainEnd(d, at + atLen);
  if (end < 0) return -1;
  const value = `${latin1(d, s, at)}@${latin1(d, at + atLen, end)}`;
  const w = hintWeight(hints(s), "email");
  const reason = `address with a domain and TLD${atLen === 3 ? " (URL-encoded @)" : ""}${w > 0 ? ", key" : ""}`;
  emit({ kind: "email", value, confidence: withKey(0.7, w), reason });
  return end;
}
