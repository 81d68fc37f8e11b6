// Drives the HTTP/2 decoder directly (no packets): the HTTP tests' connection context and collecting output,
// a feeder that hands each direction's bytes over in chosen pieces, and field blocks for common messages.

import { createHttp2Consumer, type Http2Options } from "../../../src/decode/http2/http2-decoder.ts";
import { hpackBlock } from "../../helpers/hpack-encoder.ts";
import { PREFACE, settings } from "../../helpers/http2-builder.ts";
import { Collected, CTX } from "../http/http-helpers.ts";

export { Collected, CTX };

/** One step: bytes from the originator or the responder, in pieces, or a gap. */
export interface H2Step {
  /** True for originator → responder. */
  orig: boolean;
  /** The bytes. */
  data?: Uint8Array | string;
  /** Instead of bytes: this many bytes of the direction were lost. */
  gap?: number;
  /** Piece size (default one piece). */
  split?: number;
}

/** What `runH2` returns. */
export interface H2Result extends Collected {
  /** The last value data() returned. */
  more: boolean | undefined;
}

/** Feeds the steps to a fresh HTTP/2 consumer (frame numbers count pieces from 1), then ends it. */
export function runH2(steps: H2Step[], opts: Http2Options = {}, end = true): H2Result {
  const out = new Collected() as H2Result;
  const c = createHttp2Consumer(CTX, out, opts);
  let frame = 0;
  for (const s of steps) {
    if (s.gap !== undefined) {
      c.gap(s.orig, s.gap);
      continue;
    }
    const b = typeof s.data === "string" ? Buffer.from(s.data, "latin1") : (s.data ?? new Uint8Array(0));
    const size = s.split ?? Math.max(1, b.length);
    for (let off = 0; off < b.length; off += size) {
      frame++;
      out.more = c.data(s.orig, b.subarray(off, off + size), CTX.ts + frame / 1000, frame);
    }
  }
  if (end) c.end();
  return out;
}

/** The client's opening: preface and an empty SETTINGS. */
export function clientStart(pairs: [number, number][] = []): Buffer {
  return Buffer.concat([Buffer.from(PREFACE, "latin1"), settings(pairs)]);
}

/** A request field block (literals without indexing). */
export function requestBlock(
  path: string,
  extra: [string, string][] = [],
  method = "GET",
  authority = "api.example.com",
): Uint8Array {
  return hpackBlock([
    [":method", method],
    [":scheme", "http"],
    [":authority", authority],
    [":path", path],
    ...extra,
  ]);
}

/** A response field block. */
export function responseBlock(status: number, extra: [string, string][] = []): Uint8Array {
  return hpackBlock([[":status", String(status)], ...extra]);
}
