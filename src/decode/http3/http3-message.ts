// One direction of an HTTP/3 request stream (RFC 9114 §4.1): the client's request or the server's response,
// as a frame reader plus what it has given so far: the header section (pseudo-header fields included, as
// the HTTP/2 records keep them), interim 1xx responses, trailers, the body within its bounds, and the
// packets that carried it. Also the mapping of pseudo-header fields onto the shared message model.

import type { HttpHeader, HttpRequest, HttpResponse } from "../../model/http-message.ts";
import { headerValue, splitAuthority } from "../../model/http-message.ts";
import { BodyBuffer } from "../http/body-buffer.ts";
import type { Http3FrameReader } from "./http3-frames.ts";

/** The version HTTP/3 records carry. */
export const HTTP3_VERSION = "3";

/** The body bytes a connection may keep over all its streams (each body also has its own bound). */
export class BodyBudget {
  /** A budget of `left` bytes. */
  constructor(public left: number) {}
}

/** One direction of a request stream. */
export class H3Message {
  /** The final header section (the request's, or the final response's). */
  headers: HttpHeader[] | undefined;
  /** Trailer fields (a HEADERS frame after DATA, §4.1). */
  trailers: HttpHeader[] = [];
  /** The last interim (1xx) response before the final one. */
  info: { code: number; msg: string } | undefined;
  /** Body bytes kept (and counted). */
  readonly body: BodyBuffer;
  /** A HEADERS payload waiting for encoder stream data (QPACK blocked stream, RFC 9204 §2.2.1). */
  blocked: Uint8Array | undefined;
  /** Stream bytes that came after the blocked HEADERS frame, replayed once it decodes. */
  held: Uint8Array[] = [];
  heldBytes = 0;
  /** The FIN came while blocked. */
  heldFin = false;
  /** The stream ended (FIN or RESET_STREAM). */
  done = false;
  /** The sender reset the stream, or bytes were lost: the message is incomplete. */
  incomplete = false;
  /** The message's payloads went to the detector. */
  bodyEmitted = false;
  firstTs = 0;
  firstFrame = 0;
  lastTs = 0;
  lastFrame = 0;

  /** A message whose frames `reader` reads, keeping at most `maxBody` body bytes. */
  constructor(
    readonly reader: Http3FrameReader,
    maxBody: number,
    private readonly budget: BodyBudget,
  ) {
    this.body = new BodyBuffer(maxBody);
  }

  /** Notes the packet that brought bytes of this message. */
  seen(ts: number, frame: number): void {
    if (this.firstFrame === 0) {
      this.firstTs = ts;
      this.firstFrame = frame;
    }
    this.lastTs = ts;
    this.lastFrame = frame;
  }

  /** DATA payload bytes: kept within the body bound and the connection's budget, counted beyond. */
  data(bytes: Uint8Array): void {
    const keep = Math.min(bytes.length, this.budget.left, this.body.max - this.body.kept);
    if (keep > 0) {
      this.body.append(bytes, 0, keep);
      this.budget.left -= keep;
    }
    if (keep < bytes.length) {
      this.body.skip(bytes.length - keep);
      this.body.truncated = true;
    }
  }

  /** Keeps stream bytes behind a blocked HEADERS frame; false when that would pass `max`. */
  hold(bytes: Uint8Array, max: number): boolean {
    if (this.heldBytes + bytes.length > max) return false;
    this.held.push(Uint8Array.from(bytes));
    this.heldBytes += bytes.length;
    return true;
  }
}

/** The request a header section describes (RFC 9114 §4.3.1), seen at `ts`. */
export function requestFromFields(headers: HttpHeader[], ts: number): HttpRequest {
  const path = headerValue(headers, ":path") ?? "";
  const authority = headerValue(headers, ":authority") ?? headerValue(headers, "host");
  const req: HttpRequest = {
    method: headerValue(headers, ":method") ?? "",
    url: path,
    path,
    httpVersion: HTTP3_VERSION,
    headers,
    ts,
  };
  const scheme = headerValue(headers, ":scheme");
  if (scheme) req.scheme = scheme.toLowerCase();
  if (authority) {
    const a = splitAuthority(authority.trim());
    if (a.host) req.host = a.host;
    const port = a.port ?? (req.scheme === "https" ? 443 : req.scheme === "http" ? 80 : undefined);
    if (port) req.port = port;
  }
  const ct = headerValue(headers, "content-type");
  if (ct !== undefined) req.contentType = ct;
  return req;
}

/** The response a header section describes (RFC 9114 §4.3.2), first seen at `ts`. */
export function responseFromFields(headers: HttpHeader[], ts: number): HttpResponse {
  const res: HttpResponse = {
    status: statusOf(headers),
    statusText: "",
    httpVersion: HTTP3_VERSION,
    headers,
    ts,
  };
  const ct = headerValue(headers, "content-type");
  if (ct !== undefined) res.contentType = ct;
  return res;
}

/** The :status of a response section, 0 when absent or not three digits. */
export function statusOf(headers: HttpHeader[]): number {
  const s = headerValue(headers, ":status") ?? "";
  return /^\d{3}$/.test(s) ? Number(s) : 0;
}
