// The one place an `http` record is made from an HttpExchange, whether the exchange came from packets, a HAR
// file, decrypted TLS or the live proxy, so every source yields the same fields with the same meaning.

import type { ConnId } from "../../model/conn.ts";
import type { HttpRecord, HttpTag, HttpTransport } from "../../model/http.ts";
import type { HttpExchange, HttpHeader } from "../../model/http-message.ts";
import { parseQuery, queryOf } from "./query.ts";

/** What only the source knows: counts beyond the kept bytes, frame numbers, marks. */
export interface HttpRecordExtras {
  /** Position of the exchange in its connection (default the exchange's index). */
  trans_depth?: number;
  /** Request body bytes as transferred (default the kept body's length). */
  request_body_len?: number;
  /** Response body bytes as transferred (default the kept body's length). */
  response_body_len?: number;
  /** Frame numbers of the first request and last response packet. */
  frames?: [number, number];
  /** Marks; `no-response` is added when the exchange has no response. */
  tags?: HttpTag[];
  /** Last informational (1xx) status and reason before the final response. */
  info?: { code: number; msg: string };
}

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** Builds the `http` record of `exchange`, seen on connection `id` through `transport`. */
export function httpRecordFrom(
  exchange: HttpExchange,
  id: ConnId,
  transport: HttpTransport,
  extras: HttpRecordExtras = {},
): HttpRecord {
  const req = exchange.request;
  const qf = pickFields(req.headers);
  const hostField = (qf.host ?? qf.authority)?.trim();
  // Keys are added in documentation order and only when they have a value (cheaper than deleting them).
  const r = {
    type: "http",
    ts: req.ts || id.ts,
    uid: id.uid,
    community_id: id.community_id,
    orig_h: id.orig_h,
    orig_p: id.orig_p,
    resp_h: id.resp_h,
    resp_p: id.resp_p,
    trans_depth: extras.trans_depth ?? exchange.index,
    method: req.method,
    host: hostField || req.host || "",
    // On the wire the request-target is what was sent (tshark's http.request.uri); other sources give a
    // URL, whose path and query are the equivalent.
    uri: exchange.source === "packet" ? req.url : req.path,
  } as HttpRecord;
  const url = absoluteUrl(req.url, req.scheme, hostField, req.method);
  if (url !== undefined) r.url = url;
  addMessageFields(r, exchange, qf, extras);
  addBodyFields(r, exchange, qf, extras);
  r.transport = transport;
  const tags = [...(extras.tags ?? [])];
  if (r.status_code === undefined && !tags.includes("no-response")) tags.push("no-response");
  if (tags.length > 0) r.tags = tags;
  if (extras.frames) r.frames = extras.frames;
  return r;
}

/** version, user_agent, referrer, status, interim status, query. */
function addMessageFields(r: HttpRecord, x: HttpExchange, qf: Fields, extras: HttpRecordExtras): void {
  const res = x.response;
  r.version = x.request.httpVersion || res?.httpVersion || "";
  if (qf.userAgent !== undefined) r.user_agent = qf.userAgent;
  if (qf.referer !== undefined) r.referrer = qf.referer;
  // HAR writes status 0 for a request that got no response (blocked, offline).
  if (res !== undefined && res.status > 0) {
    r.status_code = res.status;
    r.status_msg = res.statusText;
  }
  if (extras.info) {
    r.info_code = extras.info.code;
    r.info_msg = extras.info.msg;
  }
  const q = queryOf(r.uri);
  if (q) r.query = parseQuery(q);
}

/** Header lists, body sizes, content types and codings, truncation flags. */
function addBodyFields(r: HttpRecord, x: HttpExchange, qf: Fields, extras: HttpRecordExtras): void {
  const req = x.request;
  const res = x.response;
  const sf = res ? pickFields(res.headers) : NO_FIELDS;
  r.request_headers = pairs(req.headers);
  r.response_headers = res ? pairs(res.headers) : [];
  r.request_body_len = extras.request_body_len ?? req.body?.length ?? 0;
  r.response_body_len = extras.response_body_len ?? res?.body?.length ?? 0;
  const reqType = req.contentType ?? qf.contentType;
  if (reqType !== undefined) r.request_content_type = reqType;
  const resType = res?.contentType ?? sf.contentType;
  if (resType !== undefined) r.response_content_type = resType;
  if (qf.contentEncoding !== undefined) r.request_content_encoding = qf.contentEncoding;
  if (sf.contentEncoding !== undefined) r.content_encoding = sf.contentEncoding;
  if (req.bodyTruncated) r.request_body_truncated = true;
  if (res?.bodyTruncated) r.response_body_truncated = true;
}

/** The absolute URL: as given, or scheme + Host + origin-form target; none for CONNECT or `*`. */
function absoluteUrl(
  target: string,
  scheme: string | undefined,
  host: string | undefined,
  method: string,
): string | undefined {
  if (ABSOLUTE.test(target)) return target;
  if (!scheme || !host || method === "CONNECT" || !target.startsWith("/")) return undefined;
  return `${scheme}://${host}${target}`;
}

/** The first value of each field a record reads. */
interface Fields {
  host?: string;
  authority?: string;
  userAgent?: string;
  referer?: string;
  contentType?: string;
  contentEncoding?: string;
}

const NO_FIELDS: Fields = {};

/** One pass over the fields; a name is lower-cased only when its length matches a wanted one. */
function pickFields(headers: readonly HttpHeader[]): Fields {
  const f: Fields = {};
  for (const h of headers) {
    const n = h.name.length;
    if (n !== 4 && n !== 7 && n !== 10 && n !== 12 && n !== 16) continue;
    const k = h.name.toLowerCase();
    if (k === "host") f.host ??= h.value;
    else if (k === ":authority") f.authority ??= h.value;
    else if (k === "user-agent") f.userAgent ??= h.value;
    else if (k === "referer") f.referer ??= h.value;
    else if (k === "content-type") f.contentType ??= h.value;
    else if (k === "content-encoding") f.contentEncoding ??= h.value;
  }
  return f;
}

function pairs(headers: readonly HttpHeader[]): [string, string][] {
  return headers.map((h) => [h.name, h.value]);
}
