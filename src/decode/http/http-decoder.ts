// The HTTP/1.x stream decoder's registration: a content probe (a request line with a known method and an
// `HTTP/1.x` version, or a status line), on any port, and one HttpSession per claimed connection.

import type { StreamConsumer, StreamContext } from "../../session/stream-consumer.ts";
import { CONTENT_WEIRD_NAMES, DEFAULT_MAX_DECOMPRESSED_BYTES } from "../content/decompress.ts";
import type { DecoderOutput, StreamDecoderDefinition } from "../stream-decoder.ts";
import { HTTP_FRAMING_WEIRD_NAMES } from "./http-framing.ts";
import { HTTP_HEAD_WEIRD_NAMES, HTTP_METHODS } from "./http-head.ts";
import { HTTP_PARSER_WEIRD_NAMES } from "./http-parser-types.ts";
import { HTTP_SESSION_WEIRD_NAMES, HttpSession, type HttpSessionOptions } from "./http-session.ts";
import { WS_WEIRD_NAMES } from "./websocket.ts";

/** Every weird name an HTTP connection can produce (docs/records.md lists them). */
export const HTTP_WEIRD_NAMES = [
  ...HTTP_HEAD_WEIRD_NAMES,
  ...HTTP_PARSER_WEIRD_NAMES,
  ...HTTP_FRAMING_WEIRD_NAMES,
  ...HTTP_SESSION_WEIRD_NAMES,
  ...CONTENT_WEIRD_NAMES,
  ...WS_WEIRD_NAMES,
] as const;

/** Options of an HTTP decoder; every bound has a default. */
export type HttpDecoderOptions = Partial<HttpSessionOptions>;

/** The defaults: heads ≤ 64 KiB and 256 fields, 8 MiB kept per body, 16 MiB decoded, 64 requests queued. */
export const DEFAULT_HTTP_OPTIONS: HttpSessionOptions = {
  transport: "cleartext",
  maxHeadBytes: 64 * 1024,
  maxHeaders: 256,
  maxBodyBytes: 8 * 1024 * 1024,
  maxDecodedBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
  maxHeldBytes: 64 * 1024,
  maxPending: 64,
  maxWsMessageBytes: 1024 * 1024,
};

const METHOD_BYTES = HTTP_METHODS.map((m) => Buffer.from(`${m} `, "latin1"));
const STATUS_PREFIX = Buffer.from("HTTP/1.", "latin1");
// A request-target too long for the first segment still starts a real request; this many bytes of it are
// enough to believe it when the version is not in sight.
const LONG_TARGET = 64;

/** True when `b` starts (after empty lines) like an HTTP/1.x request or response. */
export function probeHttp(b: Uint8Array): boolean {
  let off = 0;
  while (off < b.length && off < 8 && (b[off] === 0x0d || b[off] === 0x0a)) off++;
  if (startsWith(b, off, STATUS_PREFIX)) {
    // HTTP/1.x SP 3DIGIT (RFC 9112 §4)
    const p = off + STATUS_PREFIX.length;
    return (
      b.length >= p + 5 &&
      isDigit(b[p]) &&
      b[p + 1] === 0x20 &&
      isDigit(b[p + 2]) &&
      isDigit(b[p + 3]) &&
      isDigit(b[p + 4])
    );
  }
  for (const m of METHOD_BYTES) {
    if (startsWith(b, off, m)) return probeTarget(b, off + m.length);
  }
  return false;
}

/** request-target SP "HTTP/1." DIGIT, the target being visible characters (RFC 9112 §3.2). */
function probeTarget(b: Uint8Array, p: number): boolean {
  const start = p;
  while (p < b.length && b[p] > 0x20 && b[p] !== 0x7f) p++;
  if (p === start) return false;
  if (p === b.length) return p - start >= LONG_TARGET;
  return b[p] === 0x20 && startsWith(b, p + 1, STATUS_PREFIX) && isDigit(b[p + 1 + STATUS_PREFIX.length]);
}

function startsWith(b: Uint8Array, off: number, prefix: Uint8Array): boolean {
  if (b.length < off + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[off + i] !== prefix[i]) return false;
  return true;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** An HTTP consumer for one connection, e.g. for bytes decrypted from TLS (`transport: "tls-decrypted"`). */
export function createHttpConsumer(
  ctx: StreamContext,
  out: DecoderOutput,
  opts: HttpDecoderOptions = {},
): StreamConsumer {
  const session = new HttpSession(ctx, out, { ...DEFAULT_HTTP_OPTIONS, ...opts });
  return {
    service: "http",
    data: (fromOrig, bytes, ts, frame) => session.data(fromOrig, bytes, ts, frame),
    gap: (fromOrig, len) => session.gap(fromOrig, len),
    end: () => session.end(),
  };
}

/** A definition with other bounds or another transport than the defaults. */
export function httpDecoderWith(opts: HttpDecoderOptions): StreamDecoderDefinition {
  return {
    name: "http",
    protos: ["tcp"],
    probe: (bytes) => probeHttp(bytes),
    create: (ctx, out) => createHttpConsumer(ctx, out, opts),
  };
}

/** The HTTP/1.x decoder as the registry lists it. */
export const httpDecoder: StreamDecoderDefinition = httpDecoderWith({});
