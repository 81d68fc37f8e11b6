// Dispatches a frame to its link family by link type and follows wrapper headers (PKTAP, PPI) to the
// frame inside, until the network layer is found. One switch on the link type; no per-packet allocation.

import { decodeEthernet } from "./ethernet.ts";
import { decodeIeee80211, decodeRadiotap } from "./ieee80211.ts";
import { LINK_NESTED, LINK_UNKNOWN, type LinkResult, linkMalformed } from "./link-result.ts";
import {
  DLT_RAW_12,
  DLT_RAW_14,
  LINKTYPE_C_HDLC,
  LINKTYPE_ETHERNET,
  LINKTYPE_IEEE802_11,
  LINKTYPE_IEEE802_11_RADIOTAP,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NFLOG,
  LINKTYPE_NULL,
  LINKTYPE_PKTAP,
  LINKTYPE_PPI,
  LINKTYPE_PPP,
  LINKTYPE_PPP_ETHER,
  LINKTYPE_PPP_HDLC,
  LINKTYPE_RAW,
  LINKTYPE_USER2,
} from "./link-types.ts";
import { decodeNflog } from "./nflog.ts";
import { decodeNullLoopback } from "./null-loopback.ts";
import { decodePktap } from "./pktap.ts";
import { decodePpi } from "./ppi.ts";
import { decodeChdlc, decodePpp, decodePppEther, decodePppHdlc } from "./ppp.ts";
import { decodeRawIp } from "./raw-ip.ts";
import { decodeSll } from "./sll.ts";
import { decodeSll2 } from "./sll2.ts";

/** Weirds this module emits. */
export const LINK_DECODER_WEIRDS = ["link_nesting_too_deep"] as const;

/** Wrappers inside wrappers beyond this depth are refused (a PKTAP header naming PKTAP forever). */
const MAX_NESTING = 4;

/**
 * Decodes the link layer of the frame `d[off, end)`. Returns `LINK_IP` (then `r.netOff`, `r.etherType`),
 * `LINK_NOT_IP`, `LINK_MALFORMED` (then `r.weird`, `r.detail`) or `LINK_UNKNOWN` (then `r.innerLinkType`
 * is the link type nobody decodes, which may be one named inside a wrapper).
 */
export function decodeLink(linkType: number, d: Uint8Array, off: number, end: number, r: LinkResult): number {
  for (let depth = 0; depth <= MAX_NESTING; depth++) {
    const status = decodeOne(linkType, d, off, end, r);
    if (status !== LINK_NESTED) return status;
    linkType = r.innerLinkType;
    off = r.netOff;
  }
  return linkMalformed(r, "link_nesting_too_deep", `more than ${MAX_NESTING} nested link headers`);
}

/** One link header. */
function decodeOne(linkType: number, d: Uint8Array, off: number, end: number, r: LinkResult): number {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return decodeEthernet(d, off, end, r);
    case LINKTYPE_LINUX_SLL:
      return decodeSll(d, off, end, r);
    case LINKTYPE_LINUX_SLL2:
      return decodeSll2(d, off, end, r);
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
    case DLT_RAW_12:
    case DLT_RAW_14:
      return decodeRawIp(linkType, off, end, r);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      return decodeNullLoopback(d, off, end, r);
    case LINKTYPE_PKTAP:
    case LINKTYPE_USER2:
      return decodePktap(d, off, end, r);
    case LINKTYPE_IEEE802_11:
      return decodeIeee80211(d, off, end, false, r);
    case LINKTYPE_IEEE802_11_RADIOTAP:
      return decodeRadiotap(d, off, end, r);
    case LINKTYPE_PPP:
      return decodePpp(d, off, end, r);
    case LINKTYPE_PPP_HDLC:
      return decodePppHdlc(d, off, end, r);
    case LINKTYPE_C_HDLC:
      return decodeChdlc(d, off, end, r);
    case LINKTYPE_PPP_ETHER:
      return decodePppEther(d, off, end, r);
    case LINKTYPE_PPI:
      return decodePpi(d, off, end, r);
    case LINKTYPE_NFLOG:
      return decodeNflog(d, off, end, r);
    default:
      r.innerLinkType = linkType;
      return LINK_UNKNOWN;
  }
}
