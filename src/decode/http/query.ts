// Query strings as the detector and the analyst read them: ordered [name, value] pairs, percent-decoded
// (RFC 3986 §2.1) with `+` as space (the form-urlencoding every client uses for queries), duplicates kept.
// Malformed input is kept, not rejected: a bad `%` escape, or escapes that do not spell UTF-8, stay raw.

const HEX = /^[0-9A-Fa-f]{2}$/;

/** The query of a request-target or URL: the text after the first `?`, up to a `#`; undefined without one. */
export function queryOf(target: string): string | undefined {
  const q = target.indexOf("?");
  if (q < 0) return undefined;
  const hash = target.indexOf("#", q + 1);
  return hash < 0 ? target.slice(q + 1) : target.slice(q + 1, hash);
}

/** `a=1&b=x%20y&flag` → [["a","1"],["b","x y"],["flag",""]]; empty members (`a=1&&b=2`) are skipped. */
export function parseQuery(query: string): [string, string][] {
  const out: [string, string][] = [];
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf("&", start);
    if (end < 0) end = query.length;
    if (end > start) {
      const eq = query.indexOf("=", start);
      const pair: [string, string] =
        eq < 0 || eq > end
          ? [decodeComponent(query.slice(start, end)), ""]
          : [decodeComponent(query.slice(start, eq)), decodeComponent(query.slice(eq + 1, end))];
      out.push(pair);
    }
    start = end + 1;
  }
  return out;
}

/** Percent-decodes one component; a malformed escape stays as written, as does a run of invalid UTF-8. */
export function decodeComponent(s: string): string {
  const plus = s.includes("+") ? s.replace(/\+/g, " ") : s;
  if (!plus.includes("%")) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return decodeRuns(plus);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Slow path: decodes runs of valid escapes; an escape that does not start valid UTF-8 stays as written. */
function decodeRuns(s: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    if (s[i] !== "%" || !HEX.test(s.slice(i + 1, i + 3))) {
      out += s[i++];
      continue;
    }
    const bytes: number[] = [];
    const runStart = i;
    while (s[i] === "%" && HEX.test(s.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    }
    out += utf8Run(bytes, s.slice(runStart, i));
  }
  return out;
}

/** Decodes escaped bytes sequence by sequence; `raw` is their escaped text (3 characters per byte). */
function utf8Run(bytes: number[], raw: string): string {
  let out = "";
  let k = 0;
  while (k < bytes.length) {
    const b = bytes[k];
    // RFC 3629 §4: the lead byte gives the sequence length.
    const n =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let text: string | undefined;
    if (n > 0 && k + n <= bytes.length) {
      try {
        text = utf8.decode(Uint8Array.from(bytes.slice(k, k + n)));
      } catch {
        text = undefined;
      }
    }
    if (text === undefined) {
      out += raw.slice(3 * k, 3 * k + 3);
      k++;
    } else {
      out += text;
      k += n;
    }
  }
  return out;
}
