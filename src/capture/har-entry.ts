// One HAR entry (HAR 1.2 `log.entries[i]`) → one HttpExchange, tolerant of what Chrome, Firefox, Safari,
// Charles and mitmproxy actually write. A broken entry is skipped with a weird; nothing here throws.

import type { HttpExchange, HttpHeader, HttpRequest, HttpResponse } from "../model/http-message.ts";
import { headerValue, splitAuthority, splitUrl } from "../model/http-message.ts";
import type { WeirdSink } from "../model/weird.ts";
import { base64Body, type DecodedBody, formBody, utf8Body } from "./har-body.ts";
import {
  cookies,
  isObject,
  isoSeconds,
  type JsonObject,
  msToFirstByte,
  nameValues,
  nonEmpty,
  nonNegative,
  num,
  str,
  timings,
} from "./har-fields.ts";

/** Weird names the HAR reader emits. */
export const HAR_WEIRD_NAMES = [
  "har_bad_entry",
  "har_body_truncated",
  "har_bad_base64",
  "har_bad_timestamp",
  "har_bad_field",
  "har_non_network_url",
] as const;
export type HarWeirdName = (typeof HAR_WEIRD_NAMES)[number];

/** What converting an entry needs. */
export interface EntryContext {
  /** Bound on each body's bytes. */
  maxBodyBytes: number;
  /** Where weirds go. */
  weird?: WeirdSink;
}

// A scheme with no `//` authority (data:, blob:, about:, javascript:) never left the device.
const NON_NETWORK_URL = /^[A-Za-z][A-Za-z0-9+.-]*:(?!\/\/)/;

/** Converts entry number `index` (1-based); undefined when the entry is skipped (a weird says why). */
export function harEntryToExchange(
  entry: unknown,
  index: number,
  ctx: EntryContext,
): HttpExchange | undefined {
  const report = (name: HarWeirdName, ts: number, why: string): void =>
    ctx.weird?.({ ts, name, detail: `entry ${index}: ${why}` });
  const req = isObject(entry) ? entry.request : undefined;
  const url = isObject(req) ? str(req.url)?.trim() : undefined;
  if (!isObject(entry) || !isObject(req) || !url) {
    const why = !isObject(entry) ? "not an object" : !isObject(req) ? "no request" : "no request.url";
    report("har_bad_entry", 0, why);
    return undefined;
  }
  let ts = isoSeconds(entry.startedDateTime);
  if (ts === undefined) {
    report("har_bad_timestamp", 0, `startedDateTime ${JSON.stringify(entry.startedDateTime)?.slice(0, 60)}`);
    ts = 0;
  }
  if (NON_NETWORK_URL.test(url)) {
    report("har_non_network_url", ts, `skipped ${url.slice(0, 40)}`);
    return undefined;
  }
  const at = ts;
  const warn = (name: HarWeirdName, why: string): void => report(name, at, why);
  const t = timings(entry.timings, entry.time);
  const x: HttpExchange = { request: readRequest(req, url, ts, ctx, warn), source: "har", index };
  if (isObject(entry.response)) {
    const firstByte = t && ts !== 0 ? ts + msToFirstByte(t) / 1000 : undefined;
    x.response = readResponse(entry.response, firstByte, ctx, warn);
  }
  if (t) x.timings = t;
  addExtras(x, entry);
  return x;
}

/** Where the exchange went and what the browser said about it (Chrome's `_` fields included). */
function addExtras(x: HttpExchange, entry: JsonObject): void {
  const ip = nonEmpty(entry.serverIPAddress)?.replace(/^\[(.*)\]$/, "$1");
  if (ip) x.serverIp = ip;
  const conn = entry.connection;
  if ((typeof conn === "string" && conn !== "") || typeof conn === "number") x.connectionId = String(conn);
  const resourceType = nonEmpty(entry._resourceType);
  if (resourceType) x.resourceType = resourceType;
  // chrome-har and DevTools put `_transferSize` on the response; older exporters on the entry.
  const transfer = nonNegative(isObject(entry.response) ? entry.response._transferSize : undefined);
  const transferSize = transfer ?? nonNegative(entry._transferSize);
  if (transferSize !== undefined) x.transferSize = transferSize;
  const pageref = nonEmpty(entry.pageref);
  if (pageref) x.pageref = pageref;
}

type Warn = (name: HarWeirdName, why: string) => void;

