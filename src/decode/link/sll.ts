// Linux "cooked" capture v1 (LINKTYPE_LINUX_SLL, 113), what `tcpdump -i any` writes, Android included:
// a 16-byte pseudo-header whose last field is the ethertype.

import { resolveEtherType } from "./ethernet.ts";
import { LINK_NOT_IP, type LinkResult, linkTruncated } from "./link-result.ts";

/** Weirds this module emits. */
export const SLL_WEIRDS = ["truncated_sll_header"] as const;

/** Netlink sockets put a netlink family, not an ethertype, in the protocol field. */
export const ARPHRD_NETLINK = 824;

const SLL_HEADER_LEN = 16;

/**
 * Decodes the SLL header: packet type (2), ARPHRD type (2), address length (2), address (8), protocol (2).
 * Protocol 0x0004 means an 802.2 LLC frame follows, which the ethertype chain handles as an 802.3 length.
 */
export function decodeSll(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < SLL_HEADER_LEN) return linkTruncated(r, "truncated_sll_header", end - off, SLL_HEADER_LEN);
  if (((d[off + 2] << 8) | d[off + 3]) === ARPHRD_NETLINK) return LINK_NOT_IP;
  return resolveEtherType(d, off + SLL_HEADER_LEN, end, (d[off + 14] << 8) | d[off + 15], r);
}
