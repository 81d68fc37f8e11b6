// Guards between the packet decoders and the flow table: decoded offsets are checked against the buffer
// before the table reads addresses or payload, so a decoder bug becomes a weird, never an exception.

import type { PacketLayers } from "../model/layers.ts";

/** A length field as a count: out-of-range or non-numbers count as 0 rather than poisoning the sums. */
export function byteCount(x: number): number {
  return x > 0 && x <= 0xffffffff ? x : 0;
}

/** True when `x` is a whole number in [0, max]. */
function isIndex(x: number, max: number): boolean {
  return x >= 0 && x <= max && Math.floor(x) === x;
}

/** Whether the decoded offsets fit the buffer, so the table never reads outside it. */
export function layersValid(l: PacketLayers): boolean {
  const n = l.data.length;
  const a = l.addrLen;
  if (a !== 4 && a !== 16) return false;
  if (!isIndex(l.srcOff, n - a) || !isIndex(l.dstOff, n - a)) return false;
  if (!isIndex(l.payloadLen, n) || !isIndex(l.payloadWireLen, 0xffffffff)) return false;
  return l.payloadLen === 0 || isIndex(l.payloadOff, n - l.payloadLen);
}
