// The one place an `http` record is made from an HttpExchange, whether the exchange came from packets, a HAR
// file, decrypted TLS or the live proxy, so every source yields the same fields with the same meaning.

import type { ConnId } from "../../model/conn.ts";
import type { HttpRecord, HttpTag, HttpTransport } from "../../model/http.ts";
import { type HttpExchange, type HttpHeader, headerValue } from "../../model/http-message.ts";
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
  const res = exchange.response;
  const hostField = (headerValue(req.headers, "host") ?? headerValue(req.headers, ":authority"))?.trim();
  // On the wire the request-target is what was sent (tshark's http.request.uri); other sources give a URL,
  // whose path and query are the equivalent.
  const uri = exchange.source === "packet" ? req.url : req.path;
  const hasResponse = res !== undefined && res.status > 0;
  const q = queryOf(uri);
  const tags = [...(extras.tags ?? [])];
  if (!hasResponse && !tags.includes("no-response")) tags.push("no-response");
  const r: HttpRecord = {
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
    uri,
    url: absoluteUrl(req.url, req.scheme, hostField, req.method),
    version: req.httpVersion || res?.httpVersion || "",
    user_agent: headerValue(req.headers, "user-agent"),
    referrer: headerValue(req.headers, "referer"),
    status_code: hasResponse ? res.status : undefined,
    status_msg: hasResponse ? res.statusText : undefined,
    info_code: extras.info?.code,
    info_msg: extras.info?.msg,
    query: q ? parseQuery(q) : undefined,
    request_headers: pairs(req.headers),
    response_headers: res ? pairs(res.headers) : [],
    request_body_len: extras.request_body_len ?? req.body?.length ?? 0,
    response_body_len: extras.response_body_len ?? res?.body?.length ?? 0,
    request_content_type: req.contentType ?? headerValue(req.headers, "content-type"),
    response_content_type: res ? (res.contentType ?? headerValue(res.headers, "content-type")) : undefined,
    request_content_encoding: headerValue(req.headers, "content-encoding"),
    content_encoding: res ? headerValue(res.headers, "content-encoding") : undefined,
    request_body_truncated: req.bodyTruncated || undefined,
    response_body_truncated: res?.bodyTruncated || undefined,
    transport,
    tags: tags.length > 0 ? tags : undefined,
    frames: extras.frames,
  };
  return dropUndefined(r);
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

function pairs(headers: readonly HttpHeader[]): [string, string][] {
  return headers.map((h) => [h.name, h.value]);
}

/** Removes keys whose value is undefined, so records compare and serialise the same everywhere. */
function dropUndefined(r: HttpRecord): HttpRecord {
  const o = r as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return r;
}
