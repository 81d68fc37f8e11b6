// Ethernet II / 802.3 frames, and the ethertype chain every link family ends in: 802.1Q and QinQ tags,
// 802.2 LLC/SNAP, PPPoE sessions and MPLS label stacks, down to IPv4 or IPv6.

import {
  ETHERTYPE_BY_VERSION,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  LINK_IP,
  LINK_NOT_IP,
  type LinkResult,
  linkTruncated,
} from "./link-result.ts";
import { decodePpp } from "./ppp.ts";

/** Weirds this module emits. */
export const ETHERNET_WEIRDS = [
  "truncated_ethernet_header",
  "truncated_vlan_tag",
  "truncated_llc_header",
  "truncated_pppoe_header",
  "truncated_mpls_header",
] as const;

/** 802.1Q customer tag, 802.1ad service tag, and the pre-standard QinQ tags. */
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD1 = 0x9100;
const ETHERTYPE_QINQ_OLD2 = 0x9200;
const ETHERTYPE_PPPOE_SESSION = 0x8864;
const ETHERTYPE_MPLS = 0x8847;
const ETHERTYPE_MPLS_MULTICAST = 0x8848;
/** Values up to 1500 in the type field are an 802.3 length, and an 802.2 LLC header follows (IEEE 802.3 3.2.6). */
const MAX_8023_LENGTH = 1500;

/** Decodes an Ethernet frame at `off`; the network layer is described in `r`. */
export function decodeEthernet(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < 14) return linkTruncated(r, "truncated_ethernet_header", end - off, 14);
  return resolveEtherType(d, off + 14, end, (d[off + 12] << 8) | d[off + 13], r);
}

/**
 * Follows an ethertype through tags and encapsulations to IP. `off` is where the payload of `type` starts.
 * Every step consumes bytes, so the loop ends on any input.
 */
export function resolveEtherType(
  d: Uint8Array,
  off: number,
  end: number,
  type: number,
  r: LinkResult,
): number {
  for (;;) {
    switch (type) {
      case ETHERTYPE_IPV4:
      case ETHERTYPE_IPV6:
        r.netOff = off;
        r.etherType = type;
        return LINK_IP;
      case ETHERTYPE_VLAN:
      case ETHERTYPE_QINQ:
      case ETHERTYPE_QINQ_OLD1:
      case ETHERTYPE_QINQ_OLD2:
        // Tag control information (2 bytes), then the next type (IEEE 802.1Q 9.6).
        if (end - off < 4) return linkTruncated(r, "truncated_vlan_tag", end - off, 4);
        type = (d[off + 2] << 8) | d[off + 3];
        off += 4;
        continue;
      case ETHERTYPE_PPPOE_SESSION:
        return pppoeSession(d, off, end, r);
      case ETHERTYPE_MPLS:
      case ETHERTYPE_MPLS_MULTICAST:
        return decodeMpls(d, off, end, r);
    }
    if (type > MAX_8023_LENGTH) return LINK_NOT_IP;
    // 802.2 LLC: DSAP, SSAP, control. Only SNAP (AA AA 03) carries an ethertype (RFC 1042).
    if (end - off < 3) return linkTruncated(r, "truncated_llc_header", end - off, 3);
    if (d[off] !== 0xaa || d[off + 1] !== 0xaa || d[off + 2] !== 0x03) return LINK_NOT_IP;
    if (end - off < 8) return linkTruncated(r, "truncated_llc_header", end - off, 8);
    type = (d[off + 6] << 8) | d[off + 7];
    off += 8;
  }
}

/** PPPoE session stage (RFC 2516 section 4): 6-byte header, then PPP, read by the one PPP decoder. */
function pppoeSession(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < 8) return linkTruncated(r, "truncated_pppoe_header", end - off, 8);
  return decodePpp(d, off + 6, end, r);
}

/** MPLS label stack (RFC 3032): 4-byte entries until the bottom-of-stack bit; the payload is IP by guess. */
export function decodeMpls(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  for (;;) {
    if (end - off < 4) return linkTruncated(r, "truncated_mpls_header", end - off, 4);
    const bottom = (d[off + 2] & 0x01) !== 0;
    off += 4;
    if (bottom) break;
  }
  // RFC 3032 leaves the payload type to the label; the first nibble is the usual practical guess.
  if (off >= end) return linkTruncated(r, "truncated_mpls_header", 0, 1);
  const v = d[off] >> 4;
  if (v !== 4 && v !== 6) return LINK_NOT_IP;
  r.netOff = off;
  r.etherType = ETHERTYPE_BY_VERSION;
  return LINK_IP;
}
