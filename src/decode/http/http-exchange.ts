// The shared message model (HttpRequest / HttpResponse) built from parsed HTTP/1.x heads, so packets feed
// the same record builder as HAR and the proxy; and what a request asks of the connection (CONNECT, Upgrade).

import type { HttpTransport } from "../../model/http.ts";
import type { HttpRequest, HttpResponse } from "../../model/http-message.ts";
import { headerValue, splitAuthority, splitUrl } from "../../model/http-message.ts";
import { joinedField } from "./http-framing.ts";
import type { ParsedHead } from "./http-head.ts";

/** What a request asks to switch the connection to. */
export const UPGRADE_KINDS = ["connect", "websocket", "other"] as const;
export type UpgradeKind = (typeof UPGRADE_KINDS)[number];

/**
 * The HttpRequest of a request head seen at `ts` on a connection whose server port is `serverPort`. The body
 * is not attached: it goes to the detector when it is complete, not into the record.
 */
export function requestFromHead(
  head: ParsedHead,
  ts: number,
  serverPort: number,
  transport: HttpTransport,
): HttpRequest {
  const parts = splitUrl(head.target);
  const server = parts.host ? parts : splitAuthority(headerValue(head.headers, "host")?.trim() ?? "");
  const scheme =
    parts.scheme ??
    (transport === "cleartext" ? "http" : transport === "tls-decrypted" ? "https" : undefined);
  const req: HttpRequest = {
    method: head.method,
    url: head.target,
    path: parts.path,
    httpVersion: head.version,
    headers: head.headers,
    ts,
  };
  if (scheme) req.scheme = scheme;
  if (server.host) req.host = server.host;
  const port = server.port ?? serverPort;
  if (port) req.port = port;
  const ct = headerValue(head.headers, "content-type");
  if (ct !== undefined) req.contentType = ct;
  return req;
}

/** The HttpResponse of a response head whose first byte came at `ts`. */
export function responseFromHead(head: ParsedHead, ts: number): HttpResponse {
  const res: HttpResponse = {
    status: head.status,
    statusText: head.reason,
    httpVersion: head.version,
    headers: head.headers,
    ts,
  };
  const ct = headerValue(head.headers, "content-type");
  if (ct !== undefined) res.contentType = ct;
  return res;
}

/** A request that was never seen, for a response logged on its own. */
export function emptyRequest(ts: number): HttpRequest {
  return { method: "", url: "", path: "", httpVersion: "", headers: [], ts };
}

/** Whether the request asks to leave HTTP: CONNECT (RFC 9110 §9.3.6) or Upgrade (RFC 9110 §7.8). */
export function upgradeOf(head: ParsedHead): UpgradeKind | undefined {
  if (head.method === "CONNECT") return "connect";
  const up = joinedField(head.headers, "upgrade");
  if (up === undefined) return undefined;
  return /(^|,)\s*websocket\s*(,|$)/i.test(up) ? "websocket" : "other";
}
