// The head of an HTTP/1.x message (RFC 9112 §2–§5): start line and header fields, parsed from a complete
// head already cut out of the stream. Lenient where real clients are sloppy (bare LF line ends, obs-fold,
// stray whitespace), and every leniency that matters to an analyst is reported as a weird.

import { isUtf8 } from "node:buffer";
import type { HttpHeader } from "../../model/http-message.ts";

/** Methods whose request line makes a stream HTTP (RFC 9110 §9, WebDAV RFC 4918, PATCH RFC 5789). */
export const HTTP_METHODS = [
  "GET",
  "POST",
  "HEAD",
  "PUT",
  "DELETE",
  "OPTIONS",
  "PATCH",
  "CONNECT",
  "TRACE",
  "PROPFIND",
  "PROPPATCH",
  "MKCOL",
  "COPY",
  "MOVE",
  "LOCK",
  "UNLOCK",
  "REPORT",
  "SEARCH",
] as const;

/** Weird names the head parser reports. */
export const HTTP_HEAD_WEIRD_NAMES = [
  "http_bad_request_line",
  "http_bad_status_line",
  "http_bad_header",
  "http_folded_header",
  "http_too_many_headers",
] as const;
export type HttpHeadWeirdName = (typeof HTTP_HEAD_WEIRD_NAMES)[number];

/** A parsed message head. */
export interface ParsedHead {
  /** Which start line it had. */
  kind: "request" | "response";
  /** Request method (requests). */
  method: string;
  /** Request-target as sent (requests). */
  target: string;
  /** `HTTP/1.1` ... */
  version: string;
  /** Status code (responses). */
  status: number;
  /** Reason phrase (responses). */
  reason: string;
  /** Header fields in order, original case. */
  headers: HttpHeader[];
  /** Byte offsets of the request-target in the head (requests), so it can be handed on as sent. */
  targetStart: number;
  targetEnd: number;
  /** Byte offset of the first field line (the end of the start line). */
  fieldsStart: number;
}

/** Reports a problem in a head. */
export type HeadWeird = (name: HttpHeadWeirdName, detail: string) => void;

const VERSION = /^HTTP\/\d\.\d$/;
// RFC 9110 §5.6.2 tchar.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Text of bytes [s, e): ASCII and valid UTF-8 as such, anything else as ISO-8859-1 (RFC 9110 §5.5). */
export function fieldText(b: Buffer, s: number, e: number): string {
  for (let i = s; i < e; i++) {
    if (b[i] >= 0x80) return isUtf8(b.subarray(s, e)) ? b.toString("utf8", s, e) : b.toString("latin1", s, e);
  }
  return b.toString("latin1", s, e);
}

/** True when the head starts like a response (`HTTP/`), false when like a request. */
export function looksLikeResponse(b: Uint8Array, off: number): boolean {
  return (
    b[off] === 0x48 &&
    b[off + 1] === 0x54 &&
    b[off + 2] === 0x54 &&
    b[off + 3] === 0x50 &&
    b[off + 4] === 0x2f
  );
}

/**
 * Parses the head in b[0, len) (start line through the empty line). Returns undefined when the start line
 * is not HTTP/1.x (a weird says why); header problems are reported and the field skipped or repaired.
 */
export function parseHead(
  b: Buffer,
  len: number,
  maxHeaders: number,
  weird: HeadWeird,
): ParsedHead | undefined {
  let lineEnd = b.indexOf(0x0a, 0);
  if (lineEnd < 0 || lineEnd >= len) lineEnd = len;
  const end = trimCr(b, 0, lineEnd);
  const head = startLine(fieldText(b, 0, end), weird);
  if (!head) return undefined;
  let p = lineEnd + 1;
  head.fieldsStart = Math.min(p, len);
  if (head.kind === "request") {
    // Same split as startLine: between the first and the last space, trimmed.
    let s = b.indexOf(0x20) + 1;
    let e = b.lastIndexOf(0x20, end - 1);
    while (s < e && (b[s] === 0x20 || b[s] === 0x09)) s++;
    while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0x09)) e--;
    head.targetStart = s;
    head.targetEnd = e;
  }
  let dropped = 0;
  while (p < len) {
    let e = b.indexOf(0x0a, p);
    if (e < 0 || e > len) e = len;
    const end = trimCr(b, p, e);
    if (end > p) {
      if (head.headers.length < maxHeaders) headerLine(b, p, end, head.headers, weird);
      else dropped++;
    }
    p = e + 1;
  }
  if (dropped > 0) weird("http_too_many_headers", `${dropped} field line(s) past ${maxHeaders} dropped`);
  return head;
}

function trimCr(b: Uint8Array, s: number, e: number): number {
  return e > s && b[e - 1] === 0x0d ? e - 1 : e;
}

function startLine(line: string, weird: HeadWeird): ParsedHead | undefined {
  const h: ParsedHead = {
    kind: "request",
    method: "",
    target: "",
    version: "",
    status: 0,
    reason: "",
    headers: [],
    targetStart: 0,
    targetEnd: 0,
    fieldsStart: 0,
  };
  if (line.startsWith("HTTP/")) {
    // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); a missing SP before an
    // empty reason is tolerated, as every client does.
    const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(line);
    if (!m) {
      weird("http_bad_status_line", escapeShort(line));
      return undefined;
    }
    h.kind = "response";
    h.version = m[1];
    h.status = Number(m[2]);
    h.reason = m[3] ?? "";
    return h;
  }
  // request-line = method SP request-target SP HTTP-version (RFC 9112 §3); the target is what lies between
  // the first and the last space, so a target with a stray space is kept whole.
  const first = line.indexOf(" ");
  const last = line.lastIndexOf(" ");
  const version = line.slice(last + 1);
  const target = line.slice(first + 1, last).trim();
  if (first <= 0 || last <= first || !TOKEN.test(line.slice(0, first)) || !VERSION.test(version) || !target) {
    weird("http_bad_request_line", escapeShort(line));
    return undefined;
  }
  h.method = line.slice(0, first);
  h.target = target;
  h.version = version;
  return h;
}

function headerLine(b: Buffer, s: number, e: number, out: HttpHeader[], weird: HeadWeird): void {
  if (b[s] === 0x20 || b[s] === 0x09) {
    // obs-fold (RFC 9112 §5.2): a continuation line joins the previous value with one space.
    const prev = out[out.length - 1];
    if (prev) prev.value = `${prev.value} ${fieldText(b, s, e).trim()}`.trim();
    weird("http_folded_header", prev ? prev.name : "continuation before any field");
    return;
  }
  const colon = b.indexOf(0x3a, s);
  if (colon < 0 || colon >= e) {
    weird("http_bad_header", `no colon: ${escapeShort(fieldText(b, s, e))}`);
    return;
  }
  let name = fieldText(b, s, colon);
  if (!TOKEN.test(name)) {
    weird("http_bad_header", `bad field name ${escapeShort(name)}`);
    name = name.trim();
    if (name === "") return;
  }
  out.push({ name, value: fieldText(b, colon + 1, e).replace(/^[ \t]+|[ \t]+$/g, "") });
}

/** At most 80 characters of text, control characters escaped, for weird details. */
export function escapeShort(s: string): string {
  const cut = s.length > 80 ? `${s.slice(0, 80)}…` : s;
  return cut.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
