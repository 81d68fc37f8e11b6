// JSON (RFC 8259) walked without building objects: every scalar leaf becomes a view keyed by its last member
// name, with a JSONPath-like location (`$.data.d`, `$.list[2]`, `$["a.b"]`). Numbers and literals are their
// source text, strings are unescaped. Anti-hijacking and JSONP wrappers are skipped; a document cut short
// still yields the leaves before the cut. Nesting is bounded.

import type { ChildSink } from "./structure-types.ts";
import { startsWithAscii, textOf } from "./text-bytes.ts";

/** Deepest object/array nesting walked. */
export const MAX_JSON_NESTING = 64;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Path segment for a member name: `.name` when it is an identifier, else `["na.me"]`. */
export function memberSegment(name: string): string {
  return IDENT.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** Offset of the JSON value after any wrapper (BOM, `)]}'`, `while(1);`, `for(;;);`, `callback(`), or -1. */
export function jsonStart(data: Uint8Array): number {
  let i = skipWs(data, 0);
  if (data[i] === 0xef && data[i + 1] === 0xbb && data[i + 2] === 0xbf) i = skipWs(data, i + 3);
  if (startsWithAscii(data, ")]}'", i)) {
    i += 4;
    if (data[i] === 0x2c) i++;
  } else if (startsWithAscii(data, "while(1);", i)) i += 9;
  else if (startsWithAscii(data, "for(;;);", i)) i += 8;
  i = skipWs(data, i);
  const c = data[i];
  if (c === 0x7b || c === 0x5b) return i;
  return jsonpStart(data, i);
}

/** `name.space_1(` followed by `{` or `[`: offset of the bracket, or -1. Names are bounded to 128 bytes. */
function jsonpStart(data: Uint8Array, i: number): number {
  const start = i;
  while (i < data.length && i - start < 128 && isIdentByte(data[i])) i++;
  if (i === start || data[i] !== 0x28) return -1;
  i = skipWs(data, i + 1);
  return data[i] === 0x7b || data[i] === 0x5b ? i : -1;
}

function isIdentByte(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x24 ||
    c === 0x2e
  );
}

