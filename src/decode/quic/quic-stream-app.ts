// What reads a decrypted QUIC connection's streams: HTTP/3 when the client offered it (ALPN `h3`, or a
// draft's `h3-NN`), otherwise the streams' bytes go to the detector as raw streams, bounded per direction.
// Either way every payload is marked `tls-decrypted`.

import type { StreamContext } from "../../session/stream-consumer.ts";
import { Http3Session } from "../http3/http3-session.ts";
import { RAW_LIMIT } from "../raw/raw-stream.ts";
import type { DecoderOutput } from "../stream-decoder.ts";
import type { QuicStreamApp } from "./quic-decrypt.ts";

/** True for the HTTP/3 ALPN token (RFC 9114 §3.1) and the drafts' `h3-29` style tokens. */
export function isH3(alpn: string): boolean {
  return alpn === "h3" || alpn.startsWith("h3-");
}

/** The application decoder of a connection whose client offered `alpn`. */
export function quicStreamApp(
  ctx: StreamContext,
  out: DecoderOutput,
  alpn: readonly string[],
): QuicStreamApp {
  const decrypted: DecoderOutput = {
    record: out.record,
    weird: out.weird,
    payload: (p, conn) => out.payload({ ...p, transport: "tls-decrypted" }, conn),
  };
  if (alpn.some(isH3)) return new Http3Session(ctx, decrypted);
  return rawStreams(ctx, decrypted);
}

/** Every stream's bytes as `raw.stream` payloads, at most RAW_LIMIT bytes per direction. */
function rawStreams(ctx: StreamContext, out: DecoderOutput, limit = RAW_LIMIT): QuicStreamApp {
  const seen = [0, 0];
  return {
    data(fromClient, _id, bytes, ts, frame) {
      const side = fromClient ? 0 : 1;
      const room = limit - seen[side];
      if (room <= 0 || bytes.length === 0) return;
      const chunk = bytes.length > room ? bytes.subarray(0, room) : bytes;
      seen[side] += chunk.length;
      out.payload({ uid: ctx.uid, layer: "raw.stream", data: chunk, fromOrig: fromClient, ts, frame });
    },
    fin() {},
    reset() {},
    end() {},
  };
}
