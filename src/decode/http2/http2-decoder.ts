// HTTP/2 decoder registration (RFC 9113): cleartext h2c with prior knowledge found by the client connection
// preface, and a consumer factory that decrypted TLS (ALPN h2) calls directly. Work in progress.

import type { HttpTransport } from "../../model/http.ts";
import type { StreamConsumer, StreamContext } from "../../session/stream-consumer.ts";
import type { DecoderOutput, StreamDecoderDefinition } from "../stream-decoder.ts";

/** The client connection preface (RFC 9113 §3.4). */
const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** True when `bytes` start with (a prefix of at least 4 bytes of) the HTTP/2 client connection preface. */
export function probeHttp2(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, PREFACE.length);
  if (n < 4) return false;
  for (let i = 0; i < n; i++) if (bytes[i] !== PREFACE[i]) return false;
  return true;
}

/** An HTTP/2 consumer for one connection (stub: accepts bytes, decodes nothing yet). */
export function createHttp2Consumer(
  _ctx: StreamContext,
  _out: DecoderOutput,
  _opts: { transport?: HttpTransport } = {},
): StreamConsumer {
  return { service: "http2", data: () => true, gap: () => {}, end: () => {} };
}

/** The cleartext HTTP/2 (h2c, prior knowledge) decoder as the registry lists it. */
export const http2Decoder: StreamDecoderDefinition = {
  name: "http2",
  protos: ["tcp"],
  probe: (bytes, fromOrig) => fromOrig && probeHttp2(bytes),
  create: (ctx, out) => createHttp2Consumer(ctx, out),
};
