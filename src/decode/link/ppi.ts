// Per-Packet Information (LINKTYPE_PPI 192): a little-endian wrapper header in front of an 802.11 or other
// frame, written by older Wi-Fi capture tools.

import { LINK_NESTED, type LinkResult, linkMalformed, linkTruncated } from "./link-result.ts";
import { readU32le } from "./pktap.ts";

/** Weirds this module emits. */
export const PPI_WEIRDS = ["truncated_ppi_header", "bad_ppi_header"] as const;

/** pph_version (1, must be 0), pph_flags (1), pph_len (2, LE, whole header), pph_dlt (4, LE, inner DLT). */
export function decodePpi(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < 8) return linkTruncated(r, "truncated_ppi_header", end - off, 8);
  if (d[off] !== 0) return linkMalformed(r, "bad_ppi_header", `version ${d[off]}`);
  const len = d[off + 2] | (d[off + 3] << 8);
  if (len < 8) return linkMalformed(r, "bad_ppi_header", `header length ${len} < 8`);
  if (len > end - off) return linkTruncated(r, "truncated_ppi_header", end - off, len);
  r.netOff = off + len;
  r.innerLinkType = readU32le(d, off + 4);
  return LINK_NESTED;
}
