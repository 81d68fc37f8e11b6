// BSD loopback encapsulations: LINKTYPE_NULL (0, family in the capturing host's byte order) and
// LINKTYPE_LOOP (108, family in network byte order, though some writers get that wrong). macOS and iOS
// `rvictl` captures of a phone's loopback and utun interfaces use these.

import { resolveEtherType } from "./ethernet.ts";
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  LINK_IP,
  LINK_NOT_IP,
  type LinkResult,
  linkTruncated,
} from "./link-result.ts";

/** Weirds this module emits. */
export const NULL_LOOPBACK_WEIRDS = ["truncated_loopback_header"] as const;

/** AF_INET is 2 everywhere. */
const AF_INET = 2;
/** AF_INET6 differs by OS: Linux 10, NetBSD/OpenBSD/BSD-OS 24, FreeBSD/DragonFly 28, Darwin 30. */
export const AF_INET6_VALUES = [10, 24, 28, 30] as const;

/**
 * Decodes the 4-byte family header. The byte order is guessed from the value: families are small, so a
 * big-endian value has its two high bytes zero. Some old writers put an ethertype there instead.
 */
export function decodeNullLoopback(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < 4) return linkTruncated(r, "truncated_loopback_header", end - off, 4);
  const family =
    d[off] === 0 && d[off + 1] === 0
      ? (d[off + 2] << 8) | d[off + 3]
      : d[off] | (d[off + 1] << 8) | ((d[off + 2] | (d[off + 3] << 8)) << 16);
  r.netOff = off + 4;
  if (family === AF_INET) {
    r.etherType = ETHERTYPE_IPV4;
    return LINK_IP;
  }
  if (family === 10 || family === 24 || family === 28 || family === 30) {
    r.etherType = ETHERTYPE_IPV6;
    return LINK_IP;
  }
  // Wireshark's convention: a value above the 802.3 length range is an ethertype.
  if (family > 1500 && family <= 0xffff) return resolveEtherType(d, off + 4, end, family, r);
  return LINK_NOT_IP;
}
