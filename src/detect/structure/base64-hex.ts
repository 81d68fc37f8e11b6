// Base64 (RFC 4648 §4 standard and §5 URL-safe alphabets) and hex strings as whole values. The charset check
// is strict (one alphabet, padding only at the end) and the decoded bytes must be worth reading: printable
// text, compressed data (by magic), a multipart body or a complete protobuf message; anything else is most
// likely a random token or a digest, which the matcher already sees in its encoded form.

import { compressionMagic } from "./compressed.ts";
import { boundaryFromBody } from "./multipart-parts.ts";
import { isMessage } from "./protobuf-wire.ts";
import type { ChildSink } from "./structure-types.ts";
import { hexValue, isPrintable } from "./text-bytes.ts";

/** Shortest base64 text tried (9 bytes decoded). */
export const MIN_BASE64_CHARS = 12;
/** Shortest hex text tried (8 bytes decoded). */
export const MIN_HEX_CHARS = 16;

// 0..63 for both alphabets; 64 = `+`/`/` (standard only); 65 = `-`/`_` (URL-safe only); -1 = not base64.
const B64 = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  B64["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".charCodeAt(i)] = i;
}
B64[0x2d] = 62;
B64[0x5f] = 63;

/** Length of the base64 text without padding, or -1 when `data` is not strict base64 of a single alphabet. */
export function base64Length(data: Uint8Array): number {
  let n = data.length;
  if (n < MIN_BASE64_CHARS) return -1;
  let pad = 0;
  while (n > 0 && data[n - 1] === 0x3d && pad < 2) {
    n--;
    pad++;
  }
  if (pad > 0 && data.length % 4 !== 0) return -1;
  if (n % 4 === 1) return -1;
  let std = false;
  let url = false;
  for (let i = 0; i < n; i++) {
    const c = data[i];
    if (B64[c] < 0) return -1;
    if (c === 0x2b || c === 0x2f) std = true;
    else if (c === 0x2d || c === 0x5f) url = true;
  }
  return std && url ? -1 : n;
}

/** Decodes the first `n` characters of strict base64 (as `base64Length` measured). */
export function decodeBase64(data: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    acc = ((acc << 6) | B64[data[i]]) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** True when `data` is even-length hex of one case (digits plus a–f, or digits plus A–F), ≥ 16 characters. */
export function isHexText(data: Uint8Array): boolean {
  const n = data.length;
  if (n < MIN_HEX_CHARS || n % 2 !== 0) return false;
  let lower = false;
  let upper = false;
  for (let i = 0; i < n; i++) {
    const c = data[i];
    if (c >= 0x61 && c <= 0x66) lower = true;
    else if (c >= 0x41 && c <= 0x46) upper = true;
    else if (c < 0x30 || c > 0x39) return false;
  }
  return !(lower && upper);
}

/** Bytes of a hex text `isHexText` accepted. */
export function decodeHex(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (hexValue(data[2 * i]) << 4) | hexValue(data[2 * i + 1]);
  return out;
}

/** Whether decoded bytes deserve a view of their own. */
export function worthReading(bytes: Uint8Array): boolean {
  return (
    isPrintable(bytes) ||
    compressionMagic(bytes) !== undefined ||
    boundaryFromBody(bytes) !== undefined ||
    isMessage(bytes)
  );
}

/** Emits the bytes a base64 value decodes to (step `base64`); true when it did. */
export function decodeBase64Value(data: Uint8Array, out: ChildSink): boolean {
  const n = base64Length(data);
  if (n < 0) return false;
  const bytes = decodeBase64(data, n);
  if (!worthReading(bytes) || !out.reserve(bytes.length)) return false;
  out.emit(bytes, "base64", undefined, undefined, undefined, undefined);
  return true;
}

/** Emits the bytes a hex value decodes to (step `hex`); true when it did. */
export function decodeHexValue(data: Uint8Array, out: ChildSink): boolean {
  if (!isHexText(data)) return false;
  const bytes = decodeHex(data);
  if (!worthReading(bytes) || !out.reserve(bytes.length)) return false;
  out.emit(bytes, "hex", undefined, undefined, undefined, undefined);
  return true;
}
