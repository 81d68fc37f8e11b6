// Encoded renderings of a form's bytes: percent-encoding (RFC 3986 style and the form style with `+` for
// space), base64 standard and URL-safe (RFC 4648 §4/§5) in all three alignments, and hex.
//
// Base64 alignment: a value at byte offset k of a longer string is encoded together with its neighbours, so the
// characters at its edges depend on them. Only the characters whose 6 bits all come from the value are stable;
// for each k mod 3 that stable core is the needle, and any base64 text containing the value contains one core.

/** One encoded rendering of a form. */
export interface Encoded {
  /** Needle bytes (ASCII-lower-cased when `caseInsensitive`). */
  bytes: Uint8Array;
  /** Variant name, e.g. `url`, `base64`, `base64url-a2`, `hex`. */
  variant: string;
  /** Transform steps as they end a finding's chain, e.g. `["base64"]`. */
  steps: string[];
  /** Match ASCII case-insensitively (hex digits and percent-escapes may be written in either case). */
  caseInsensitive: boolean;
}

/** Base64 cores shorter than this are too unspecific to be evidence; they are not emitted. */
export const MIN_CORE = 6;

const ascii = new TextEncoder();

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * URL-encoded renderings that differ from the plain text: `url` as JavaScript's encodeURIComponent writes it
 * (RFC 3986 §2.1 percent-encoding of UTF-8, space as %20) and `url-form` as application/x-www-form-urlencoded
 * writes it (WHATWG URL §5; space as `+`, as Java's URLEncoder and HTML forms do). Percent-escapes are matched
 * in either case, so `%2b` written by a lower-case encoder is found too. Non-UTF-8 bytes have no URL form here.
 */
export function urlEncodings(bytes: Uint8Array): Encoded[] {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return [];
  }
  const out: Encoded[] = [];
  const url = encodeURIComponent(text);
  if (url !== text) out.push(encoded(url.toLowerCase(), "url", ["urlencode"], true));
  // The form serializer keeps only alphanumerics and *-._ (encodeURIComponent also keeps !'()~).
  const form = url
    .replace(/%20/g, "+")
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (form !== text && form !== url) out.push(encoded(form.toLowerCase(), "url-form", ["urlencode"], true));
  return out;
}

/**
 * The stable base64 characters of `bytes` when it starts `alignment` (0, 1, 2) bytes into a 3-byte group.
 * Character j covers bits [6j, 6j+6) of the aligned input; it is stable when those bits lie inside the value.
 */
export function base64Core(bytes: Uint8Array, alignment: number, urlSafe: boolean): string {
  const padded = Buffer.alloc(alignment + bytes.length);
  padded.set(bytes, alignment);
  const text = padded.toString(urlSafe ? "base64url" : "base64");
  const start = Math.ceil((8 * alignment) / 6);
  const end = Math.floor((8 * (alignment + bytes.length)) / 6);
  return end > start ? text.slice(start, end) : "";
}

/** Base64 cores in the three alignments, standard and URL-safe (the latter only where it differs). */
export function base64Encodings(bytes: Uint8Array): Encoded[] {
  const out: Encoded[] = [];
  for (let a = 0; a < 3; a++) {
    const suffix = a === 0 ? "" : `-a${a}`;
    const std = base64Core(bytes, a, false);
    if (std.length < MIN_CORE) continue;
    out.push(encoded(std, `base64${suffix}`, ["base64"], false));
    const url = base64Core(bytes, a, true);
    if (url !== std) out.push(encoded(url, `base64url${suffix}`, ["base64"], false));
  }
  return out;
}

/** Hex of the bytes, matched in either case. */
export function hexEncoding(bytes: Uint8Array): Encoded {
  return encoded(Buffer.from(bytes).toString("hex"), "hex", ["hex"], true);
}

function encoded(text: string, variant: string, steps: string[], caseInsensitive: boolean): Encoded {
  return { bytes: ascii.encode(text), variant, steps, caseInsensitive };
}
