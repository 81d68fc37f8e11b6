// Byte-level text helpers for the structure decoders: printable-text checks (RFC 3629 UTF-8), ASCII
// conversions without TextDecoder for short keys, and number rendering, all without per-byte allocation.

const utf8 = new TextDecoder("utf-8");
const encoder = new TextEncoder();

/**
 * True when `data[start, end)` is non-empty printable text: valid UTF-8 (RFC 3629 §4), no C0 controls other
 * than TAB/LF/CR, no DEL. Stops at the first bad byte, so random bytes are rejected in a few steps.
 */
export function isPrintable(data: Uint8Array, start = 0, end = data.length): boolean {
  if (end <= start) return false;
  let i = start;
  while (i < end) {
    const b = data[i];
    if (b < 0x80) {
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return false;
      i++;
      continue;
    }
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= end) return false;
    for (let k = 1; k <= n; k++) if ((data[i + k] & 0xc0) !== 0x80) return false;
    i += n + 1;
  }
  return true;
}

/** Text of a byte range (UTF-8, invalid sequences replaced); ASCII ranges avoid the decoder. */
export function textOf(data: Uint8Array, start = 0, end = data.length): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (data[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii) return utf8.decode(data.subarray(start, end));
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(data[i]);
  return s;
}

/** UTF-8 bytes of a string. */
export function bytesOf(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Index of the first byte equal to `b` in `data[start, end)`, or -1. */
export function indexOfByte(data: Uint8Array, b: number, start = 0, end = data.length): number {
  for (let i = start; i < end; i++) if (data[i] === b) return i;
  return -1;
}

/** True when `data` starts with the ASCII text `prefix` at `at`. */
export function startsWithAscii(data: Uint8Array, prefix: string, at = 0): boolean {
  if (at + prefix.length > data.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[at + i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** Value of one hex digit byte, or -1. */
export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
