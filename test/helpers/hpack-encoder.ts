// A small HPACK encoder for tests (RFC 7541 §5, §6): integers, string literals with or without Huffman coding
// (the code built from the Appendix B table), and each field representation, so tests can write header
// blocks the decoder has never seen. No dynamic table is kept: tests say which representation to write.

import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from "../../src/decode/http2/hpack-huffman-table.ts";

/** An integer in an N-bit prefix whose other bits are `flags` (RFC 7541 §5.1). */
export function hpackInt(value: number, prefixBits: number, flags = 0): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [flags | value];
  const out = [flags | max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

/** Huffman code of `bytes`, padded with the most significant bits of EOS (RFC 7541 §5.2). */
export function huffmanEncode(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0n;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << BigInt(HUFFMAN_LENGTHS[b])) | BigInt(HUFFMAN_CODES[b]);
    bits += HUFFMAN_LENGTHS[b];
    while (bits >= 8) {
      bits -= 8;
      out.push(Number((acc >> BigInt(bits)) & 0xffn));
    }
    acc &= (1n << BigInt(bits)) - 1n;
  }
  if (bits > 0) out.push(Number(((acc << BigInt(8 - bits)) | ((1n << BigInt(8 - bits)) - 1n)) & 0xffn));
  return Uint8Array.from(out);
}

/** A string literal (RFC 7541 §5.2), Huffman-coded when `huffman`. */
export function hpackString(s: string | Uint8Array, huffman = false): number[] {
  const raw = typeof s === "string" ? Buffer.from(s, "utf8") : s;
  const data = huffman ? huffmanEncode(raw) : raw;
  return [...hpackInt(data.length, 7, huffman ? 0x80 : 0), ...data];
}

/** How a literal field is written (RFC 7541 §6.2). */
export type LiteralKind = "indexed" | "plain" | "never";

const LITERAL_FLAGS = { indexed: [0x40, 6], plain: [0x00, 4], never: [0x10, 4] } as const;

/** An indexed field (RFC 7541 §6.1). */
export function hpackIndexed(index: number): number[] {
  return hpackInt(index, 7, 0x80);
}

/** A literal field: `name` is a table index or a literal name. */
export function hpackLiteral(
  name: number | string,
  value: string,
  kind: LiteralKind = "plain",
  huffman = false,
): number[] {
  const [flags, prefix] = LITERAL_FLAGS[kind];
  const head =
    typeof name === "number" ? hpackInt(name, prefix, flags) : [flags, ...hpackString(name, huffman)];
  return [...head, ...hpackString(value, huffman)];
}

/** A dynamic table size update (RFC 7541 §6.3). */
export function hpackSizeUpdate(size: number): number[] {
  return hpackInt(size, 5, 0x20);
}

/** A header block of fields all written as literals without indexing (new names), Huffman or not. */
export function hpackBlock(fields: [string, string][], huffman = false): Uint8Array {
  return Uint8Array.from(fields.flatMap(([n, v]) => hpackLiteral(n, v, "plain", huffman)));
}

/** Bytes of a hex dump as RFC 7541 Appendix C prints it (spaces and line breaks ignored). */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));
}
