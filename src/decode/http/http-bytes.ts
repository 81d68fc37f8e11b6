// Byte-level helpers of the HTTP/1.x parser: a bounded line buffer, the scan for the empty line that ends a
// head, the cheap "could this be a start line" check, and chunk-size lines (RFC 9112 §7.1).

/** Storage a LineBuffer starts with: a head or a chunk-size line fits in it. */
const LINE_INITIAL = 512;
/** Most released storages kept for reuse (per thread); more go to the collector. */
const MAX_SPARE_LINES = 256;
const NO_BYTES = Buffer.alloc(0);
const spareLines: Buffer[] = [];

/**
 * A growable, bounded buffer for head and line bytes. Its memory is its own (allocUnsafeSlow), not a slice
 * of Node's shared 8 KiB pool: a 512-byte slice would keep a whole pool slab alive (measured: 446 idle
 * buffers holding 3.5 MB on a long capture). It takes storage on the first append and gives it back with
 * release(), so a connection idle between messages (phones keep some open for an hour) holds none.
 */
export class LineBuffer {
  /** The bytes; valid in [0, len). Empty while released. */
  buf: Buffer = NO_BYTES;
  /** Bytes held. */
  len = 0;

  /** Appends b[s, e) unless that would pass `max` bytes in all (then false, nothing appended). */
  append(b: Uint8Array, s: number, e: number, max: number): boolean {
    const n = e - s;
    if (this.len + n > max) return false;
    if (this.len + n > this.buf.length) this.grow(this.len + n, max);
    this.buf.set(new Uint8Array(b.buffer, b.byteOffset + s, n), this.len);
    this.len += n;
    return true;
  }

  /** Gives the storage back for reuse when no bytes are held (after a line or head was consumed). */
  release(): void {
    if (this.len !== 0 || this.buf === NO_BYTES) return;
    if (this.buf.length === LINE_INITIAL && spareLines.length < MAX_SPARE_LINES) spareLines.push(this.buf);
    this.buf = NO_BYTES;
  }

  private grow(need: number, max: number): void {
    if (this.buf === NO_BYTES && need <= LINE_INITIAL) {
      this.buf = spareLines.pop() ?? Buffer.allocUnsafeSlow(LINE_INITIAL);
      return;
    }
    const next = Buffer.allocUnsafeSlow(Math.min(max, Math.max(this.buf.length * 2, LINE_INITIAL, need)));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}

/** Where a head scan stopped. */
export interface HeadScan {
  /** Offset after the scanned bytes (after the head's final LF when found). */
  end: number;
  /** The empty line that ends the head was found. */
  found: boolean;
  /** The scan stopped at the start of a line (so the next bytes may be the empty line). */
  lineStart: boolean;
}

/**
 * Scans b from `off` for the empty line that ends a head, jumping from LF to LF with the native indexOf.
 * An empty line is LF or CR LF right after a LF; `lineStart` carries that state across calls.
 */
export function scanHeadEnd(b: Uint8Array, off: number, lineStart: boolean, out: HeadScan): HeadScan {
  let i = off;
  let ls = lineStart;
  out.found = false;
  while (i < b.length) {
    if (ls) {
      if (b[i] === 0x0a || (b[i] === 0x0d && b[i + 1] === 0x0a)) {
        i += b[i] === 0x0a ? 1 : 2;
        out.found = true;
        break;
      }
      if (b[i] === 0x0d && i + 1 === b.length) {
        i++; // a CR at the end of the bytes: the LF that may follow decides
        break;
      }
      ls = false;
    }
    const lf = b.indexOf(0x0a, i);
    if (lf < 0) {
      i = b.length;
      break;
    }
    i = lf + 1;
    ls = true;
  }
  out.end = i;
  out.lineStart = ls;
  return out;
}

/** RFC 9110 §5.6.2 tchar: ALPHA / DIGIT / "!#$%&'*+-.^_`|~". */
export function isTchar(c: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) return true;
  return (
    c === 0x21 ||
    (c >= 0x23 && c <= 0x27) ||
    c === 0x2a ||
    c === 0x2b ||
    c === 0x2d ||
    c === 0x2e ||
    (c >= 0x5e && c <= 0x60) ||
    c === 0x7c ||
    c === 0x7e
  );
}

/** Whether the first bytes of a head can start a request line (token then space) or a status line. */
export function plausibleStart(b: Uint8Array, len: number): boolean {
  const n = Math.min(len, 24);
  const http = [0x48, 0x54, 0x54, 0x50, 0x2f]; // "HTTP/"
  let prefix = true;
  for (let i = 0; i < Math.min(n, 5); i++) if (b[i] !== http[i]) prefix = false;
  if (prefix && (n >= 5 || b[0] === 0x48)) return true;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0x20) return i > 0;
    if (!isTchar(c)) return false;
  }
  // A method longer than 23 characters is not one anybody sends.
  return n < 24;
}

/** Size of a chunk-size line, or -1 when it is not `1*HEXDIG [ BWS ";" chunk-ext ]`. */
export function parseChunkSize(b: Uint8Array, len: number): number {
  let n = 0;
  let digits = 0;
  let i = 0;
  for (; i < len; i++) {
    const c = b[i];
    const lc = c | 0x20;
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : lc >= 0x61 && lc <= 0x66 ? lc - 0x57 : -1;
    if (v < 0) break;
    // 13 hex digits (2^52) is past any body worth keeping and still an exact JS integer.
    if (++digits > 13) return -1;
    n = n * 16 + v;
  }
  if (digits === 0) return -1;
  while (i < len && (b[i] === 0x20 || b[i] === 0x09)) i++;
  if (i < len && b[i] !== 0x3b && b[i] !== 0x0d && b[i] !== 0x0a) return -1;
  return n;
}