function skipWs(data: Uint8Array, i: number): number {
  while (i < data.length) {
    const c = data[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** Emits every scalar leaf of a JSON document (step `json`, at = path); true when the bytes were JSON. */
export function decodeJson(data: Uint8Array, out: ChildSink): boolean {
  const start = jsonStart(data);
  if (start < 0) return false;
  const w = new JsonWalker(data, start, out);
  const ok = w.value(0, "$", undefined);
  return ok || w.emitted > 0 || w.stopped;
}

/** Recursive-descent walker; `value` returns false on a syntax error or when the sink asked to stop. */
class JsonWalker {
  pos: number;
  emitted = 0;
  stopped = false;

  constructor(
    readonly data: Uint8Array,
    start: number,
    readonly out: ChildSink,
  ) {
    this.pos = start;
  }

  value(depth: number, path: string, key: string | undefined): boolean {
    const d = this.data;
    this.pos = skipWs(d, this.pos);
    const c = d[this.pos];
    if (c === 0x7b) return depth < MAX_JSON_NESTING && this.object(depth + 1, path);
    if (c === 0x5b) return depth < MAX_JSON_NESTING && this.array(depth + 1, path, key);
    let leaf: Uint8Array | undefined;
    if (c === 0x22) leaf = this.string();
    else {
      const s = this.pos;
      this.pos = scalarEnd(d, s);
      if (this.pos > s) leaf = d.subarray(s, this.pos);
    }
    if (!leaf) return false;
    this.emitted++;
    if (!this.out.emit(leaf, "json", path, key, `json:${path}`, true)) {
      this.stopped = true;
      return false;
    }
    return true;
  }

  object(depth: number, path: string): boolean {
    const d = this.data;
    this.pos = skipWs(d, this.pos + 1);
    if (d[this.pos] === 0x7d) {
      this.pos++;
      return true;
    }
    for (;;) {
      this.pos = skipWs(d, this.pos);
      if (d[this.pos] !== 0x22) return false;
      const nameBytes = this.string();
      if (!nameBytes) return false;
      const name = textOf(nameBytes);
      this.pos = skipWs(d, this.pos);
      if (d[this.pos] !== 0x3a) return false;
      this.pos++;
      if (!this.value(depth, path + memberSegment(name), name)) return false;
      this.pos = skipWs(d, this.pos);
      const sep = d[this.pos++];
      if (sep === 0x7d) return true;
      if (sep !== 0x2c) return false;
    }
  }

  array(depth: number, path: string, key: string | undefined): boolean {
    const d = this.data;
    this.pos = skipWs(d, this.pos + 1);
    if (d[this.pos] === 0x5d) {
      this.pos++;
      return true;
    }
    for (let i = 0; ; i++) {
      if (!this.value(depth, `${path}[${i}]`, key)) return false;
      this.pos = skipWs(d, this.pos);
      const sep = d[this.pos++];
      if (sep === 0x5d) return true;
      if (sep !== 0x2c) return false;
    }
  }

  /** The string at `pos` (a `"`), unescaped; undefined when unterminated or over budget. */
  string(): Uint8Array | undefined {
    const d = this.data;
    const s = this.pos + 1;
    let i = s;
    let escaped = false;
    while (i < d.length && d[i] !== 0x22) {
      if (d[i] === 0x5c) {
        escaped = true;
        i++;
      }
      i++;
    }
    if (i >= d.length) return undefined;
    this.pos = i + 1;
    if (!escaped) return d.subarray(s, i);
    if (!this.out.reserve(i - s)) return undefined;
    return unescapeString(d, s, i);
  }
}

/** End of a number or literal starting at `s` (RFC 8259 §6 grammar, leniently), or `s` when there is none. */
function scalarEnd(d: Uint8Array, s: number): number {
  for (const lit of ["true", "false", "null"]) if (startsWithAscii(d, lit, s)) return s + lit.length;
  let i = s;
  if (d[i] === 0x2d) i++;
  const digits = i;
  while (i < d.length && d[i] >= 0x30 && d[i] <= 0x39) i++;
  if (i === digits) return s;
  if (d[i] === 0x2e) {
    i++;
    while (i < d.length && d[i] >= 0x30 && d[i] <= 0x39) i++;
  }
  if (d[i] === 0x65 || d[i] === 0x45) {
    i++;
    if (d[i] === 0x2b || d[i] === 0x2d) i++;
    while (i < d.length && d[i] >= 0x30 && d[i] <= 0x39) i++;
  }
  return i;
}

const SIMPLE_ESCAPES: Record<number, number> = { 98: 8, 102: 12, 110: 10, 114: 13, 116: 9 };

/** UTF-8 bytes of the string body `d[s, e)` with its escapes undone (RFC 8259 §7); never longer than input. */
function unescapeString(d: Uint8Array, s: number, e: number): Uint8Array {
  const out = new Uint8Array(e - s);
  let o = 0;
  let i = s;
  while (i < e) {
    const c = d[i++];
    if (c !== 0x5c) {
      out[o++] = c;
      continue;
    }
    const x = d[i++];
    if (x === 0x75) {
      let cp = hex4(d, i, e);
      if (cp < 0) {
        out[o++] = x;
        continue;
      }
      i += 4;
      if (cp >= 0xd800 && cp < 0xdc00 && d[i] === 0x5c && d[i + 1] === 0x75) {
        const lo = hex4(d, i + 2, e);
        if (lo >= 0xdc00 && lo < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          i += 6;
        }
      }
      o = putUtf8(out, o, cp);
    } else out[o++] = SIMPLE_ESCAPES[x] ?? x;
  }
  return out.subarray(0, o);
}

function hex4(d: Uint8Array, i: number, e: number): number {
  if (i + 4 > e) return -1;
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = d[i + k];
    const h =
      c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}

/** Writes a code point as UTF-8 (a lone surrogate as its 3-byte form, as WTF-8 does). */
function putUtf8(out: Uint8Array, o: number, cp: number): number {
  if (cp < 0x80) out[o++] = cp;
  else if (cp < 0x800) {
    out[o++] = 0xc0 | (cp >> 6);
    out[o++] = 0x80 | (cp & 0x3f);
  } else if (cp < 0x10000) {
    out[o++] = 0xe0 | (cp >> 12);
    out[o++] = 0x80 | ((cp >> 6) & 0x3f);
    out[o++] = 0x80 | (cp & 0x3f);
  } else {
    out[o++] = 0xf0 | (cp >> 18);
    out[o++] = 0x80 | ((cp >> 12) & 0x3f);
    out[o++] = 0x80 | ((cp >> 6) & 0x3f);
    out[o++] = 0x80 | (cp & 0x3f);
  }
  return o;
}
