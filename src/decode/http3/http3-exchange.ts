// A request stream as the record builder sees it: the client's message and the server's, turned into the
// shared HttpExchange and one `http` record (version "3", transport tls-decrypted) when both have ended, and
// where each message's payloads were seen (for the detector).

import type { ConnId } from "../../model/conn.ts";
import type { HttpRecord, HttpTag } from "../../model/http.ts";
import type { HttpExchange } from "../../model/http-message.ts";
import { emptyRequest } from "../http/http-exchange.ts";
import type { MessagePlace } from "../http/http-payloads.ts";
import { httpRecordFrom } from "../http/http-record.ts";
import { type H3Message, requestFromFields, responseFromFields } from "./http3-message.ts";

/** One request stream (RFC 9114 §4.1): the client's message and the server's. */
export class RequestStream {
  /** trans_depth: 1-based order of the request's HEADERS in the connection (0 until they decode). */
  depth = 0;

  /** Stream `id` with its two messages, client first. */
  constructor(
    readonly id: number,
    readonly msgs: [H3Message, H3Message],
  ) {}
}

/** The `http` record of a finished request stream (its body buffers are given back). */
export function exchangeRecord(rs: RequestStream, id: ConnId, ts: number): HttpRecord {
  const [req, res] = rs.msgs;
  const tags: HttpTag[] = [];
  if (!req.headers) tags.push("no-request");
  if (req.incomplete || res.incomplete) tags.push("incomplete");
  const request = req.headers
    ? requestFromFields([...req.headers, ...req.trailers], req.firstTs)
    : emptyRequest(res.firstTs || ts);
  const x: HttpExchange = { request, source: "packet", index: rs.depth, connectionId: id.uid };
  if (res.headers) x.response = responseFromFields([...res.headers, ...res.trailers], res.firstTs);
  if (req.body.truncated) request.bodyTruncated = true;
  if (x.response && res.body.truncated) x.response.bodyTruncated = true;
  const first = req.firstFrame || res.firstFrame;
  const last = res.lastFrame || req.lastFrame;
  const r = httpRecordFrom(x, id, "tls-decrypted", {
    trans_depth: rs.depth,
    request_body_len: req.body.total,
    response_body_len: res.body.total,
    frames: first > 0 ? [first, last] : undefined,
    tags,
    info: res.info,
  });
  req.body.release();
  res.body.release();
  return r;
}

/** Where a message's payloads were seen: its latest packet, else the current one. */
export function messagePlace(
  rs: RequestStream,
  side: number,
  uid: string,
  ts: number,
  frame: number,
): MessagePlace {
  const m = rs.msgs[side];
  return { uid, fromOrig: side === 0, ts: m.lastTs || ts, frame: m.lastFrame || frame, index: rs.depth };
}
