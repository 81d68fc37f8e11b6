// Raw IP link types, where the frame is the IP datagram itself: LINKTYPE_RAW (101) and the DLT_RAW values
// old files carry (12, 14) decide by the version nibble; LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229) say it.
// Phone VPN capture apps (PCAPdroid and the like) write these.

import {
  ETHERTYPE_BY_VERSION,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  LINK_IP,
  type LinkResult,
  linkTruncated,
} from "./link-result.ts";
import { LINKTYPE_IPV4, LINKTYPE_IPV6 } from "./link-types.ts";

/** Weirds this module emits. */
export const RAW_IP_WEIRDS = ["empty_raw_ip_frame"] as const;

/** The network layer starts at the frame start; the link type fixes or leaves open the IP version. */
export function decodeRawIp(linkType: number, off: number, end: number, r: LinkResult): number {
  if (end - off < 1) return linkTruncated(r, "empty_raw_ip_frame", 0, 1);
  r.netOff = off;
  r.etherType =
    linkType === LINKTYPE_IPV4
      ? ETHERTYPE_IPV4
      : linkType === LINKTYPE_IPV6
        ? ETHERTYPE_IPV6
        : ETHERTYPE_BY_VERSION;
  return LINK_IP;
}
