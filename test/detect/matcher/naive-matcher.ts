// Reference for the matcher tests: the obvious quadratic search, written straight from the semantics
// (ASCII case folding for case-insensitive needles, letters/digits around a whole-word match reject it).

import type { Needle } from "../../../src/detect/detect-types.ts";

/** One match as `[needle, start, end]`. */
export type Hit = [number, number, number];

const lower = (b: number): number => (b >= 65 && b <= 90 ? b + 32 : b);
const isWord = (b: number): boolean => (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122);

/** Every match of every needle in `hay`, sorted by end, then needle, then start. */
export function naiveMatches(needles: readonly Needle[], hay: Uint8Array): Hit[] {
  const out: Hit[] = [];
  needles.forEach((n, idx) => {
    const len = n.bytes.length;
    if (len === 0) return;
    for (let s = 0; s + len <= hay.length; s++) {
      let ok = true;
      for (let j = 0; j < len && ok; j++) {
        const a = hay[s + j];
        const b = n.bytes[j];
        ok = n.caseInsensitive ? lower(a) === lower(b) : a === b;
      }
      if (!ok) continue;
      if (n.wholeWord && ((s > 0 && isWord(hay[s - 1])) || (s + len < hay.length && isWord(hay[s + len]))))
        continue;
      out.push([idx, s, s + len]);
    }
  });
  return sortHits(out);
}

/** Sorts hits by end, needle, start (the matcher promises only end order). */
export function sortHits(hits: Hit[]): Hit[] {
  return hits.sort((x, y) => x[2] - y[2] || x[0] - y[0] || x[1] - y[1]);
}

/** A needle with test defaults. */
export function needle(bytes: Uint8Array | string, opts: Partial<Needle> = {}): Needle {
  const b = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  return {
    bytes: b,
    kind: "custom",
    label: "test",
    value: "test",
    variant: "exact",
    steps: [],
    confidence: 1,
    ...opts,
  };
}
