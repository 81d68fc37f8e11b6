// The one list of protocol decoders, in probe order. Adding a protocol is one folder and one line here.
// QUIC comes before DNS so that a loose DNS probe never claims a QUIC Initial.

import { dnsDecoder } from "./dns/dns-decoder.ts";
import { httpDecoder } from "./http/http-decoder.ts";
import { quicDecoder } from "./quic/quic-decoder.ts";
import type { StreamDecoderDefinition } from "./stream-decoder.ts";
import { tlsDecoder } from "./tls/tls-decoder.ts";

/** Every stream decoder phonehome runs. */
export const STREAM_DECODERS: readonly StreamDecoderDefinition[] = [
  httpDecoder,
  tlsDecoder,
  quicDecoder,
  dnsDecoder,
];
