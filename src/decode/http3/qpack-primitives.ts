// QPACK's two primitives (RFC 9204 §4.1): prefixed integers as HPACK defines them (RFC 7541 §5.1), and string
// literals whose Huffman flag sits just above an N-bit length prefix (§4.1.2), so names inside instructions
// (3- and 5-bit prefixes) and values (7-bit) share one reader. The Huffman code is HPACK's (the HTTP/2
// decoder's table and decoder). Readers return a status instead of throwing: the encoder stream needs to
// tell "wait for more bytes" from "malformed".

import { isUtf8 } from "node:buffer";
import { huffmanDecode } from "../http2/hpack-huffman.ts";

/** Integers above this are refused: no index, length or capacity is anywhere near it. */
export const MAX_QPACK_INTEGER = 2 ** 32;

/** A cursor and what the last read gave. */
export interface QpackReader {
  /** The bytes. */
  buf: Uint8Array;
  /** Next byte to read. */
  pos: number;
  /** End of the readable bytes. */
  end: number;
  /** Set by a read that ran out of bytes (the caller may wait for more). */
  short: boolean;
  /** Set by a read of malformed input (a reason for a weird). */
  error: string | undefined;
}

/** A reader over `buf[pos, end)`. */
export function qpackReader(buf: Uint8Array, pos = 0, end = buf.length): QpackReader {
  return { buf, pos, end, short: false, error: undefined };
}

/** Reads an integer in an N-bit prefix of the byte at the cursor; -1 on a short read or an error. */
export function readPrefixInt(r: QpackReader, prefixBits: number): number {
  if (r.pos >= r.end) {
    r.short = true;
    return -1;
  }
  const mask = (1 << prefixBits) - 1;
  let value = r.buf[r.pos++] & mask;
  if (value < mask) return value;
  let scale = 1;
  for (;;) {
    if (r.pos >= r.end) {
      r.short = true;
      return -1;
    }
    const b = r.buf[r.pos++];
    value += (b & 0x7f) * scale;
    if (value > MAX_QPACK_INTEGER) {
      r.error = "integer too large";
      return -1;
    }
    if ((b & 0x80) === 0) return value;
    scale *= 128;
  }
}

/**
 * Reads a string literal whose length has an N-bit prefix and whose H flag is the bit above it (§4.1.2);
 * the octets, Huffman-decoded when H is set, or undefined on a short read or an error.
 */
export function readQpackString(r: QpackReader, prefixBits: number): Uint8Array | undefined {
  if (r.pos >= r.end) {
    r.short = true;
    return undefined;
  }
  const huffman = (r.buf[r.pos] & (1 << prefixBits)) !== 0;
  const len = readPrefixInt(r, prefixBits);
  if (len < 0) return undefined;
  if (len > r.end - r.pos) {
    r.short = true;
    return undefined;
  }
  const start = r.pos;
  r.pos += len;
  if (!huffman) return r.buf.subarray(start, start + len);
  const d = huffmanDecode(r.buf, start, start + len);
  if (typeof d === "string") {
    r.error = `Huffman string: ${d}`;
    return undefined;
  }
  return d;
}

/** Field text as the HTTP/1 decoder makes it: UTF-8 when the octets are valid UTF-8, else one char per byte. */
export function fieldText(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString(isUtf8(b) ? "utf8" : "latin1");
}
