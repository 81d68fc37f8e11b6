// Linux netfilter log (LINKTYPE_NFLOG 239), what `tcpdump -i nflog:N` writes: a 4-byte header, then TLVs,
// one of which (NFULA_PAYLOAD) is the IP packet.

import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  LINK_IP,
  LINK_NOT_IP,
  type LinkResult,
  linkMalformed,
  linkTruncated,
} from "./link-result.ts";

/** Weirds this module emits. */
export const NFLOG_WEIRDS = ["truncated_nflog_header", "bad_nflog_tlv"] as const;

const NFULA_PAYLOAD = 9;
const AF_INET = 2;
const AF_INET6 = 10;

/**
 * Header: family (1), version (1), resource id (2, BE). Each TLV: length (2) and type (2) in the capturing
 * host's byte order, length counting the 4-byte TLV header, value padded to 4 bytes. The byte order is
 * guessed per TLV: the reading that gives a length that fits is taken, little-endian first.
 */
export function decodeNflog(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < 4) return linkTruncated(r, "truncated_nflog_header", end - off, 4);
  const family = d[off];
  if (family !== AF_INET && family !== AF_INET6) return LINK_NOT_IP;
  let p = off + 4;
  while (end - p >= 4) {
    let len = d[p] | (d[p + 1] << 8);
    let type = d[p + 2] | (d[p + 3] << 8);
    if (len < 4 || len > end - p) {
      len = (d[p] << 8) | d[p + 1];
      type = (d[p + 2] << 8) | d[p + 3];
    }
    if (len < 4 || len > end - p) return linkMalformed(r, "bad_nflog_tlv", `TLV length ${len} at ${p - off}`);
    // The top bits of the type are netlink flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER).
    if ((type & 0x3fff) === NFULA_PAYLOAD) {
      r.netOff = p + 4;
      r.etherType = family === AF_INET ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
      return LINK_IP;
    }
    p += (len + 3) & ~3;
  }
  return LINK_NOT_IP;
}
