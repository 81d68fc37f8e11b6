// TCP header decoding (RFC 9293 3.1): ports, sequence and acknowledgement numbers, flags, window, and where
// the payload is. Options are skipped by the data offset; checksums are not verified (offloading makes
// them wrong in captures taken on the sender).

import type { PacketLayers } from "../../model/layers.ts";
import type { DecodeProblem } from "../ip/ip-result.ts";

/** Weirds this module emits. */
export const TCP_WEIRDS = ["truncated_tcp_header", "bad_tcp_header_length"] as const;

/** Status: the header was decoded into `out`. */
export const TRANSPORT_OK = 0;
/** Status: the header was refused (`problem` says why). */
export const TRANSPORT_MALFORMED = 1;
/** Status: decoded, but with an oddity worth a weird (`problem` says which); the packet is still usable. */
export const TRANSPORT_ODD = 2;

/**
 * Decodes the TCP header at `off`. `end` is the end of the captured segment, `wireLen` the segment's length
 * per the IP header.
 */
export function decodeTcp(
  d: Uint8Array,
  off: number,
  end: number,
  wireLen: number,
  out: PacketLayers,
  problem: DecodeProblem,
): number {
  const avail = end - off;
  if (avail < 20 || wireLen < 20) {
    problem.weird = "truncated_tcp_header";
    problem.detail = `${Math.min(avail, wireLen)} bytes, TCP header needs 20`;
    return TRANSPORT_MALFORMED;
  }
  const hl = (d[off + 12] >> 4) << 2;
  if (hl < 20 || hl > wireLen) {
    problem.weird = "bad_tcp_header_length";
    problem.detail = `data offset ${hl} bytes, segment is ${wireLen}`;
    return TRANSPORT_MALFORMED;
  }
  // Options cut off can only be the snaplen's doing (hl <= wireLen, and the IP layer refused a datagram
  // longer than the frame on the wire), as with a SYN under tcpdump's old 68-byte default: the fixed part
  // is good, so decode it, as Wireshark does.
  const cut = hl > avail;
  out.srcPort = (d[off] << 8) | d[off + 1];
  out.dstPort = (d[off + 2] << 8) | d[off + 3];
  out.tcpSeq = ((d[off + 4] << 24) | (d[off + 5] << 16) | (d[off + 6] << 8) | d[off + 7]) >>> 0;
  out.tcpAck = ((d[off + 8] << 24) | (d[off + 9] << 16) | (d[off + 10] << 8) | d[off + 11]) >>> 0;
  out.tcpFlags = d[off + 13];
  out.tcpWindow = (d[off + 14] << 8) | d[off + 15];
  out.payloadOff = off + hl;
  out.payloadLen = cut ? 0 : avail - hl;
  out.payloadWireLen = wireLen - hl;
  return TRANSPORT_OK;
}
