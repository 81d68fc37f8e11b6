// Hands an HTTP message's searchable parts to the detector: the request-target (`http.uri`), the header
// block (`http.header`) and the body with its content codings undone (`http.body`). Shared by packets, HAR
// and the proxy, so the detector sees the same layers whatever the source.

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
  /** True for the request direction when it is the originator's. */
  fromOrig: boolean;
  /** Time of the packet that completed the message. */
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

/** The request's payloads; `body` (as transferred, bounded) defaults to the request's own. */
export function emitRequestPayloads(
  req: HttpRequest,
  place: MessagePlace,
  out: DecoderOutput,
  opts: BodyDecodeOptions,
  body: Uint8Array | undefined = req.body,
  transferCodings: readonly string[] = [],
): void {
  if (req.url !== "") emit(out, place, "http.uri", Buffer.from(req.url, "utf8"));
  emitHeaders(req.headers, place, out);
  if (body && body.length > 0) {
    const codings = [...parseCodings(headerValue(req.headers, "content-encoding")), ...transferCodings];
    emitBody(body, codings, place, out, opts);
  }
}

/** The response's payloads; a body the source already decoded (HAR) is not decoded again. */
export function emitResponsePayloads(
  res: HttpResponse,
  place: MessagePlace,
  out: DecoderOutput,
  opts: BodyDecodeOptions,
  body: Uint8Array | undefined = res.body,
  transferCodings: readonly string[] = [],
): void {
  emitHeaders(res.headers, place, out);
  if (body && body.length > 0) {
    const codings = res.contentDecoded
      ? []
      : [...parseCodings(headerValue(res.headers, "content-encoding")), ...transferCodings];
    emitBody(body, codings, place, out, opts);
  }
}

function emitHeaders(headers: readonly HttpHeader[], place: MessagePlace, out: DecoderOutput): void {
  if (headers.length === 0) return;
  let block = "";
  for (const h of headers) block += `${h.name}: ${h.value}\r\n`;
  emit(out, place, "http.header", Buffer.from(block, "utf8"));
}

function emitBody(
  body: Uint8Array,
  codings: readonly string[],
  place: MessagePlace,
  out: DecoderOutput,
  opts: BodyDecodeOptions,
): void {
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
      // Nothing decoded: the detector still gets the bytes as sent (a mislabelled body is often plain).
      if (data.length === 0) data = body;
    }
  }
  emit(out, place, "http.body", data);
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
