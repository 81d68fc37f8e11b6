// HTTP/2 field sections as the shared message model: the request pseudo-header fields (:method, :scheme,
// :authority, :path) and the response's :status (RFC 9113 §8.3) become an HttpRequest / HttpResponse like
// those HTTP/1 heads, HAR entries and the proxy give, so one record builder serves them all. Also the checks
// that make a field section malformed (RFC 9113 §8.2, §8.3), reported rather than acted on.

import type { HttpTransport } from "../../model/http.ts";
import type { HttpHeader, HttpRequest, HttpResponse } from "../../model/http-message.ts";
import { headerValue, splitAuthority } from "../../model/http-message.ts";

/** The version an HTTP/2 exchange's record carries. */
export const HTTP2_VERSION = "2";

const REQUEST_PSEUDO = [":method", ":scheme", ":authority", ":path", ":protocol"] as const;
const RESPONSE_PSEUDO = [":status"] as const;
// RFC 9113 §8.2.2: connection-specific fields have no place in HTTP/2.
const CONNECTION_FIELDS = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

/** The value of pseudo-header `name`, if present. */
export function pseudo(headers: readonly HttpHeader[], name: string): string | undefined {
  for (const h of headers) {
    if (h.name === name) return h.value;
    if (!h.name.startsWith(":")) return undefined;
  }
  return undefined;
}

/**
 * The request of a field section seen at `ts`. The request-target is :path, or :authority for CONNECT
 * (RFC 9113 §8.5); the host comes from :authority, else Host.
 */
export function requestFromFields(
  headers: HttpHeader[],
  ts: number,
  serverPort: number,
  transport: HttpTransport,
): HttpRequest {
  const method = pseudo(headers, ":method") ?? "";
  const path = pseudo(headers, ":path");
  const authority = pseudo(headers, ":authority") ?? headerValue(headers, "host")?.trim() ?? "";
  const scheme = pseudo(headers, ":scheme")?.toLowerCase();
  const target = path ?? (method === "CONNECT" ? authority : "");
  const server = splitAuthority(authority);
  const req: HttpRequest = {
    method,
    url: target,
    path: path ?? "/",
    httpVersion: HTTP2_VERSION,
    headers,
    ts,
  };
  const s = scheme ?? (transport === "tls-decrypted" ? "https" : transport === "cleartext" ? "http" : "");
  if (s) req.scheme = s;
  if (server.host) req.host = server.host;
  const port = server.port ?? serverPort;
  if (port) req.port = port;
  const ct = headerValue(headers, "content-type");
  if (ct !== undefined) req.contentType = ct;
  return req;
}

/** The response of a field section seen at `ts`; status 0 when :status is missing or not 3 digits. */
export function responseFromFields(headers: HttpHeader[], ts: number): HttpResponse {
  const text = pseudo(headers, ":status") ?? "";
  const res: HttpResponse = {
    status: /^\d{3}$/.test(text) ? Number(text) : 0,
    statusText: "",
    httpVersion: HTTP2_VERSION,
    headers,
    ts,
  };
  const ct = headerValue(headers, "content-type");
  if (ct !== undefined) res.contentType = ct;
  return res;
}

/** Which kind of field section is checked. */
export type SectionKind = "request" | "response" | "trailers";

/** The first reason the field section is malformed (RFC 9113 §8.2, §8.3), or undefined. */
export function malformation(headers: readonly HttpHeader[], kind: SectionKind): string | undefined {
  const allowed: readonly string[] =
    kind === "request" ? REQUEST_PSEUDO : kind === "response" ? RESPONSE_PSEUDO : [];
  const seen = new Set<string>();
  let regular = false;
  for (const { name, value } of headers) {
    if (name === "") return "empty field name";
    if (name !== name.toLowerCase()) return `upper-case field name ${name.slice(0, 40)}`;
    if (name.startsWith(":")) {
      if (regular) return `pseudo-header ${name} after a regular field`;
      if (!allowed.includes(name)) return `pseudo-header ${name.slice(0, 40)} in ${kind}`;
      if (seen.has(name)) return `repeated ${name}`;
      seen.add(name);
      continue;
    }
    regular = true;
    if (CONNECTION_FIELDS.includes(name)) return `connection-specific field ${name}`;
    if (name === "te" && value.trim().toLowerCase() !== "trailers") return "te other than trailers";
  }
  if (kind === "response") return seen.has(":status") ? undefined : "no :status";
  return kind === "request" ? missingRequestPseudo(headers, seen) : undefined;
}

/** :method always; :scheme and :path except for CONNECT, which has :authority alone (RFC 9113 §8.5). */
function missingRequestPseudo(headers: readonly HttpHeader[], seen: Set<string>): string | undefined {
  if (!seen.has(":method")) return "no :method";
  if (pseudo(headers, ":method") === "CONNECT" && !seen.has(":protocol")) {
    if (!seen.has(":authority")) return "CONNECT without :authority";
    return seen.has(":scheme") || seen.has(":path") ? "CONNECT with :scheme or :path" : undefined;
  }
  if (!seen.has(":scheme")) return "no :scheme";
  if (!pseudo(headers, ":path")) return "no :path";
  return undefined;
}
