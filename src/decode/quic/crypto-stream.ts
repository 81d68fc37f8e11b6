// Reassembles one direction's Initial CRYPTO stream (RFC 9000 §19.6) until its first TLS handshake message
// (the ClientHello, or the ServerHello) is complete. CRYPTO frames may arrive in any order, repeat, overlap
// and spread over several packets and datagrams: Chrome splits a post-quantum ClientHello over several
// Initials and shuffles the frames. Memory is bounded by MAX_CRYPTO_BYTES and MAX_CRYPTO_RANGES.

/** Largest first handshake message kept: 2^14 + 256 bytes of body plus the 4-byte header (as Zeek bounds it). */
export const MAX_CRYPTO_BYTES = 16384 + 256 + 4;
/** Most disjoint byte ranges tracked before giving up (a ClientHello comes in a handful of frames). */
export const MAX_CRYPTO_RANGES = 64;

/** What a write did. */
export const CRYPTO_WRITE_RESULTS = ["ok", "too_large", "too_fragmented"] as const;
export type CryptoWriteResult = (typeof CRYPTO_WRITE_RESULTS)[number];

/** One direction's crypto stream, up to the end of its first handshake message. */
export class CryptoStream {
  private buf = new Uint8Array(0);
  /** Sorted, disjoint, non-adjacent covered ranges [start, end). */
  private readonly ranges: number[] = [];
  /** Bytes the first message spans (header + body), or -1 until the 4-byte header has arrived. */
  private need = -1;
  private readonly limit: number;

  /** A stream that keeps at most `limit` bytes. */
  constructor(limit = MAX_CRYPTO_BYTES) {
    this.limit = limit;
  }

  /** Adds the bytes of a CRYPTO frame at stream offset `offset`. */
  write(offset: number, data: Uint8Array): CryptoWriteResult {
    if (data.length === 0) return "ok";
    const cap = this.need >= 0 ? this.need : this.limit;
    if (offset >= cap) return this.need >= 0 ? "ok" : "too_large";
    const end = Math.min(offset + data.length, cap);
    if (!this.cover(offset, end)) return "too_fragmented";
    this.reserve(end);
    this.buf.set(data.subarray(0, end - offset), offset);
    if (this.need < 0 && this.contiguous() >= 4) {
      const len = (this.buf[1] << 16) | (this.buf[2] << 8) | this.buf[3];
      if (len + 4 > this.limit) return "too_large";
      this.need = len + 4;
    }
    return "ok";
  }

  /** The first handshake message (4-byte header + body) once every byte of it has arrived. */
  message(): Uint8Array | undefined {
    if (this.need < 0 || this.contiguous() < this.need) return undefined;
    return this.buf.subarray(0, this.need);
  }

  /** Handshake type of the first message (RFC 8446 §4: 1 ClientHello, 2 ServerHello), -1 before it arrived. */
  messageType(): number {
    return this.contiguous() > 0 ? this.buf[0] : -1;
  }

  /** Bytes of the first message not yet seen (its length unknown counts as unknown, -1). */
  missing(): number {
    if (this.need < 0) return -1;
    let have = 0;
    for (let i = 0; i < this.ranges.length; i += 2) {
      have += Math.max(0, Math.min(this.ranges[i + 1], this.need) - this.ranges[i]);
    }
    return this.need - have;
  }

  /** True when some bytes arrived. */
  started(): boolean {
    return this.ranges.length > 0;
  }

  /** Length of the prefix from offset 0 that has fully arrived. */
  private contiguous(): number {
    return this.ranges.length > 0 && this.ranges[0] === 0 ? this.ranges[1] : 0;
  }

  /** Merges [s, e) into the covered ranges; false when that would exceed MAX_CRYPTO_RANGES. */
  private cover(s: number, e: number): boolean {
    const r = this.ranges;
    let i = 0;
    while (i < r.length && r[i + 1] < s) i += 2;
    let j = i;
    let ns = s;
    let ne = e;
    while (j < r.length && r[j] <= e) {
      ns = Math.min(ns, r[j]);
      ne = Math.max(ne, r[j + 1]);
      j += 2;
    }
    if (j === i && r.length >= MAX_CRYPTO_RANGES * 2) return false;
    r.splice(i, j - i, ns, ne);
    return true;
  }

  /** Grows the buffer (doubling, up to the limit) to hold `end` bytes. */
  private reserve(end: number): void {
    if (end <= this.buf.length) return;
    let size = Math.max(2048, this.buf.length);
    while (size < end) size *= 2;
    const next = new Uint8Array(Math.min(size, this.limit));
    next.set(this.buf);
    this.buf = next;
  }
}
