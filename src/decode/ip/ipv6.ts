// IPv6 header decoding (RFC 8200): the fixed header, then the extension header chain (hop-by-hop with the
// jumbo payload option, routing, destination options, fragment, AH) down to the upper-layer protocol.
// ESP and "no next header" end the chain: what follows cannot be read.

import type { PacketLayers } from "../../model/layers.ts";
import { IP_FRAGMENT, IP_OK, type IpResult, ipMalformed } from "./ip-result.ts";

/** Weirds this module emits. */
export const IPV6_WEIRDS = [
  "truncated_ip_header",
  "bad_ip_version",
  "ip_total_length_mismatch",
  "ipv6_ext_header_truncated",
  "ipv6_missing_jumbo_payload",
] as const;

const NH_HOP_BY_HOP = 0;
const NH_ROUTING = 43;
const NH_FRAGMENT = 44;
const NH_AH = 51;
const NH_DEST_OPTS = 60;
const NH_HIP = 139;
const NH_SHIM6 = 140;
/** Jumbo Payload option (RFC 2675): type 0xC2, 4-byte length of everything after the fixed header. */
const OPT_JUMBO = 0xc2;

/**
 * Decodes the IPv6 header at `off`. `end` is the end of the captured frame; `wireAvail` the bytes the
 * frame had on the wire from `off` on. Fills the IP fields of `out` and the transport location in `r`.
 */
export function decodeIpv6(
  d: Uint8Array,
  off: number,
  end: number,
  wireAvail: number,
  out: PacketLayers,
  r: IpResult,
): number {
  const avail = end - off;
  if (avail < 40) return ipMalformed(r, "truncated_ip_header", `${avail} bytes, IPv6 header needs 40`);
  if (d[off] >> 4 !== 6) return ipMalformed(r, "bad_ip_version", `version ${d[off] >> 4} in an IPv6 frame`);
  let payload = (d[off + 4] << 8) | d[off + 5];
  if (payload === 0 && d[off + 6] === NH_HOP_BY_HOP) {
    payload = jumboLength(d, off + 40, end);
    if (payload < 0)
      return ipMalformed(r, "ipv6_missing_jumbo_payload", "payload length 0 without a jumbo option");
  } else if (payload === 0 && wireAvail > 40) {
    // A segmentation offload super-packet seen on the sender, like IPv4's total length 0.
    payload = wireAvail - 40;
  }
  const total = 40 + payload;
  if (total > avail && total > wireAvail) {
    return ipMalformed(
      r,
      "ip_total_length_mismatch",
      `payload length ${payload} > ${wireAvail - 40} bytes in the frame`,
    );
  }
  out.data = d;
  out.ipVersion = 6;
  out.srcOff = off + 8;
  out.dstOff = off + 24;
  out.addrLen = 16;
  out.ipTotalLen = total;
  r.ipOff = off;
  r.hdrLen = 40;
  return walkChain(d, off + 40, total < avail ? off + total : end, off + total, d[off + 6], out, r);
}

/**
 * Follows the extension header chain from `p` (captured bytes end at `lim`, the datagram at `ipEnd`),
 * starting with next header `nh`. Every header is at least 8 bytes, so the walk ends on any input.
 */
function walkChain(
  d: Uint8Array,
  p: number,
  lim: number,
  ipEnd: number,
  nh: number,
  out: PacketLayers,
  r: IpResult,
): number {
  for (;;) {
    let len: number;
    switch (nh) {
      case NH_HOP_BY_HOP:
      case NH_ROUTING:
      case NH_DEST_OPTS:
      case NH_HIP:
      case NH_SHIM6:
        // Next header (1), length in 8-byte units not counting the first 8 (1).
        if (lim - p < 2) return extTruncated(r, nh, lim - p, 2);
        len = (d[p + 1] + 1) << 3;
        break;
      case NH_AH:
        // RFC 4302 2.2: the AH length counts 4-byte units, minus 2.
        if (lim - p < 2) return extTruncated(r, nh, lim - p, 2);
        len = (d[p + 1] + 2) << 2;
        break;
      case NH_FRAGMENT:
        if (lim - p < 8) return extTruncated(r, nh, lim - p, 8);
        if (fragmentHeader(d, p, r)) {
          out.ipProto = d[p];
          return finish(r, p + 8, lim, ipEnd, IP_FRAGMENT);
        }
        len = 8; // an atomic fragment (RFC 6946): offset 0, no more fragments, read on
        break;
      default:
        out.ipProto = nh;
        return finish(r, p, lim, ipEnd, IP_OK);
    }
    if (len > lim - p) return extTruncated(r, nh, lim - p, len);
    nh = d[p];
    p += len;
  }
}

/** Reads the fragment header at `p` (RFC 8200 4.5); returns true when it is a real fragment. */
function fragmentHeader(d: Uint8Array, p: number, r: IpResult): boolean {
  const ofm = (d[p + 2] << 8) | d[p + 3];
  r.fragOffset = ofm & 0xfff8;
  r.fragMore = (ofm & 0x0001) !== 0;
  r.fragId = ((d[p + 4] << 24) | (d[p + 5] << 16) | (d[p + 6] << 8) | d[p + 7]) >>> 0;
  r.fragProto = d[p];
  return r.fragOffset !== 0 || r.fragMore;
}

function finish(r: IpResult, l4Off: number, lim: number, ipEnd: number, status: number): number {
  r.l4Off = l4Off;
  r.l4End = lim;
  r.l4WireLen = ipEnd - l4Off;
  return status;
}

function extTruncated(r: IpResult, nh: number, have: number, need: number): number {
  return ipMalformed(
    r,
    "ipv6_ext_header_truncated",
    `extension header ${nh}: ${have} bytes left, needs ${need}`,
  );
}

/**
 * Finds the Jumbo Payload option in the hop-by-hop header at `p`; returns its length, or -1. Options are
 * TLVs except Pad1, a single zero byte (RFC 8200 4.2).
 */
function jumboLength(d: Uint8Array, p: number, end: number): number {
  if (end - p < 2) return -1;
  const hend = Math.min(p + ((d[p + 1] + 1) << 3), end);
  let q = p + 2;
  while (q < hend) {
    const type = d[q];
    if (type === 0) {
      q += 1;
      continue;
    }
    if (q + 2 > hend) return -1;
    if (type === OPT_JUMBO && d[q + 1] === 4 && q + 6 <= hend) {
      return ((d[q + 2] << 24) | (d[q + 3] << 16) | (d[q + 4] << 8) | d[q + 5]) >>> 0;
    }
    q += 2 + d[q + 1];
  }
  return -1;
}
