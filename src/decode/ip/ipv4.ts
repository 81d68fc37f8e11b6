// IPv4 header decoding (RFC 791): addresses, protocol, the datagram's true extent (Ethernet padding and
// FCS are not payload), options skipped by IHL, and the fragment fields for reassembly.

import type { PacketLayers } from "../../model/layers.ts";
import { IP_FRAGMENT, IP_OK, type IpResult, ipMalformed } from "./ip-result.ts";

/** Weirds this module emits. */
export const IPV4_WEIRDS = [
  "truncated_ip_header",
  "bad_ip_version",
  "bad_ipv4_header_length",
  "bad_ipv4_total_length",
  "ip_total_length_mismatch",
] as const;

/**
 * Decodes the IPv4 header at `off`. `end` is the end of the captured frame; `wireAvail` the bytes the
 * frame had on the wire from `off` on (more than `end - off` only when the snaplen cut the frame, which is
 * not an error). Fills the IP fields of `out` and the transport location in `r`.
 */
export function decodeIpv4(
  d: Uint8Array,
  off: number,
  end: number,
  wireAvail: number,
  out: PacketLayers,
  r: IpResult,
): number {
  const avail = end - off;
  if (avail < 20) return ipMalformed(r, "truncated_ip_header", `${avail} bytes, IPv4 header needs 20`);
  if (d[off] >> 4 !== 4) return ipMalformed(r, "bad_ip_version", `version ${d[off] >> 4} in an IPv4 frame`);
  const hl = (d[off] & 0x0f) << 2;
  if (hl < 20) return ipMalformed(r, "bad_ipv4_header_length", `header length ${hl} < 20`);
  if (hl > avail) return ipMalformed(r, "truncated_ip_header", `${avail} bytes, IPv4 header says ${hl}`);
  let total = (d[off + 2] << 8) | d[off + 3];
  // Total length 0 is what a sender's capture shows for a TCP segmentation offload super-packet (and
  // Linux BIG TCP): the frame's length is the truth then, as Wireshark presumes.
  if (total === 0) total = wireAvail;
  if (total < hl)
    return ipMalformed(r, "bad_ipv4_total_length", `total length ${total} < header length ${hl}`);
  if (total > avail && total > wireAvail) {
    return ipMalformed(
      r,
      "ip_total_length_mismatch",
      `total length ${total} > ${wireAvail} bytes in the frame`,
    );
  }
  out.data = d;
  out.ipVersion = 4;
  out.srcOff = off + 12;
  out.dstOff = off + 16;
  out.addrLen = 4;
  out.ipProto = d[off + 9];
  out.ipTotalLen = total;
  r.ipOff = off;
  r.hdrLen = hl;
  r.l4Off = off + hl;
  r.l4End = total < avail ? off + total : end;
  r.l4WireLen = total - hl;
  // Flags and fragment offset (RFC 791 3.1): MF is 0x2000, the offset counts 8-byte units.
  const ff = (d[off + 6] << 8) | d[off + 7];
  if ((ff & 0x3fff) === 0) return IP_OK;
  r.fragId = (d[off + 4] << 8) | d[off + 5];
  r.fragOffset = (ff & 0x1fff) << 3;
  r.fragMore = (ff & 0x2000) !== 0;
  r.fragProto = out.ipProto;
  return IP_FRAGMENT;
}
