// Hands an HTTP message's searchable parts to the detector: the request-target (`http.uri`), the header
// block (`http.header`) and the body with its content codings undone (`http.body`). Shared by packets, HAR
// and the proxy, so the detector sees the same layers whatever the source. Packets pass the head's own
// bytes (no re-encoding); other sources pass the parsed fields.

import type { HttpHeader, HttpRequest, HttpResponse } from "../../model/http-message.ts";
import { headerValue } from "../../model/http-message.ts";
import { decodeContent, parseCodings } from "../content/decompress.ts";
import type { DecoderOutput } from "../stream-decoder.ts";

/** Payload layers of HTTP messages. */
export const HTTP_PAYLOAD_LAYERS = ["http.uri", "http.header", "http.body"] as const;

/** Where a message was seen. */
export interface MessagePlace {
  /** Connection uid. */
  uid: string;
  /** True when the message went originator → responder. */
  fromOrig: boolean;
  /** Time of the packet that completed the part handed on. */
  ts: number;
  /** Its frame number, when known. */
  frame?: number;
  /** trans_depth of the exchange. */
  index: number;
}

/** Bounds of body decoding. */
export interface BodyDecodeOptions {
  /** Cap on a decoded body (the decompression bound). */
  maxDecodedBytes: number;
}

/**
 * The head's payloads: the request-target (requests only) and the header block, either as the bytes that
 * were sent or rebuilt as `Name: value` lines from parsed fields.
 */
export function emitHeadPayloads(
  place: MessagePlace,
  out: DecoderOutput,
  target: string | Uint8Array | undefined,
  headers: readonly HttpHeader[] | Uint8Array,
): void {
  // The header block goes first so the detector knows the Host before it reports what the URI carries.
  if (headers instanceof Uint8Array) {
    if (headers.length > 0) emit(out, place, "http.header", headers);
  } else if (headers.length > 0) {
    let block = "";
    for (const h of headers) block += `${h.name}: ${h.value}\r\n`;
    emit(out, place, "http.header", Buffer.from(block, "utf8"));
  }
  if (target !== undefined && target.length > 0) {
    emit(out, place, "http.uri", typeof target === "string" ? Buffer.from(target, "utf8") : target);
  }
}

/**
 * A body with its codings undone (`codings` in applied order: Content-Encoding, then transfer codings);
 * decoding problems become weirds on the connection, and a body nothing could be decoded from goes on as sent
 * (a mislabelled body is often plain).
 */
export function emitBodyPayload(
  body: Uint8Array,
  codings: readonly string[],
  place: MessagePlace,
  out: DecoderOutput,
  opts: BodyDecodeOptions,
): void {
  if (body.length === 0) return;
  let data = body;
  if (codings.length > 0) {
    const d = decodeContent(body, codings, { maxBytes: opts.maxDecodedBytes });
    data = d.data;
    if (d.problem) {
      out.weird({
        ts: place.ts,
        name: d.problem.name,
        uid: place.uid,
        frame: place.frame,
        detail: d.problem.detail,
      });
      if (data.length === 0) data = body;
    }
  }
  emit(out, place, "http.body", data);
}

/** All of a parsed request's payloads (HAR, proxy): URL, header block, body. */
export function emitRequestPayloads(
  req: HttpRequest,
  place: MessagePlace,
  out: DecoderOutput,
  opts: BodyDecodeOptions,
): void {
  emitHeadPayloads(place, out, req.url, req.headers);
  if (req.body) emitBodyPayload(req.body, contentCodings(req.headers), place, out, opts);
}

/** All of a parsed response's payloads; a body the source already decoded (HAR) is not decoded again. */
export function emitResponsePayloads(
  res: HttpResponse,
  place: MessagePlace,
  out: DecoderOutput,
  opts: BodyDecodeOptions,
): void {
  emitHeadPayloads(place, out, undefined, res.headers);
  if (res.body)
    emitBodyPayload(res.body, res.contentDecoded ? [] : contentCodings(res.headers), place, out, opts);
}

/** Content codings named by a message's Content-Encoding field, in applied order. */
export function contentCodings(headers: readonly HttpHeader[]): string[] {
  return parseCodings(headerValue(headers, "content-encoding"));
}

function emit(out: DecoderOutput, place: MessagePlace, layer: string, data: Uint8Array): void {
  out.payload({
    uid: place.uid,
    layer,
    data,
    fromOrig: place.fromOrig,
    ts: place.ts,
    frame: place.frame,
    index: place.index,
  });
}
