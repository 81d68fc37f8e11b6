// Linux "cooked" capture v2 (LINKTYPE_LINUX_SLL2, 276): a 20-byte pseudo-header that starts with the
// ethertype and adds the interface index.

import { resolveEtherType } from "./ethernet.ts";
import { LINK_NOT_IP, type LinkResult, linkTruncated } from "./link-result.ts";
import { ARPHRD_NETLINK } from "./sll.ts";

/** Weirds this module emits. */
export const SLL2_WEIRDS = ["truncated_sll2_header"] as const;

const SLL2_HEADER_LEN = 20;

/**
 * Decodes the SLL2 header: protocol (2), reserved (2), interface index (4), ARPHRD type (2), packet type (1),
 * address length (1), address (8).
 */
export function decodeSll2(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < SLL2_HEADER_LEN)
    return linkTruncated(r, "truncated_sll2_header", end - off, SLL2_HEADER_LEN);
  if (((d[off + 8] << 8) | d[off + 9]) === ARPHRD_NETLINK) return LINK_NOT_IP;
  return resolveEtherType(d, off + SLL2_HEADER_LEN, end, (d[off] << 8) | d[off + 1], r);
}
