// UDP header decoding (RFC 768): ports, and the payload's extent per the UDP length, which may be shorter
// than the IP payload (then the rest is not UDP data) and is 0 in jumbograms (RFC 2675 4).

import type { PacketLayers } from "../../model/layers.ts";
import type { DecodeProblem } from "../ip/ip-result.ts";
import { TRANSPORT_MALFORMED, TRANSPORT_ODD, TRANSPORT_OK } from "./tcp.ts";

/** Weirds this module emits. */
export const UDP_WEIRDS = ["truncated_udp_header", "bad_udp_length", "udp_length_mismatch"] as const;

/**
 * Decodes the UDP header at `off`. `end` is the end of the captured datagram, `wireLen` its length per the
 * IP header. Returns a `TRANSPORT_*` status.
 */
export function decodeUdp(
  d: Uint8Array,
  off: number,
  end: number,
  wireLen: number,
  out: PacketLayers,
  problem: DecodeProblem,
): number {
  const avail = end - off;
  if (avail < 8 || wireLen < 8) {
    problem.weird = "truncated_udp_header";
    problem.detail = `${Math.min(avail, wireLen)} bytes, UDP header needs 8`;
    return TRANSPORT_MALFORMED;
  }
  let len = (d[off + 4] << 8) | d[off + 5];
  // Length 0 means "see the IP length" only when that does not fit 16 bits (jumbograms, offload super-packets).
  if (len === 0 && wireLen > 0xffff) len = wireLen;
  if (len < 8 || len > wireLen) {
    problem.weird = "bad_udp_length";
    problem.detail = `UDP length ${len}, IP payload ${wireLen}`;
    return TRANSPORT_MALFORMED;
  }
  out.srcPort = (d[off] << 8) | d[off + 1];
  out.dstPort = (d[off + 2] << 8) | d[off + 3];
  out.tcpSeq = 0;
  out.tcpAck = 0;
  out.tcpFlags = 0;
  out.tcpWindow = 0;
  out.payloadOff = off + 8;
  out.payloadLen = Math.min(len, avail) - 8;
  out.payloadWireLen = len - 8;
  if (len === wireLen) return TRANSPORT_OK;
  problem.weird = "udp_length_mismatch";
  problem.detail = `UDP length ${len} < IP payload ${wireLen}`;
  return TRANSPORT_ODD;
}
