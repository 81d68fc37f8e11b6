// Apple PKTAP (LINKTYPE_PKTAP 258, and LINKTYPE_USER2 149 in files older tools wrote): a per-packet header,
// written by `tcpdump -i pktap` on macOS, carrying the interface, the process and the inner frame's DLT.

import { LINK_NESTED, LINK_NOT_IP, type LinkResult, linkMalformed, linkTruncated } from "./link-result.ts";

/** Weirds this module emits. */
export const PKTAP_WEIRDS = ["truncated_pktap_header", "bad_pktap_header_length"] as const;

/** Size of `struct pktap_header` version 1 (darwin's net/pktap.h); Wireshark rejects anything shorter. */
const PKTAP_MIN_HEADER = 108;
/** pth_type_next: a packet follows the header (PTH_TYPE_PACKET); other record types carry none. */
const PTH_TYPE_PACKET = 1;

/**
 * Reads pth_length (u32, the header length), pth_type_next (u32, the record type) and pth_dlt (u32, the
 * inner frame's DLT), all in the capturing host's byte order, which is little-endian on every Apple machine.
 * The inner frame starts pth_length bytes in.
 */
export function decodePktap(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < 12) return linkTruncated(r, "truncated_pktap_header", end - off, 12);
  const len = readU32le(d, off);
  if (len < PKTAP_MIN_HEADER) {
    return linkMalformed(r, "bad_pktap_header_length", `header length ${len} < ${PKTAP_MIN_HEADER}`);
  }
  if (len > end - off) return linkTruncated(r, "truncated_pktap_header", end - off, len);
  if (readU32le(d, off + 4) !== PTH_TYPE_PACKET) return LINK_NOT_IP;
  r.netOff = off + len;
  r.innerLinkType = readU32le(d, off + 8);
  return LINK_NESTED;
}

/** Little-endian unsigned 32-bit read. */
export function readU32le(d: Uint8Array, off: number): number {
  return (d[off] | (d[off + 1] << 8) | (d[off + 2] << 16) | (d[off + 3] << 24)) >>> 0;
}
