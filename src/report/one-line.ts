// Strings that came from a capture never reach the terminal raw: control characters (C0, DEL, C1), line
// and paragraph separators and bidirectional overrides are escaped; everything else, quotes included, is kept.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/g;
const SHORT: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };

/** The string on one line with every unsafe character escaped (`\n`, `\u001b`, `\\`). */
export function oneLine(s: string): string {
  return s.replace(UNSAFE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
