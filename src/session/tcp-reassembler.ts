// One direction of a TCP byte stream put back in order: segments arrive in any order, duplicated or
// overlapping, and leave as in-order bytes (consumer.data) and holes (consumer.gap). Without a consumer the
// same code only tracks which sequence ranges were seen, so missed_bytes is right for every connection.
// Out-of-order data is copied and bounded (per direction and across all flows); in-order data is handed on
// as a view of the packet, never copied.

import type { StreamConsumer } from "./stream-consumer.ts";

/** `add` result bit: a segment overlapped held data with different bytes (the first data was kept). */
export const REASM_OVERLAP_MISMATCH = 1;
/** `add` result bit: a buffer bound forced a gap over data that had not arrived yet. */
export const REASM_BUFFER_LIMIT = 2;
/** `add` result bit: bytes beyond the stream's FIN were ignored. */
export const REASM_AFTER_FIN = 4;

/** Held bytes shared by every flow of a table, so the sum stays bounded whatever the flow count. */
export interface ReassemblyBudget {
  /** Bytes held now. */
  used: number;
  /** Upper bound of `used`. */
  max: number;
}

/** Most out-of-order ranges one direction keeps; more would cost memory even without data. */
export const MAX_SEGMENTS = 1024;

/** A sequence range seen ahead of the delivery point. */
interface Segment {
  start: number;
  end: number;
  /** Copied payload; null for a range seen without keeping data (accounting) or never captured (hole). */
  bytes: Uint8Array | null;
  /** Bytes of this range were on the wire but not in the capture (snaplen): delivered as a gap. */
  hole: boolean;
  ts: number;
  frame: number;
}

/** Reassembles one direction of one connection. Offsets are stream offsets (0 = first byte after the SYN). */
export class TcpReassembler {
  /** Sequence number of stream offset 0 (valid once `started`). */
  base = 0;
  /** A base was set (by a SYN, or by the first packet seen in this direction). */
  started = false;
  /** Stream offset of the FIN (the stream's end), -1 until one is seen. */
  fin = -1;
  /** Stream offset of the next byte to deliver; everything before it is delivered or given up. */
  next = 0;
  /** Highest stream offset seen (end of the furthest segment): the sequence-space size of the stream. */
  high = 0;
  /** Bytes skipped as gaps (never seen, or cut by a bound). */
  missed = 0;
  /** Bytes of copied out-of-order data held now. */
  held = 0;
  /** The consumer's data() returned false: it wants no more bytes of this connection. */
  declined = false;
  private segs: Segment[] = [];
  private flags = 0;

  /**
   * `consumer` receives this direction's bytes (undefined: accounting only); `maxHeld` bounds held bytes;
   * `budget`, when given, is shared with other reassemblers to bound their sum.
   */
  constructor(
    private consumer: StreamConsumer | undefined,
    private readonly fromOrig: boolean,
    private readonly maxHeld: number,
    private readonly budget?: ReassemblyBudget,
  ) {}

  /**
   * Stream offset of sequence number `seq`. Sequence numbers wrap at 2^32 (RFC 9293 §3.4): the offset is taken
   * as the nearest one to the delivery point, so streams longer than 4 GiB keep counting up.
   */
  rel(seq: number): number {
    const expected = (this.base + this.next) >>> 0;
    return this.next + ((seq - expected) | 0);
  }

  /** Number of out-of-order ranges held. */
  get pending(): number {
    return this.segs.length;
  }

  /** Every byte up to the FIN has been delivered (or given up as a gap). */
  get done(): boolean {
    return this.fin >= 0 && this.next >= this.fin;
  }

  /** Sets the sequence number of stream offset 0: `seq` + 1 after a SYN, the first seen `seq` mid-stream. */
  start(base: number): void {
    this.base = base >>> 0;
    this.started = true;
  }

  /** Records the FIN at stream offset `rel`; the first FIN wins (RFC 9293 §3.10.7.4: a FIN is final). */
  setFin(rel: number): void {
    if (this.fin >= 0) return;
    this.fin = Math.max(rel, this.next);
    // Bytes before the FIN were sent even if none was seen: they count in the stream's size.
    if (this.fin > this.high) this.high = this.fin;
  }

  /**
   * Adds the segment at stream offset `rel`: `capLen` bytes captured at `data[off..)`, `wireLen` bytes on the
   * wire (more when the snaplen cut the packet). Returns REASM_* bits.
   */
  add(
    rel: number,
    data: Uint8Array,
    off: number,
    capLen: number,
    wireLen: number,
    ts: number,
    frame: number,
  ): number {
    if (wireLen <= 0) return 0;
    this.flags = 0;
    if (this.fin >= 0 && rel + wireLen > this.fin) {
      this.flags |= REASM_AFTER_FIN;
      wireLen = this.fin - rel;
      if (wireLen <= 0) return this.flags;
    }
    if (capLen > wireLen) capLen = wireLen;
    const end = rel + wireLen;
    if (end > this.high) this.high = end;
    if (end <= this.next) return this.flags; // wholly old: a retransmission of delivered data
    const capEnd = rel + capLen;
    if (rel <= this.next) {
      // In order (possibly with an already-delivered head): hand the packet's bytes straight through, up to
      // the first held range.
      const stop = this.segs.length > 0 ? Math.min(this.segs[0].start, capEnd) : capEnd;
      if (stop > this.next) {
        // No view is made once nobody reads the bytes: this is the per-packet path of every connection.
        if (this.consumer) this.emit(data.subarray(off + this.next - rel, off + stop - rel), ts, frame);
        this.next = stop;
      }
      if (this.segs.length === 0) {
        this.gapTo(end); // the part the snaplen cut, if any
        return this.flags;
      }
      this.deliverReady();
    }
    this.makeRoom(rel, this.consumer ? this.uncovered(Math.max(rel, this.next), capEnd) : 0);
    this.insert(rel, capEnd, data, off, false, ts, frame);
    if (wireLen > capLen) this.insert(rel + capLen, end, data, off, true, ts, frame);
    this.deliverReady();
    return this.flags;
  }

