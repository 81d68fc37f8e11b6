// Host globs for policy rules: `*` matches any run of characters (dots included), `?` exactly one. Matched
// with the greedy backtrack-to-last-star walk, which takes O(pattern × text) steps at worst, so a hostile
// pattern such as `*a*a*a*a*b` cannot stall a run the way a regular expression could.

/** True when `text` matches `pattern` in full; both are compared as given (callers lower-case them). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
