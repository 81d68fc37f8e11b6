// The HTTP/2 decoder (RFC 9113) as the registry and the TLS decryptor use it: cleartext h2c with prior
// knowledge, found on any port by the client connection preface, and a consumer factory that decrypted TLS
// (ALPN h2) calls directly with its transport. Streams become the same `http` records as HTTP/1.

import type { HttpTransport } from "../../model/http.ts";
import type { StreamConsumer, StreamContext } from "../../session/stream-consumer.ts";
import { CONTENT_WEIRD_NAMES, DEFAULT_MAX_DECOMPRESSED_BYTES } from "../content/decompress.ts";
import type { DecoderOutput, StreamDecoderDefinition } from "../stream-decoder.ts";
import { DEFAULT_HPACK_BOUNDS } from "./hpack-decoder.ts";
import { Http2Connection, type Http2ConnectionOptions } from "./http2-connection.ts";
import { CLIENT_PREFACE } from "./http2-frame-reader.ts";
import { HTTP2_FRAME_WEIRD_NAMES } from "./http2-frames.ts";

/** Every weird name an HTTP/2 connection can produce. */
export const HTTP2_WEIRD_NAMES = [...HTTP2_FRAME_WEIRD_NAMES, ...CONTENT_WEIRD_NAMES] as const;

/** Options of an HTTP/2 consumer; every bound has a default. */
export type Http2Options = Partial<Http2ConnectionOptions>;

/**
 * The defaults: 256 open streams, 8 MiB kept per body and 32 MiB across a connection's open streams,
 * 16 MiB decoded, field blocks of 256 KiB, HPACK tables of 1 MiB, 64 KiB / 256 fields kept per block.
 */
export const DEFAULT_HTTP2_OPTIONS: Http2ConnectionOptions = {
  transport: "cleartext",
  maxStreams: 256,
  maxBodyBytes: 8 * 1024 * 1024,
  maxHeldBodyBytes: 32 * 1024 * 1024,
  maxDecodedBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
  maxHeaderBlockBytes: 256 * 1024,
  ...DEFAULT_HPACK_BOUNDS,
};

// Enough of the preface to tell it from anything else when the first segment is short.
const MIN_PROBE = 4;

/** True when `bytes` start with the client connection preface (RFC 9113 §3.4), or a prefix of it. */
export function probeHttp2(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, CLIENT_PREFACE.length);
  if (n < MIN_PROBE) return false;
  for (let i = 0; i < n; i++) if (bytes[i] !== CLIENT_PREFACE[i]) return false;
  return true;
}

/**
 * An HTTP/2 consumer for one connection whose originator is normally the client. For bytes decrypted from
 * TLS pass `transport: "tls-decrypted"`: records and every payload chunk then say so.
 */
export function createHttp2Consumer(
  ctx: StreamContext,
  out: DecoderOutput,
  opts: { transport?: HttpTransport } & Http2Options = {},
): StreamConsumer {
  const o: Http2ConnectionOptions = { ...DEFAULT_HTTP2_OPTIONS, ...opts };
  const transport = o.transport;
  const marked: DecoderOutput =
    transport === "cleartext"
      ? out
      : {
          record: (r) => out.record(r),
          weird: (w) => out.weird(w),
          payload: (p, conn) => out.payload({ ...p, transport }, conn),
        };
  const connection = new Http2Connection(ctx, marked, o);
  return {
    service: "http2",
    data: (fromOrig, bytes, ts, frame) => connection.data(fromOrig, bytes, ts, frame),
    gap: (fromOrig, len) => connection.gap(fromOrig, len),
    end: () => connection.end(),
  };
}

/** A definition with other bounds than the defaults. */
export function http2DecoderWith(opts: Http2Options): StreamDecoderDefinition {
  return {
    name: "http2",
    protos: ["tcp"],
    probe: (bytes) => probeHttp2(bytes),
    create: (ctx, out) => createHttp2Consumer(ctx, out, opts),
  };
}

/** The cleartext HTTP/2 (h2c with prior knowledge) decoder as the registry lists it. */
export const http2Decoder: StreamDecoderDefinition = http2DecoderWith({});
