// The `http` record: one per request/response pair (after Zeek's http.log), whatever carried it: packets in
// clear, a HAR file, decrypted TLS, or the live proxy. One builder (decode/http/http-record.ts) makes them all.

import type { ConnId } from "./conn.ts";

/** Where the exchange was seen. */
export const HTTP_TRANSPORTS = ["cleartext", "har", "tls-decrypted", "proxy"] as const;
export type HttpTransport = (typeof HTTP_TRANSPORTS)[number];

/**
 * Marks on an exchange: `connect` a CONNECT tunnel was opened (its bytes are not parsed as HTTP), `websocket`
 * the connection switched to WebSocket (RFC 6455), `upgrade` it switched to another protocol (not parsed),
 * `no-response` no response was seen, `no-request` a response came without a request (mid-stream start),
 * `incomplete` a body ended before its framing said it would (capture gap or end).
 */
export const HTTP_TAGS = [
  "connect",
  "websocket",
  "upgrade",
  "no-response",
  "no-request",
  "incomplete",
] as const;
export type HttpTag = (typeof HTTP_TAGS)[number];

/** One HTTP request and its response. */
export interface HttpRecord extends ConnId {
  /** Record type tag. */
  type: "http";
  /** 1-based position of the request within its connection (pipelined and keep-alive requests count up). */
  trans_depth: number;
  /** Request method as sent (`GET`, `POST`, `CONNECT` ...); empty when only a response was seen. */
  method: string;
  /** Host header as sent (port and brackets kept), else the host of the URL; empty when neither is known. */
  host: string;
  /** Request-target as sent on the wire (packets), or the path and query of the URL (HAR, proxy). */
  uri: string;
  /** Absolute URL, when the source gave one or it follows from the scheme, Host and path. */
  url?: string;
  /** Protocol version as the source wrote it (`HTTP/1.1`; HAR tools write `http/2.0`, `h3` ...). */
  version: string;
  /** User-Agent header. */
  user_agent?: string;
  /** Referer header. */
  referrer?: string;
  /** Final status code of the response. */
  status_code?: number;
  /** Reason phrase of the final response. */
  status_msg?: string;
  /** Last informational (1xx) status before the final one, e.g. 100 for `100 Continue`. */
  info_code?: number;
  /** Reason phrase of that informational response. */
  info_msg?: string;
  /** The query string of the URI as ordered [name, value] pairs, percent-decoded; absent without a query. */
  query?: [string, string][];
  /** Request header fields in order, original case (chunked trailer fields follow the header fields). */
  request_headers: [string, string][];
  /** Response header fields in order, original case (trailer fields follow). */
  response_headers: [string, string][];
  /** Request body bytes as transferred (chunk framing removed, content coding not undone). */
  request_body_len: number;
  /** Response body bytes as transferred. */
  response_body_len: number;
  /** Content-Type of the request body. */
  request_content_type?: string;
  /** Content-Type of the response body. */
  response_content_type?: string;
  /** Content-Encoding of the request body (`gzip`, `br` ...). */
  request_content_encoding?: string;
  /** Content-Encoding of the response body. */
  content_encoding?: string;
  /** True when the request body kept for the detector was cut at the body bound. */
  request_body_truncated?: boolean;
  /** True when the response body kept for the detector was cut at the body bound. */
  response_body_truncated?: boolean;
  /** How the exchange was seen. */
  transport: HttpTransport;
  /** Marks on the exchange (see `HTTP_TAGS`). */
  tags?: HttpTag[];
  /** Frame numbers of the first request packet and the last response packet (packets only). */
  frames?: [number, number];
}
