// A message body kept for the detector: bytes up to a bound (the rest only counted), in one buffer that is
// reused from message to message on a connection, so keep-alive traffic does not allocate per message.

/** Capacity above which the buffer is released after a message instead of being kept for the next one. */
const KEEP_CAPACITY = 256 * 1024;
const EMPTY = new Uint8Array(0);

/** Body bytes of the current message. */
export class BodyBuffer {
  private buf: Uint8Array = EMPTY;
  /** Bytes kept in the buffer. */
  kept = 0;
  /** Body bytes seen, kept or not. */
  total = 0;
  /** True when bytes past the bound were dropped. */
  truncated = false;

  /** @param max bytes kept at most. */
  constructor(readonly max: number) {}

  /** Starts a new body; `expected` (a Content-Length) sizes the buffer once instead of growing it. */
  reset(expected = 0): void {
    if (this.buf.length > KEEP_CAPACITY) this.buf = EMPTY;
    this.kept = 0;
    this.total = 0;
    this.truncated = false;
    // Unzeroed memory: every byte read back was written first (bytes() stops at `kept`).
    if (expected > this.buf.length) this.buf = Buffer.allocUnsafe(Math.min(expected, this.max));
  }

  /** Adds src[s, e). */
  append(src: Uint8Array, s: number, e: number): void {
    const n = e - s;
    this.total += n;
    const room = this.max - this.kept;
    if (room <= 0) {
      if (n > 0) this.truncated = true;
      return;
    }
    const take = Math.min(n, room);
    if (take < n) this.truncated = true;
    if (this.kept + take > this.buf.length) this.grow(this.kept + take);
    // A plain view, not src.subarray(): on a Buffer that goes through the species constructor, per packet.
    this.buf.set(new Uint8Array(src.buffer, src.byteOffset + s, take), this.kept);
    this.kept += take;
  }

  /** Counts `n` body bytes that were never seen (a capture gap). */
  skip(n: number): void {
    this.total += n;
  }

  /** The kept bytes; a view valid until the next reset(). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.kept);
  }

  private grow(need: number): void {
    let cap = Math.max(this.buf.length * 2, 4096);
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafe(Math.min(cap, this.max));
    next.set(this.buf.subarray(0, this.kept));
    this.buf = next;
  }
}
