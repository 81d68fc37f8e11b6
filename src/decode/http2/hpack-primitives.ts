// HPACK's two primitive types (RFC 7541 §5): prefixed variable-length integers and octet strings, optionally
// Huffman-coded. Readers work on a cursor over one header block and throw HpackError, which the block decoder
// turns into one `http2_hpack_error`; nothing escapes the decoder.

import { huffmanDecode } from "./hpack-huffman.ts";

/** A decoding error inside a header block (caught by the block decoder; never leaves this folder). */
export class HpackError extends Error {}

/** A position in a header block. */
export interface HpackCursor {
  /** The block. */
  buf: Uint8Array;
  /** Next byte to read. */
  pos: number;
}

/** Integers above this are refused: no field, index or table size is anywhere near it. */
export const MAX_HPACK_INTEGER = 2 ** 31 - 1;

/**
 * Reads an integer whose first byte is at the cursor, in an N-bit prefix (RFC 7541 §5.1): the prefix holds
 * values below 2^N-1; otherwise 7-bit groups follow, least significant first, the top bit saying "more".
 */
export function readInteger(c: HpackCursor, prefixBits: number): number {
  const { buf } = c;
  if (c.pos >= buf.length) throw new HpackError("integer past the end of the block");
  const mask = (1 << prefixBits) - 1;
  let value = buf[c.pos++] & mask;
  if (value < mask) return value;
  let scale = 1;
  for (;;) {
    if (c.pos >= buf.length) throw new HpackError("integer continuation past the end of the block");
    const b = buf[c.pos++];
    value += (b & 0x7f) * scale;
    if (value > MAX_HPACK_INTEGER) throw new HpackError("integer too large");
    if ((b & 0x80) === 0) return value;
    scale *= 128;
  }
}

/**
 * Reads a string literal (RFC 7541 §5.2): H flag and 7-bit-prefix length, then the octets, Huffman-decoded
 * when H is set. Returns the octets (a view of the block, or the decoded copy).
 */
export function readString(c: HpackCursor): Buffer {
  const { buf } = c;
  if (c.pos >= buf.length) throw new HpackError("string past the end of the block");
  const huffman = (buf[c.pos] & 0x80) !== 0;
  const len = readInteger(c, 7);
  if (len > buf.length - c.pos) throw new HpackError(`string of ${len} bytes past the end of the block`);
  const start = c.pos;
  c.pos += len;
  if (!huffman) return Buffer.from(buf.buffer, buf.byteOffset + start, len);
  const r = huffmanDecode(buf, start, start + len);
  if (typeof r === "string") throw new HpackError(`huffman ${r}`);
  return r;
}
