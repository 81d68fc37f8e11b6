// RDATA of the record types a phone's lookups return, in presentation form (RFC 1035 §5.1 master-file style):
// addresses, names, MX, SRV, SOA, TXT, and SVCB/HTTPS (RFC 9460) with their parameters, whose ipv4hint and
// ipv6hint addresses are also handed back so the name table can learn them. Anything else prints in the
// RFC 3597 §5 generic form (`\# 4 0a000001`).

import { formatIPv4, formatIPv6 } from "../../session/address.ts";
import {
  NAME_BAD_LABEL,
  NAME_LOOP,
  NAME_OK,
  NAME_TOO_LONG,
  NAME_TRUNCATED,
  type NameResult,
  readName,
} from "./dns-names.ts";
import {
  type DnsWeird,
  T_A,
  T_AAAA,
  T_CNAME,
  T_DNAME,
  T_HTTPS,
  T_MX,
  T_NS,
  T_PTR,
  T_SOA,
  T_SRV,
  T_SVCB,
  T_TXT,
} from "./dns-types.ts";

/** What `readRdata` found; one object is reused for every record of a message. */
export interface RdataResult {
  /** Presentation text (the generic form when the RDATA is malformed). */
  text: string;
  /** SVCB/HTTPS ipv4hint and ipv6hint addresses, else undefined. */
  hints: string[] | undefined;
  /** SVCB/HTTPS TargetName, else undefined. */
  target: string | undefined;
  /** What was wrong with the RDATA, else undefined. */
  error: DnsWeird | undefined;
}

/** A fresh result object. */
export function newRdataResult(): RdataResult {
  return { text: "", hints: undefined, target: undefined, error: undefined };
}

/** Where the RDATA lies: the message is `[base, end)` of `buf`, the RDATA `[off, off + len)`. */
interface Span {
  buf: Uint8Array;
  base: number;
  off: number;
  len: number;
}

const EMPTY: Uint8Array = new Uint8Array(0);
const span: Span = { buf: EMPTY, base: 0, off: 0, len: 0 };

/** Reads the RDATA of a `type` record into `out`; `name` is scratch space for embedded names. */
export function readRdata(
  buf: Uint8Array,
  base: number,
  off: number,
  len: number,
  type: number,
  name: NameResult,
  out: RdataResult,
): void {
  span.buf = buf;
  span.base = base;
  span.off = off;
  span.len = len;
  out.hints = undefined;
  out.target = undefined;
  out.error = undefined;
  const text = typedText(span, type, name, out);
  if (text === undefined) {
    out.error ??= "dns_bad_rdata";
    out.text = genericText(span);
  } else out.text = text;
  span.buf = EMPTY; // do not keep the caller's buffer alive
}

function typedText(s: Span, type: number, name: NameResult, out: RdataResult): string | undefined {
  const { buf, off, len } = s;
  switch (type) {
    case T_A:
      return len === 4 ? formatIPv4(buf, off) : undefined;
    case T_AAAA:
      return len === 16 ? formatIPv6(buf, off) : undefined;
    case T_CNAME:
    case T_NS:
    case T_PTR:
    case T_DNAME:
      return lastName(s, 0, name, out);
    case T_MX:
      return len < 3 ? undefined : prefixed(`${u16(buf, off)} `, lastName(s, 2, name, out));
    case T_SRV:
      return len < 7
        ? undefined
        : prefixed(`${u16(buf, off)} ${u16(buf, off + 2)} ${u16(buf, off + 4)} `, lastName(s, 6, name, out));
    case T_SOA:
      return soaText(s, name, out);
    case T_TXT:
      return characterStrings(buf, off, off + len);
    case T_SVCB:
    case T_HTTPS:
      return svcbText(s, name, out);
    default:
      return genericText(s);
  }
}

function prefixed(prefix: string, rest: string | undefined): string | undefined {
  return rest === undefined ? undefined : prefix + rest;
}

function u16(buf: Uint8Array, off: number): number {
  return (buf[off] << 8) | buf[off + 1];
}

function u32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

/**
 * The name `skip` bytes into the RDATA, which must end exactly at the RDATA's end. Compression is read even
 * where RFC 3597 §4 forbids it (newer types): following a pointer is harmless.
 */
function lastName(s: Span, skip: number, name: NameResult, out: RdataResult): string | undefined {
  const end = s.off + s.len;
  readName(s.buf, s.base, s.off + skip, end, name);
  if (name.error !== NAME_OK || name.next < 0) return fail(out, name.error);
  return name.next === end ? name.text : undefined;
}

/** The weird a name error in RDATA is reported as. */
export function nameWeird(error: number): DnsWeird {
  if (error === NAME_LOOP) return "dns_name_loop";
  if (error === NAME_TOO_LONG) return "dns_name_too_long";
  if (error === NAME_BAD_LABEL) return "dns_bad_label";
  if (error === NAME_TRUNCATED) return "dns_truncated";
  return error === NAME_OK ? "dns_bad_rdata" : "dns_bad_pointer";
}

