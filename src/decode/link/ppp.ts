// PPP family link types: LINKTYPE_PPP (9, sometimes with RFC 1662 address/control bytes in front),
// LINKTYPE_PPP_HDLC (50, RFC 1662 framing or Cisco HDLC), LINKTYPE_C_HDLC (104), LINKTYPE_PPP_ETHER (51).

import { decodeMpls, resolveEtherType } from "./ethernet.ts";
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  LINK_IP,
  LINK_NOT_IP,
  type LinkResult,
  linkTruncated,
} from "./link-result.ts";

/** Weirds this module emits. */
export const PPP_WEIRDS = [
  "truncated_ppp_header",
  "truncated_chdlc_header",
  "truncated_pppoe_header",
] as const;

const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
/** MPLS unicast and multicast over PPP (RFC 3032 section 4.1). */
const PPP_MPLS = 0x0281;
const PPP_MPLS_MULTICAST = 0x0283;
/** RFC 1662 all-stations address and unnumbered-information control. */
const HDLC_ADDRESS = 0xff;
const HDLC_CONTROL = 0x03;
/** Cisco HDLC unicast and multicast addresses. */
const CHDLC_UNICAST = 0x0f;
const CHDLC_MULTICAST = 0x8f;

/**
 * PPP frame, optionally behind FF 03. The protocol field is 1 byte when compressed (RFC 1661 section 2:
 * protocol numbers are odd in their last byte, so an odd first byte ends the field).
 */
export function decodePpp(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off >= 2 && d[off] === HDLC_ADDRESS && d[off + 1] === HDLC_CONTROL) off += 2;
  if (end - off < 1) return linkTruncated(r, "truncated_ppp_header", end - off, 1);
  let proto: number;
  if ((d[off] & 0x01) !== 0) {
    proto = d[off];
    off += 1;
  } else {
    if (end - off < 2) return linkTruncated(r, "truncated_ppp_header", end - off, 2);
    proto = (d[off] << 8) | d[off + 1];
    off += 2;
  }
  if (proto === PPP_MPLS || proto === PPP_MPLS_MULTICAST) return decodeMpls(d, off, end, r);
  if (proto !== PPP_IPV4 && proto !== PPP_IPV6) return LINK_NOT_IP;
  r.netOff = off;
  r.etherType = proto === PPP_IPV4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
  return LINK_IP;
}

/** LINKTYPE_PPP_HDLC: the first byte tells RFC 1662 PPP (0xFF) from Cisco HDLC (0x0F, 0x8F). */
export function decodePppHdlc(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off >= 1 && (d[off] === CHDLC_UNICAST || d[off] === CHDLC_MULTICAST))
    return decodeChdlc(d, off, end, r);
  return decodePpp(d, off, end, r);
}

/** Cisco HDLC: address (1), control (1), ethertype (2). */
export function decodeChdlc(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < 4) return linkTruncated(r, "truncated_chdlc_header", end - off, 4);
  return resolveEtherType(d, off + 4, end, (d[off + 2] << 8) | d[off + 3], r);
}

/** LINKTYPE_PPP_ETHER: a PPPoE header (RFC 2516: ver/type, code, session, length) then PPP. */
export function decodePppEther(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < 6) return linkTruncated(r, "truncated_pppoe_header", end - off, 6);
  return decodePpp(d, off + 6, end, r);
}
