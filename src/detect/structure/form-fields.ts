// `application/x-www-form-urlencoded` bodies and URL query strings (WHATWG URL "urlencoded parsing"; RFC 3986
// §2.1 percent-encoding): `name=value` members split on `&`, each value percent-decoded to bytes with `+` as
// space. The text after `?` in a URI or URL-valued leaf is a query (step `query`); a bare `a=b&c=d` is a form.
// The sniff is strict enough that prose, base64 tokens and binary bytes are refused within a few bytes.

import { base64Length } from "./base64-hex.ts";
import type { ChildSink } from "./structure-types.ts";
import { hexValue, indexOfByte, textOf } from "./text-bytes.ts";

const AMP = 0x26;
const EQ = 0x3d;
const QMARK = 0x3f;
const HASH = 0x23;

/** True for bytes a form member may hold unencoded: visible, not a JSON/markup delimiter. */
function isFormByte(c: number): boolean {
  return (
    c > 0x20 && c !== 0x7f && c !== 0x22 && c !== 0x3c && c !== 0x3e && c !== 0x7b && c !== 0x7d && c !== 0x5c
  );
}

/** Range of the members to read and the step naming them, or undefined when the bytes hold none. */
function formRange(data: Uint8Array, isUri: boolean): [number, number, "form" | "query"] | undefined {
  let end = data.length;
  while (end > 0 && (data[end - 1] === 0x0a || data[end - 1] === 0x0d)) end--;
  const eq = indexOfByte(data, EQ, 0, end);
  if (eq < 0 && !isUri) return undefined;
  const q = indexOfByte(data, QMARK, 0, eq < 0 ? end : eq);
  if (q < 0 && isUri) return undefined;
  if (q < 0) return [0, end, "form"];
  const hash = indexOfByte(data, HASH, q + 1, end);
  return [q + 1, hash < 0 ? end : hash, "query"];
}

/** Emits each member's value (step `form`/`query`, at = name); true when the bytes were a form or query. */
export function decodeForm(data: Uint8Array, out: ChildSink): boolean {
  // Forms hold no spaces or controls: a prefix check rejects prose and binary before any full scan.
  if (!out.isUri)
    for (let i = 0; i < data.length && i < 64; i++)
      if (!isFormByte(data[i]) && data[i] !== 0x0d && data[i] !== 0x0a) return false;
  const r = formRange(data, out.isUri);
  if (!r) return false;
  const [start, end, step] = r;
  if (!looksLikeForm(data, start, end, step === "query")) return false;
  let s = start;
  while (s < end) {
    let e = indexOfByte(data, AMP, s, end);
    if (e < 0) e = end;
    if (e > s && !member(data, s, e, step, out)) return true;
    s = e + 1;
  }
  return true;
}

/** One `name=value` member; false when the sink asked to stop. */
function member(data: Uint8Array, s: number, e: number, step: string, out: ChildSink): boolean {
  const eq = indexOfByte(data, EQ, s, e);
  const nameEnd = eq < 0 ? e : eq;
  const name = nameOf(data, s, nameEnd, out);
  const value = eq < 0 ? data.subarray(e, e) : percentDecode(data, eq + 1, e, out);
  if (!value || value.length === 0) return true;
  return out.emit(value, step, name, name, `${step}:${name}`, true);
}

/** A member's name as text; plain names skip the percent-decoder's copy. */
function nameOf(data: Uint8Array, s: number, e: number, out: ChildSink): string {
  for (let i = s; i < e; i++) {
    if (data[i] === 0x25 || data[i] === 0x2b)
      return textOf(percentDecode(data, s, e, out) ?? data.subarray(s, e));
  }
  return textOf(data, s, e);
}

/**
 * Visible bytes only, at least one `name=` with a non-empty name, and not a base64 token (whose `=` padding
 * would read as an empty member). Queries may be empty-valued flags, so they need no `=`.
 */
function looksLikeForm(data: Uint8Array, start: number, end: number, query: boolean): boolean {
  if (end <= start) return false;
  let named = query;
  let memberStart = start;
  for (let i = start; i < end; i++) {
    const c = data[i];
    if (c === AMP) memberStart = i + 1;
    else if (c === EQ) {
      if (i > memberStart) named = true;
    } else if (!isFormByte(c)) return false;
  }
  if (!named) return false;
  return query || base64Length(data.subarray(start, end)) < 0;
}

/**
 * Percent-decoded bytes of `data[s, e)` with `+` as space; a malformed escape stays as written. A copy (of the
 * exact decoded size) is made only when there is something to decode; undefined when the budget is spent.
 */
export function percentDecode(
  data: Uint8Array,
  s: number,
  e: number,
  out: ChildSink,
): Uint8Array | undefined {
  let n = e - s;
  let plain = true;
  for (let i = s; i < e; i++) {
    const c = data[i];
    if (c === 0x2b) plain = false;
    else if (c === 0x25 && isEscape(data, i, e)) {
      plain = false;
      n -= 2;
      i += 2;
    }
  }
  if (plain) return data.subarray(s, e);
  if (!out.reserve(n)) return undefined;
  const buf = new Uint8Array(n);
  let o = 0;
  for (let i = s; i < e; i++) {
    const c = data[i];
    if (c === 0x2b) buf[o++] = 0x20;
    else if (c === 0x25 && isEscape(data, i, e)) {
      buf[o++] = (hexValue(data[i + 1]) << 4) | hexValue(data[i + 2]);
      i += 2;
    } else buf[o++] = c;
  }
  return buf;
}

/** True when `%` at `i` starts a valid `%XX` escape before `e`. */
function isEscape(data: Uint8Array, i: number, e: number): boolean {
  return i + 2 < e && hexValue(data[i + 1]) >= 0 && hexValue(data[i + 2]) >= 0;
}
