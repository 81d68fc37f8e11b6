// Strings that came from a capture never reach the terminal raw: control characters are escaped.

/** The string JSON-escaped without its quotes: one line, no control characters. */
export function oneLine(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}
