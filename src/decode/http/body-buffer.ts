// A message body kept for the detector: bytes up to a bound (the rest only counted). Buffers come from a
// small shared pool of power-of-two sizes and go back to it after each message, so a capture with thousands
// of bodies does not allocate (and page-fault in) fresh memory per body.

const MIN_CAPACITY = 4096;
/**
 * A declared length sizes the buffer at most this much up front; past it the buffer grows as bytes arrive,
 * so a download in progress on each of many connections holds what arrived, not what it announced.
 */
const MAX_PRESIZE = 64 * 1024;
/** Bytes the pool holds at most; what does not fit is left to the garbage collector. */
const POOL_LIMIT = 4 * 1024 * 1024;
/**
 * Bytes all bodies in progress may hold together, so memory stays bounded however many downloads run at once
 * (8 MiB: the bench's recall stays 100%, its RSS no longer follows the concurrent downloads). Each body may
 * always grow to FREE_PER_BODY; beyond that it draws on what the budget has left, and when the
 * budget is spent the body is cut (and marked truncated) like a body past its own bound.
 */
export const BODY_BUDGET = 8 * 1024 * 1024;
/** What any body may hold whatever the budget says. */
export const FREE_PER_BODY = 256 * 1024;
/** Capacity held by live bodies right now (for the budget, and for tests). */
let held = 0;

/** A body dropped without release() (a decoder abandoned mid-message) gives its share back when collected. */
const unreleased = new FinalizationRegistry<{ n: number }>((acct) => {
  held -= acct.n;
});

/** Bytes held by bodies in progress across the process. */
export function bodyBytesHeld(): number {
  return held;
}
const EMPTY = new Uint8Array(0);

/** Free buffers by log2 of their size. */
const pool: Uint8Array[][] = [];
let pooled = 0;

function take(need: number): Uint8Array {
  let cap = MIN_CAPACITY;
  while (cap < need) cap *= 2;
  const k = Math.log2(cap);
  const free = pool[k]?.pop();
  if (free) {
    pooled -= free.length;
    return free;
  }
  // Unzeroed memory: every byte read back was written first (bytes() stops at `kept`).
  return Buffer.allocUnsafeSlow(cap);
}

function give(buf: Uint8Array): void {
  if (buf.length < MIN_CAPACITY || pooled + buf.length > POOL_LIMIT) return;
  const k = Math.log2(buf.length);
  if (!Number.isInteger(k)) return;
  pool[k] ??= [];
  pool[k].push(buf);
  pooled += buf.length;
}

/** Body bytes of the current message. */
export class BodyBuffer {
  private buf: Uint8Array = EMPTY;
  /** Bytes kept in the buffer. */
  kept = 0;
  /** Body bytes seen, kept or not. */
  total = 0;
  /** True when bytes past the bound were dropped. */
  truncated = false;

  /** This body's share of `held`. */
  private readonly acct = { n: 0 };

  /** @param max bytes kept at most. */
  constructor(readonly max: number) {
    unreleased.register(this, this.acct);
  }

  /** Starts a new body (the previous one's bytes are given up); `expected` sizes the buffer once. */
  reset(expected = 0): void {
    this.release();
    this.kept = 0;
    this.total = 0;
    this.truncated = false;
    if (expected > 0) {
      this.buf = take(Math.min(expected, this.max, MAX_PRESIZE));
      held += this.buf.length;
      this.acct.n = this.buf.length;
    }
  }

  /** Gives the buffer back to the pool (after the message was handed on, or when the connection ends). */
  release(): void {
    if (this.buf !== EMPTY) {
      held -= this.buf.length;
      this.acct.n = 0;
      give(this.buf);
    }
    this.buf = EMPTY;
    this.kept = 0;
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
    let take = Math.min(n, room);
    if (this.kept + take > this.buf.length) take = Math.min(take, this.grow(this.kept + take) - this.kept);
    if (take < n) this.truncated = true;
    if (take <= 0) return;
    // A plain view, not src.subarray(): on a Buffer that goes through the species constructor, per packet.
    this.buf.set(new Uint8Array(src.buffer, src.byteOffset + s, take), this.kept);
    this.kept += take;
  }

  /** Counts `n` body bytes that were never seen (a capture gap). */
  skip(n: number): void {
    this.total += n;
  }

  /** The kept bytes; a view valid until the next reset() or release(). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.kept);
  }

  /** Grows the buffer towards `need` as far as the budget allows; returns the capacity it has now. */
  private grow(need: number): number {
    let want = Math.min(Math.max(need, this.buf.length * 2), this.max);
    const spare = BODY_BUDGET - held + this.buf.length;
    if (want > FREE_PER_BODY && want > spare)
      want = Math.max(Math.min(FREE_PER_BODY, this.max), this.buf.length);
    if (want <= this.buf.length) return this.buf.length;
    const next = take(want);
    next.set(this.buf.subarray(0, this.kept));
    held += next.length - this.buf.length;
    this.acct.n = next.length;
    if (this.buf !== EMPTY) give(this.buf);
    this.buf = next;
    return next.length;
  }
}
