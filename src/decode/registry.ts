// The one list of protocol decoders, in probe order. Adding a protocol is one folder and one line here.
// QUIC comes before DNS so that a loose DNS probe never claims a QUIC Initial.

import type { KeyStore } from "../decrypt/key-log.ts";
import { tlsKeyHook } from "../decrypt/tls-key-hook.ts";
import { dnsDecoder } from "./dns/dns-decoder.ts";
import { httpDecoder } from "./http/http-decoder.ts";
import { http2Decoder } from "./http2/http2-decoder.ts";
import { makeQuicDecoder, quicDecoder } from "./quic/quic-decoder.ts";
import type { StreamDecoderDefinition } from "./stream-decoder.ts";
import { makeTlsDecoder, tlsDecoder } from "./tls/tls-decoder.ts";

/** Every stream decoder phonehome runs. */
export const STREAM_DECODERS: readonly StreamDecoderDefinition[] = [
  httpDecoder,
  http2Decoder,
  tlsDecoder,
  quicDecoder,
  dnsDecoder,
];

/** The registered decoders, with TLS and QUIC decrypting the sessions whose secrets `keys` holds. */
export function decodersWithKeys(keys: KeyStore): readonly StreamDecoderDefinition[] {
  return STREAM_DECODERS.map((d) => {
    if (d === tlsDecoder) return makeTlsDecoder({ keys: tlsKeyHook(keys) });
    if (d === quicDecoder) return makeQuicDecoder({ keys });
    return d;
  });
}
