// The TLS decoder's registration: TLS is found by content on any port (a ClientHello or ServerHello in a
// handshake record), read to the end of its handshake, and reported as one `tls` record per connection.

import type { StreamContext } from "../../session/stream-consumer.ts";
import type { DecoderOutput, StreamDecoderDefinition } from "../stream-decoder.ts";
import { TlsConnection } from "./tls-connection.ts";
import type { TlsKeyHook } from "./tls-decrypt-hook.ts";
import { MAX_RECORD_BODY } from "./tls-records.ts";

export { TLS_WEIRD_NAMES, type TlsWeird } from "./tls-weirds.ts";

/** Options of a TLS decoder. */
export interface TlsDecoderOptions {
  /** Key source (issue 7). Without one, connections are dropped after the handshake. */
  keys?: TlsKeyHook;
}

/** Smallest hello body: version 2 + random 32 + session id length 1 + cipher 2 + compression 1 (ServerHello). */
const MIN_HELLO = 38;

/**
 * True when `b` starts like a TLS handshake record carrying a ClientHello or ServerHello: content type 22,
 * version 0x0300–0x0304, a plausible length, handshake type 1 or 2, and a hello version of 3.x
 * (RFC 8446 §5.1, §4). Checks only what the first segment holds.
 */
export function looksLikeTlsHello(b: Uint8Array): boolean {
  if (b.length < 5 || b[0] !== 22 || b[1] !== 3 || b[2] > 4) return false;
  const len = (b[3] << 8) | b[4];
  if (len < 4 || len > MAX_RECORD_BODY) return false;
  if (b.length >= 6 && b[5] !== 1 && b[5] !== 2) return false;
  if (b.length >= 9 && ((b[6] << 16) | (b[7] << 8) | b[8]) < MIN_HELLO) return false;
  return b.length < 10 || b[9] === 3;
}

/** A TLS decoder definition with options (the registry uses `tlsDecoder`, which has none). */
export function makeTlsDecoder(opts: TlsDecoderOptions = {}): StreamDecoderDefinition {
  return {
    name: "tls",
    protos: ["tcp"],
    probe: (bytes: Uint8Array) => looksLikeTlsHello(bytes),
    create: (ctx: StreamContext, out: DecoderOutput) => new TlsConnection(ctx, out, opts.keys),
  };
}

/** TLS over TCP, on any port. */
export const tlsDecoder: StreamDecoderDefinition = makeTlsDecoder();
