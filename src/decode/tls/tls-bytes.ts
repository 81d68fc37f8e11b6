// Byte helpers shared by the TLS parsers: big-endian reads and text conversions. Callers check bounds first;
// these never allocate beyond the string they return.

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Big-endian 16-bit value at `off`. */
export function u16(b: Uint8Array, off: number): number {
  return (b[off] << 8) | b[off + 1];
}

/** Big-endian 24-bit value at `off` (TLS handshake and certificate lengths). */
export function u24(b: Uint8Array, off: number): number {
  return (b[off] << 16) | (b[off + 1] << 8) | b[off + 2];
}

/** Lower-case hex of b[start, end). */
export function toHex(b: Uint8Array, start = 0, end = b.length): string {
  let s = "";
  for (let i = start; i < end; i++) s += HEX[b[i]];
  return s;
}

/** Four lower-case hex digits of a 16-bit value (`002f`), the form JA4 and unknown names use. */
export function hex4(v: number): string {
  return HEX[(v >> 8) & 0xff] + HEX[v & 0xff];
}

/** One character per byte (ISO-8859-1), so the bytes survive a round trip through the string. */
export function latin1(b: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

const UTF8 = new TextDecoder("utf-8", { fatal: false });

/** UTF-8 text of b[start, end); invalid sequences become U+FFFD instead of throwing. */
export function utf8Text(b: Uint8Array, start: number, end: number): string {
  return UTF8.decode(b.subarray(start, end));
}