function readRequest(req: JsonObject, url: string, ts: number, ctx: EntryContext, warn: Warn): HttpRequest {
  const headers = readHeaders(req.headers, "request.headers", warn);
  const method = nonEmpty(req.method);
  if (!method) warn("har_bad_field", "no request.method");
  const parts = splitUrl(url);
  const out: HttpRequest = {
    method: method ?? "",
    url,
    path: parts.path,
    httpVersion: str(req.httpVersion) ?? "",
    headers,
    ts,
  };
  // A relative URL (some proxies log the request-target) leaves Host / :authority to name the server.
  const scheme = parts.scheme ?? headerValue(headers, ":scheme")?.toLowerCase();
  const server = parts.host ? parts : hostFromHeaders(headers);
  if (scheme) out.scheme = scheme;
  if (server.host) out.host = server.host;
  if (server.port !== undefined) out.port = server.port;
  const jar = cookies(req.cookies);
  if (jar) out.cookies = jar;
  readPostData(req.postData, out, ctx, warn);
  return out;
}

/** HAR `postData`: `text` (optionally base64), else `params` rebuilt as a urlencoded form. */
function readPostData(pd: unknown, out: HttpRequest, ctx: EntryContext, warn: Warn): void {
  const declared = headerValue(out.headers, "content-type");
  if (declared !== undefined) out.contentType = declared;
  if (!isObject(pd)) return;
  const mime = nonEmpty(pd.mimeType);
  if (declared === undefined && mime) out.contentType = mime;
  const text = str(pd.text);
  const params = nameValues(pd.params);
  if (params.bad > 0) warn("har_bad_field", `${params.bad} bad postData.params item(s)`);
  let body: DecodedBody | undefined;
  if (text !== undefined && (text !== "" || params.list.length === 0)) {
    const b64 = pd.encoding === "base64" || pd._encoding === "base64";
    body = b64 ? base64Body(text, ctx.maxBodyBytes) : utf8Body(text, ctx.maxBodyBytes);
  } else if (params.list.length > 0) {
    body = formBody(params.list, ctx.maxBodyBytes);
    out.contentType = "application/x-www-form-urlencoded";
  }
  if (!body) return;
  out.body = body.bytes;
  noteBody(body, "request", ctx, warn);
  if (body.truncated) out.bodyTruncated = true;
}

function readResponse(res: JsonObject, ts: number | undefined, ctx: EntryContext, warn: Warn): HttpResponse {
  let status = num(res.status);
  if (status === undefined || !Number.isInteger(status) || status < 0) {
    warn("har_bad_field", `response.status ${JSON.stringify(res.status)?.slice(0, 30)}`);
    status = 0;
  }
  const out: HttpResponse = {
    status,
    statusText: str(res.statusText) ?? "",
    httpVersion: str(res.httpVersion) ?? "",
    headers: readHeaders(res.headers, "response.headers", warn),
  };
  const jar = cookies(res.cookies);
  if (jar) out.cookies = jar;
  const content = isObject(res.content) ? res.content : undefined;
  const contentType = headerValue(out.headers, "content-type") ?? nonEmpty(content?.mimeType);
  if (contentType !== undefined) out.contentType = contentType;
  const text = str(content?.text);
  if (content && text !== undefined) {
    const b64 = content.encoding === "base64";
    const body = b64 ? base64Body(text, ctx.maxBodyBytes) : utf8Body(text, ctx.maxBodyBytes);
    out.body = body.bytes;
    // HAR 1.2 §content: `text` is the body after Content-Encoding was undone.
    out.contentDecoded = true;
    noteBody(body, "response", ctx, warn);
    if (body.truncated) out.bodyTruncated = true;
  }
  if (ts !== undefined) out.ts = ts;
  return out;
}

function hostFromHeaders(headers: readonly HttpHeader[]): { host?: string; port?: number } {
  for (const name of ["host", ":authority"]) {
    const a = splitAuthority(headerValue(headers, name)?.trim() ?? "");
    if (a.host) return a;
  }
  return {};
}

function readHeaders(v: unknown, field: string, warn: Warn): HttpHeader[] {
  const { list, bad } = nameValues(v);
  if (bad > 0)
    warn("har_bad_field", Array.isArray(v) ? `${bad} bad ${field} item(s)` : `${field} not a list`);
  return list;
}

function noteBody(body: DecodedBody, side: string, ctx: EntryContext, warn: Warn): void {
  if (body.truncated) warn("har_body_truncated", `${side} body cut at ${ctx.maxBodyBytes} bytes`);
  if (body.badBase64) warn("har_bad_base64", `${side} body is not clean base64`);
}