  /** Delivers everything held in order, with gaps for what is missing up to the FIN when one was seen. */
  flush(): void {
    while (this.segs.length > 0) {
      this.gapTo(this.segs[0].start);
      this.deliverReady();
    }
    this.gapTo(this.fin);
  }

  /** Flushes, then stops delivering: later segments are only accounted. */
  detach(): void {
    this.flush();
    this.consumer = undefined;
  }

  /** Stops delivering at once (no flush) and frees held data; ranges stay, so missed_bytes stays right. */
  drop(): void {
    this.consumer = undefined;
    for (const s of this.segs) {
      if (s.bytes) this.hold(-s.bytes.length);
      s.bytes = null;
    }
  }

  private emit(bytes: Uint8Array, ts: number, frame: number): void {
    if (this.consumer && bytes.length > 0 && this.consumer.data(this.fromOrig, bytes, ts, frame) === false) {
      this.declined = true;
      this.drop();
    }
  }

  /** Skips to stream offset `to`, reporting the skipped bytes as a gap. */
  private gapTo(to: number): void {
    if (to <= this.next) return;
    const len = to - this.next;
    this.missed += len;
    this.next = to;
    this.consumer?.gap(this.fromOrig, len);
  }

  /** Gives up on the earliest holes until `need` more bytes (and one more range) fit in the bounds. */
  private makeRoom(rel: number, need: number): void {
    while (this.segs.length > 0 && this.over(need)) {
      if (this.consumer) this.flags |= REASM_BUFFER_LIMIT;
      this.gapTo(this.segs[0].start);
      this.deliverReady();
    }
    if (this.over(need) && rel > this.next) {
      // Even an empty buffer cannot hold this segment: skip to it and let it be delivered in order.
      this.flags |= REASM_BUFFER_LIMIT;
      this.gapTo(rel);
    }
  }

  /** True when holding `need` more bytes, or one more range, would break a bound. */
  private over(need: number): boolean {
    if (this.segs.length >= MAX_SEGMENTS || this.held + need > this.maxHeld) return true;
    return this.budget !== undefined && need > 0 && this.budget.used + need > this.budget.max;
  }

  /** Bytes of [from, to) that no held range covers (what inserting it would newly hold). */
  private uncovered(from: number, to: number): number {
    let n = 0;
    let pos = from;
    for (let i = this.firstAfter(from); i < this.segs.length && pos < to; i++) {
      const s = this.segs[i];
      if (s.start > pos) n += Math.min(s.start, to) - pos;
      pos = Math.max(pos, s.end);
    }
    return pos < to ? n + to - pos : n;
  }

  /** Index of the first held range that ends after `pos`. */
  private firstAfter(pos: number): number {
    let lo = 0;
    let hi = this.segs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.segs[mid].end <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Inserts [start, end) where no held range covers it yet; where one does, the first data stays (as Zeek
   * keeps it) and differing bytes raise REASM_OVERLAP_MISMATCH. `data[off]` is the byte at `start0`.
   */
  private insert(
    start: number,
    end: number,
    data: Uint8Array,
    off: number,
    hole: boolean,
    ts: number,
    frame: number,
  ): void {
    const start0 = start;
    if (start < this.next) start = this.next;
    let i = this.firstAfter(start);
    let pos = start;
    while (pos < end) {
      const s = this.segs[i];
      if (s !== undefined && s.start <= pos) {
        const stop = Math.min(end, s.end);
        if (!hole && s.bytes && differs(s.bytes, pos - s.start, data, off + pos - start0, stop - pos)) {
          this.flags |= REASM_OVERLAP_MISMATCH;
        }
        pos = stop;
        i++;
        continue;
      }
      const stop = s !== undefined ? Math.min(end, s.start) : end;
      const keep = this.consumer !== undefined && !hole;
      // A copy even when `data` is a Buffer, whose slice() is a view of the reader's reused buffer.
      const bytes = keep
        ? Uint8Array.prototype.slice.call(data, off + pos - start0, off + stop - start0)
        : null;
      this.segs.splice(i, 0, { start: pos, end: stop, bytes, hole, ts, frame });
      if (bytes) this.hold(bytes.length);
      pos = stop;
      i++;
    }
  }

  private hold(n: number): void {
    this.held += n;
    if (this.budget) this.budget.used += n;
  }

  /** Delivers held ranges that now start at the delivery point. */
  private deliverReady(): void {
    while (this.segs.length > 0 && this.segs[0].start <= this.next) {
      const s = this.segs.shift() as Segment;
      if (s.bytes) this.hold(-s.bytes.length);
      if (s.end <= this.next) continue;
      const skip = this.next - s.start;
      if (s.hole) {
        this.gapTo(s.end);
      } else {
        if (s.bytes) this.emit(skip > 0 ? s.bytes.subarray(skip) : s.bytes, s.ts, s.frame);
        this.next = s.end;
      }
    }
  }
}

/** True when `len` bytes of a (from aOff) and b (from bOff) differ. */
function differs(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aOff + i] !== b[bOff + i]) return true;
  return false;
}
