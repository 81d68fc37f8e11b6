// IEEE 802.11 data frames (LINKTYPE_IEEE802_11 105) and the radiotap header monitor-mode captures put in
// front of them (LINKTYPE_IEEE802_11_RADIOTAP 127). Only unprotected, unfragmented data frames carry IP we
// can read; management, control, null-data and protected frames are skipped as not-IP.

import { resolveEtherType } from "./ethernet.ts";
import { LINK_NOT_IP, type LinkResult, linkMalformed, linkTruncated } from "./link-result.ts";

/** Weirds this module emits. */
export const IEEE80211_WEIRDS = [
  "truncated_80211_header",
  "truncated_radiotap_header",
  "bad_radiotap_header",
] as const;

const TYPE_DATA = 2;
/** Frame control flags (second byte), IEEE 802.11-2020 9.2.4.1. */
const FC_TO_DS = 0x01;
const FC_FROM_DS = 0x02;
const FC_MORE_FRAGMENTS = 0x04;
const FC_PROTECTED = 0x40;
const FC_ORDER = 0x80;
/** Subtype bits of data frames: QoS (0x8) and no-data (0x4). */
const SUBTYPE_QOS = 0x8;
const SUBTYPE_NO_DATA = 0x4;
/** QoS control bit 7: the body is an A-MSDU of several subframes, not one LLC frame. */
const QOS_AMSDU = 0x80;
/** Radiotap Flags field bits (radiotap.org/fields/Flags). */
const RADIOTAP_F_DATAPAD = 0x20;

/**
 * Decodes an 802.11 MAC header and its LLC/SNAP header. `dataPad` is radiotap's "data pad" flag: the header
 * is padded to a 32-bit boundary before the body.
 */
export function decodeIeee80211(
  d: Uint8Array,
  off: number,
  end: number,
  dataPad: boolean,
  r: LinkResult,
): number {
  if (end - off < 2) return linkTruncated(r, "truncated_80211_header", end - off, 2);
  const fc0 = d[off];
  const flags = d[off + 1];
  // Protocol version 0 only; type in bits 2-3, subtype in bits 4-7.
  if ((fc0 & 0x03) !== 0 || ((fc0 >> 2) & 0x03) !== TYPE_DATA) return LINK_NOT_IP;
  const subtype = fc0 >> 4;
  if ((subtype & SUBTYPE_NO_DATA) !== 0 || (flags & FC_PROTECTED) !== 0) return LINK_NOT_IP;
  let hdr = 24;
  // Four addresses when the frame goes between two distribution systems (WDS, mesh).
  if ((flags & (FC_TO_DS | FC_FROM_DS)) === (FC_TO_DS | FC_FROM_DS)) hdr += 6;
  if ((subtype & SUBTYPE_QOS) !== 0) {
    hdr += 2;
    // The HT Control field is present in QoS frames with the Order bit set (9.2.4.1.10).
    if ((flags & FC_ORDER) !== 0) hdr += 4;
  }
  if (end - off < hdr) return linkTruncated(r, "truncated_80211_header", end - off, hdr);
  // Link-layer fragments cannot be read one by one; the sequence control's low nibble is the fragment number.
  if ((flags & FC_MORE_FRAGMENTS) !== 0 || (d[off + 22] & 0x0f) !== 0) return LINK_NOT_IP;
  if (
    (subtype & SUBTYPE_QOS) !== 0 &&
    (d[off + hdr - ((flags & FC_ORDER) !== 0 ? 6 : 2)] & QOS_AMSDU) !== 0
  ) {
    return LINK_NOT_IP;
  }
  if (dataPad) hdr = (hdr + 3) & ~3;
  // Type 0 sends the ethertype chain into its 802.2 LLC/SNAP branch.
  return resolveEtherType(d, off + hdr, end, 0, r);
}

/**
 * Decodes a radiotap header (radiotap.org): version (1, must be 0), pad (1), length (2, LE), present bitmaps
 * (4 each, LE, chained by bit 31), then fields. Only the Flags field matters here, for the data-pad bit.
 */
export function decodeRadiotap(d: Uint8Array, off: number, end: number, r: LinkResult): number {
  if (end - off < 8) return linkTruncated(r, "truncated_radiotap_header", end - off, 8);
  if (d[off] !== 0) return linkMalformed(r, "bad_radiotap_header", `version ${d[off]}`);
  const len = d[off + 2] | (d[off + 3] << 8);
  if (len < 8) return linkMalformed(r, "bad_radiotap_header", `header length ${len} < 8`);
  if (len > end - off) return linkTruncated(r, "truncated_radiotap_header", end - off, len);
  const present = d[off + 4] | (d[off + 5] << 8) | (d[off + 6] << 16) | (d[off + 7] << 24);
  let p = off + 4;
  while ((d[p + 3] & 0x80) !== 0) {
    p += 4;
    if (p + 4 > off + len) return linkMalformed(r, "bad_radiotap_header", "present bitmaps run past header");
  }
  let q = p + 4 - off;
  // Fields are aligned to their natural size from the start of the header: TSFT (bit 0) is a u64.
  if ((present & 0x01) !== 0) q = ((q + 7) & ~7) + 8;
  let dataPad = false;
  if ((present & 0x02) !== 0 && q < len) dataPad = (d[off + q] & RADIOTAP_F_DATAPAD) !== 0;
  return decodeIeee80211(d, off + len, end, dataPad, r);
}