/** SOA (RFC 1035 §3.3.13): mname rname serial refresh retry expire minimum. */
function soaText(s: Span, name: NameResult, out: RdataResult): string | undefined {
  const end = s.off + s.len;
  readName(s.buf, s.base, s.off, end, name);
  if (name.error !== NAME_OK || name.next < 0) return fail(out, name.error);
  const mname = name.text;
  readName(s.buf, s.base, name.next, end, name);
  if (name.error !== NAME_OK || name.next < 0) return fail(out, name.error);
  const p = name.next;
  if (p + 20 !== end) return undefined;
  const nums = [0, 4, 8, 12, 16].map((d) => u32(s.buf, p + d)).join(" ");
  return `${mname} ${name.text} ${nums}`;
}

/** Records why an embedded name failed; a name running past the RDATA means the RDATA length is wrong. */
function fail(out: RdataResult, nameError: number): undefined {
  out.error = nameError === NAME_TRUNCATED ? "dns_bad_rdata" : nameWeird(nameError);
  return undefined;
}

/** `<character-string>`s (RFC 1035 §3.3), each quoted, separated by spaces. */
function characterStrings(buf: Uint8Array, off: number, end: number): string | undefined {
  const parts: string[] = [];
  let pos = off;
  while (pos < end) {
    const n = buf[pos];
    if (pos + 1 + n > end) return undefined;
    parts.push(`"${escapeText(buf, pos + 1, pos + 1 + n)}"`);
    pos += 1 + n;
  }
  return parts.join(" ");
}

/** Bytes as presentation text: `"` and `\` escaped, non-printable bytes as `\DDD` (RFC 1035 §5.1). */
export function escapeText(buf: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x22 || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c < 0x20 || c >= 0x7f) s += `\\${String(c).padStart(3, "0")}`;
    else s += String.fromCharCode(c);
  }
  return s;
}

/** RFC 3597 §5 generic RDATA: `\# <length> <hex>`. */
function genericText(s: Span): string {
  if (s.len === 0) return "\\# 0";
  return `\\# ${s.len} ${Buffer.from(s.buf.buffer, s.buf.byteOffset + s.off, s.len).toString("hex")}`;
}

/** SvcParamKey names (RFC 9460 §14.3.2). */
const SVC_KEYS = ["mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint", "dohpath"];

/** SVCB/HTTPS RDATA (RFC 9460 §2.2): SvcPriority, TargetName, then SvcParams in key order. */
function svcbText(s: Span, name: NameResult, out: RdataResult): string | undefined {
  const { buf } = s;
  const end = s.off + s.len;
  if (s.len < 3) return undefined;
  readName(buf, s.base, s.off + 2, end, name);
  if (name.error !== NAME_OK || name.next < 0) return fail(out, name.error);
  const parts = [String(u16(buf, s.off)), name.text];
  out.target = name.text;
  let pos = name.next;
  while (pos < end) {
    if (pos + 4 > end) return undefined;
    const key = u16(buf, pos);
    const vlen = u16(buf, pos + 2);
    const v = pos + 4;
    if (v + vlen > end) return undefined;
    const param = svcParam(buf, key, v, v + vlen, out);
    if (param === undefined) return undefined;
    parts.push(param);
    pos = v + vlen;
  }
  return parts.join(" ");
}

/** One SvcParam as `key=value` (or the bare key when its value is empty by definition). */
function svcParam(
  buf: Uint8Array,
  key: number,
  v: number,
  end: number,
  out: RdataResult,
): string | undefined {
  const keyName = SVC_KEYS[key] ?? `key${key}`;
  let value: string | undefined;
  switch (key) {
    case 0:
      if (end === v || (end - v) % 2 !== 0) return undefined;
      value = listOf(v, end, 2, (p) => SVC_KEYS[u16(buf, p)] ?? `key${u16(buf, p)}`);
      break;
    case 1:
      value = alpnList(buf, v, end);
      break;
    case 2:
      return end === v ? keyName : undefined;
    case 3:
      value = end - v === 2 ? String(u16(buf, v)) : undefined;
      break;
    case 4:
    case 6: {
      const size = key === 4 ? 4 : 16;
      if (end === v || (end - v) % size !== 0) return undefined;
      const addrs = listOf(v, end, size, (p) => (size === 4 ? formatIPv4(buf, p) : formatIPv6(buf, p)));
      out.hints = [...(out.hints ?? []), ...addrs.split(",")];
      value = addrs;
      break;
    }
    case 5:
      value = Buffer.from(buf.buffer, buf.byteOffset + v, end - v).toString("base64");
      break;
    default:
      value = `"${escapeText(buf, v, end)}"`;
  }
  return value === undefined ? undefined : `${keyName}=${value}`;
}

/** Fixed-size items of `[v, end)`, formatted and comma-joined. */
function listOf(v: number, end: number, size: number, fmt: (p: number) => string): string {
  const items: string[] = [];
  for (let p = v; p + size <= end; p += size) items.push(fmt(p));
  return items.join(",");
}

/** ALPN ids (RFC 9460 §7.1.1): length-prefixed, comma-separated; commas and backslashes escaped. */
function alpnList(buf: Uint8Array, v: number, end: number): string | undefined {
  const ids: string[] = [];
  let p = v;
  while (p < end) {
    const n = buf[p];
    if (n === 0 || p + 1 + n > end) return undefined;
    ids.push(escapeText(buf, p + 1, p + 1 + n).replace(/,/g, "\\,"));
    p += 1 + n;
  }
  return ids.length > 0 ? ids.join(",") : undefined;
}
