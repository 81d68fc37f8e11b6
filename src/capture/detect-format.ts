// Recognises a capture container by its first bytes, never by the file name: a phone app may save a pcapng
// as `.pcap`, and stdin has no name at all.

import type { CaptureFormat } from "./capture-events.ts";

/** pcap magics in both byte orders: µs, ns, and modified (Kuznetzov). */
const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0xa1b2cd34, 0x34cdb2a1]);
/** Section Header Block type, the same in both byte orders. */
const PCAPNG_MAGIC = 0x0a0d0d0a;

/** Bytes `detectFormat` wants to see when the input has that many (HAR may start with whitespace). */
export const DETECT_HEAD_BYTES = 4096;

/**
 * The format of an input from its first bytes: a capture format, "gzip" (decompress and look again), or
 * undefined when nothing matches (or, for text, when the head is only whitespace so far).
 */
export function detectFormat(head: Uint8Array): CaptureFormat | "gzip" | undefined {
  // RFC 1952 §2.3.1: ID1 ID2 and CM = 8 (deflate), the only method defined.
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return "gzip";
  if (head.length >= 4) {
    const m = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
    if (m === PCAPNG_MAGIC) return "pcapng";
    if (PCAP_MAGICS.has(m)) return "pcap";
  }
  return isJsonObjectStart(head) ? "har" : undefined;
}

/** True when the bytes are an optional UTF-8 BOM, optional JSON whitespace, then `{`. */
function isJsonObjectStart(head: Uint8Array): boolean {
  let i = 0;
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  // RFC 8259 §2: insignificant whitespace is space, tab, LF and CR.
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d))
    i++;
  return i < head.length && head[i] === 0x7b;
}

/** The first bytes as hex, for "not a capture file" messages. */
export function magicText(head: Uint8Array): string {
  const n = Math.min(head.length, 8);
  let s = "";
  for (let i = 0; i < n; i++) s += head[i].toString(16).padStart(2, "0");
  return s.length > 0 ? `0x${s}` : "(none)";
}
