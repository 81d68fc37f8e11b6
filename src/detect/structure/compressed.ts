// Compressed bytes found by their magic number inside any layer: gzip (RFC 1952 §2.3.1: 1f 8b, method 8),
// zlib (RFC 1950 §2.2: 78 01/5e/9c/da, the four levels' headers) and zstd (RFC 8878 §3.1.1: 28 b5 2f fd).
// Brotli has no magic and raw deflate none either, so neither is guessed here.

import { decompress } from "../../decode/content/decompress.ts";
import type { ChildSink } from "./structure-types.ts";

/** The coding a compression magic names (`zlib` is undone as zlib-wrapped `deflate`), or undefined. */
export function compressionMagic(data: Uint8Array): "gzip" | "zlib" | "zstd" | undefined {
  if (data.length < 4) return undefined;
  const b0 = data[0];
  const b1 = data[1];
  if (b0 === 0x1f && b1 === 0x8b && data[2] === 0x08) return "gzip";
  if (b0 === 0x78 && (b1 === 0x01 || b1 === 0x5e || b1 === 0x9c || b1 === 0xda)) return "zlib";
  if (b0 === 0x28 && b1 === 0xb5 && data[2] === 0x2f && data[3] === 0xfd) return "zstd";
  return undefined;
}

/**
 * Decompresses bytes that start with a compression magic and emits what decoded (step = the coding name),
 * capped by the walk's decompression cap and derived-bytes budget. True when a magic was seen.
 */
export function decodeCompressed(data: Uint8Array, out: ChildSink): boolean {
  const magic = compressionMagic(data);
  if (!magic) return false;
  const cap = Math.min(out.maxDecompressed, out.bytesLeft());
  if (cap <= 0) {
    out.weird("structure_derived_bytes_limit", `no budget left to decompress ${magic}`);
    return true;
  }
  const r = decompress(data, magic === "zlib" ? "deflate" : magic, cap);
  if (r.problem?.name === "decompressed_size_limit") {
    out.weird("structure_decompressed_size_limit", `${magic} output cut at ${cap} bytes`);
  }
  if (r.data.length === 0 || !out.reserve(r.data.length)) return true;
  out.emit(r.data, magic, undefined, undefined, undefined, undefined);
  return true;
}
