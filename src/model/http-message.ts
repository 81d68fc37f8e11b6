// The HTTP message as every source hands it on: HAR files now, packet decoding and the live proxy later.
// Issue 3 builds `http` records from these, so the shape stays the same whatever the transport was.

/** Where an exchange was observed. Open set: a new transport adds a name here. */
export const HTTP_SOURCES = ["packet", "har", "proxy"] as const;
export type HttpSource = (typeof HTTP_SOURCES)[number];

/** One header line. */
export interface HttpHeader {
  /** Field name in its original case (HTTP/2 pseudo-headers such as `:authority` included). */
  name: string;
  /** Field value as sent. */
  value: string;
}

/** A cookie as a tool listed it beside the headers (HAR `cookies`); it may repeat a Cookie header. */
export interface HttpCookie {
  /** Cookie name. */
  name: string;
  /** Cookie value. */
  value: string;
}

/** The client's side of an exchange. */
export interface HttpRequest {
  /** Method as sent (`GET`, `POST`, ...). */
  method: string;
  /** Absolute URL when known (HAR gives it), otherwise the request-target as sent. */
  url: string;
  /** URL scheme in lower case (`http`, `https`, `ws`, ...), when known. */
  scheme?: string;
  /** Host the request went to, lower case, IPv6 without brackets: from the URL, else Host/:authority. */
  host?: string;
  /** Port from the URL, else the scheme's default, when known. */
  port?: number;
  /** Path and query as sent (the origin-form request-target), `/` at least. */
  path: string;
  /** Protocol version as the source wrote it (`HTTP/1.1`, `http/2.0`, `h3`, or empty). */
  httpVersion: string;
  /** Headers in original order and case. */
  headers: HttpHeader[];
  /** Cookies the source listed separately from the headers, when it did. */
  cookies?: HttpCookie[];
  /**
   * Body bytes as sent, at most the reader's body bound. For HAR `postData.params` without `text`, the
   * params re-encoded as an `application/x-www-form-urlencoded` form.
   */
  body?: Uint8Array;
  /** True when `body` was cut at the bound. */
  bodyTruncated?: boolean;
  /** Media type of the body (Content-Type header, else what the source recorded). */
  contentType?: string;
  /** When the request started, float seconds since the epoch (0 when the source did not say). */
  ts: number;
}

/** The server's side of an exchange. */
export interface HttpResponse {
  /** Status code; 0 means the source saw no response (Chrome writes it for blocked or failed requests). */
  status: number;
  /** Reason phrase as recorded (often empty for HTTP/2 and in Chrome HARs). */
  statusText: string;
  /** Protocol version as the source wrote it. */
  httpVersion: string;
  /** Headers in original order and case. */
  headers: HttpHeader[];
  /** Cookies the source listed separately from the Set-Cookie headers, when it did. */
  cookies?: HttpCookie[];
  /** Body bytes, at most the reader's body bound. */
  body?: Uint8Array;
  /** True when `body` was cut at the bound. */
  bodyTruncated?: boolean;
  /**
   * True when `body` already has its Content-Encoding removed although the headers still name one
   * (HAR stores decoded content), so a consumer must not decode it again.
   */
  contentDecoded?: boolean;
  /** Media type of the body (Content-Type header, else what the source recorded). */
  contentType?: string;
  /** When the first response byte arrived, float seconds since the epoch, when known. */
  ts?: number;
}

/** Phase durations in milliseconds (HAR `timings`); a phase that did not apply is absent. */
export interface HttpTimings {
  /** Time queued before a connection was available. */
  blocked?: number;
  /** DNS resolution. */
  dns?: number;
  /** TCP connect, TLS included (per HAR 1.2; some tools report TLS only under `ssl`). */
  connect?: number;
  /** TLS handshake. */
  ssl?: number;
  /** Sending the request. */
  send?: number;
  /** Waiting for the first response byte. */
  wait?: number;
  /** Receiving the response. */
  receive?: number;
  /** Whole exchange (HAR entry `time`). */
  total?: number;
}

/** A request and, when one was seen, its response. */
export interface HttpExchange {
  /** The request. */
  request: HttpRequest;
  /** The response, absent when none was recorded. */
  response?: HttpResponse;
  /** Transport the exchange came from. */
  source: HttpSource;
  /** Server address in text form (no brackets), when known. */
  serverIp?: string;
  /** Identifier of the underlying connection as the source names it (HAR `connection`, or a conn uid). */
  connectionId?: string;
  /** 1-based number of the exchange in its input (the HAR entry's position in `log.entries`). */
  index: number;
  /** Phase durations, when the source recorded them. */
  timings?: HttpTimings;
  /** What the browser loaded it as (Chrome `_resourceType`: `document`, `xhr`, `ping`, ...). */
  resourceType?: string;
  /** Bytes on the wire for the response, headers included (Chrome `_transferSize`). */
  transferSize?: number;
  /** Page the exchange belongs to (HAR `pageref`). */
  pageref?: string;
}

/** Value of the first header named `name` (case-insensitive), or undefined. */
export function headerValue(headers: readonly HttpHeader[], name: string): string | undefined {
  const want = name.toLowerCase();
  for (const h of headers) if (h.name.toLowerCase() === want) return h.value;
  return undefined;
}

/** Parts of a URL as `splitUrl` returns them. */
export interface UrlParts {
  /** Lower-case scheme, when the URL is absolute. */
  scheme?: string;
  /** Lower-case host without brackets, when the URL has an authority. */
  host?: string;
  /** Explicit port, else the scheme's default, when known. */
  port?: number;
  /** Path and query (fragment dropped), `/` at least. */
  path: string;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };
// RFC 3986 §3: scheme "://" authority, then path-abempty + query up to the fragment.
const ABSOLUTE_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/;

/**
 * Splits an absolute URL (or a bare request-target) into scheme, host, port and path without normalising
 * the path, so it stays byte for byte what was sent (the WHATWG URL parser would re-encode it).
 */
export function splitUrl(url: string): UrlParts {
  const m = ABSOLUTE_URL.exec(url);
  if (!m) {
    const hash = url.indexOf("#");
    const target = hash < 0 ? url : url.slice(0, hash);
    return { path: originForm(target) };
  }
  const scheme = m[1]!.toLowerCase();
  const { host, port } = splitAuthority(m[2]!);
  return { scheme, host, port: port ?? DEFAULT_PORTS[scheme], path: originForm(m[3]!) };
}

/** Host and explicit port of an authority (`user@host:port`, `[v6]:port`); host lower case. */
export function splitAuthority(authority: string): { host?: string; port?: number } {
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  let host: string;
  let portText = "";
  if (hostPort.startsWith("[")) {
    const end = hostPort.indexOf("]");
    host = end < 0 ? hostPort.slice(1) : hostPort.slice(1, end);
    if (end >= 0 && hostPort[end + 1] === ":") portText = hostPort.slice(end + 2);
  } else {
    const colon = hostPort.lastIndexOf(":");
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    if (colon >= 0) portText = hostPort.slice(colon + 1);
  }
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : undefined;
  return {
    host: host === "" ? undefined : host.toLowerCase(),
    port: port !== undefined && port <= 65535 ? port : undefined,
  };
}

function originForm(target: string): string {
  if (target === "") return "/";
  return target.startsWith("?") ? `/${target}` : target;
}
