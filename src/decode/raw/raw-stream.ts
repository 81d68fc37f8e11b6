// Unknown protocols (a vendor's push channel on 5222, say): the reassembled bytes of connections no decoder
// claims are still handed to the detector, bounded per direction.

import type { StreamConsumer, StreamContext } from "../../session/stream-consumer.ts";
import type { DecoderOutput } from "../stream-decoder.ts";

/** Default bytes per direction handed on. */
export const RAW_LIMIT = 1024 * 1024;

/** A consumer that passes the first `limit` bytes of each direction to the detector as `raw.stream`. */
export function rawStreamConsumer(ctx: StreamContext, out: DecoderOutput, limit = RAW_LIMIT): StreamConsumer {
  const seen = [0, 0];
  return {
    service: undefined,
    data(fromOrig, bytes, ts, frame) {
      const side = fromOrig ? 0 : 1;
      const room = limit - seen[side];
      if (room > 0) {
        const chunk = bytes.length > room ? bytes.subarray(0, room) : bytes;
        seen[side] += chunk.length;
        out.payload({ uid: ctx.uid, layer: "raw.stream", data: chunk, fromOrig, ts, frame });
      }
      return seen[0] < limit || seen[1] < limit ? undefined : false;
    },
    gap() {},
    end() {},
  };
}
