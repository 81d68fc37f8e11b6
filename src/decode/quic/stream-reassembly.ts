// QUIC STREAM data back in order (RFC 9000 §2.2, §19.8): frames of one stream arrive in any order, repeat
// (retransmissions) and overlap; bytes are handed on once, in offset order, and the end of a stream once its
// final size is reached. Out-of-order bytes wait in a buffer bounded per stream and per connection; the number
// of streams is bounded too. A finished stream stays as a tombstone so a retransmission is not taken for a
// new stream.

/** Bounds of one connection's reassembly. */
export interface StreamLimits {
  /** Streams tracked at once (finished ones count until evicted as the oldest). */
  maxStreams: number;
  /** Out-of-order bytes waiting on one stream. */
  maxPendingPerStream: number;
  /** Out-of-order bytes waiting on the whole connection. */
  maxPendingTotal: number;
}

/** Defaults: 1024 streams, 1 MiB waiting per stream, 4 MiB per connection. */
export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxStreams: 1024,
  maxPendingPerStream: 1024 * 1024,
  maxPendingTotal: 4 * 1024 * 1024,
};

/** Outcome of a write. */
export const STREAM_WRITE_RESULTS = ["ok", "too_many_streams", "too_large"] as const;
export type StreamWriteResult = (typeof STREAM_WRITE_RESULTS)[number];

/** Receives one direction's streams in order. */
export interface StreamDeliverySink {
  /** In-order bytes of stream `id` (a view, valid during the call). */
  data(id: number, data: Uint8Array): void;
  /** Stream `id` reached its final size. */
  fin(id: number): void;
  /** The sender reset stream `id` (RESET_STREAM): no more bytes will come. */
  reset(id: number): void;
}

interface Segment {
  off: number;
  data: Uint8Array;
}

class StreamState {
  /** Offset of the next byte to hand on. */
  next = 0;
  /** Final size, -1 until a FIN (or RESET_STREAM) gave it. */
  finalSize = -1;
  done = false;
  /** Waiting segments, sorted by offset. */
  pending: Segment[] = [];
  pendingBytes = 0;
}

/** One direction's streams of one connection. */
export class StreamReassembler {
  private readonly streams = new Map<number, StreamState>();
  private pendingTotal = 0;

  /** Reassembles into `sink` within `limits`. */
  constructor(
    private readonly sink: StreamDeliverySink,
    private readonly limits: StreamLimits = DEFAULT_STREAM_LIMITS,
  ) {}

  /** Bytes waiting out of order over all streams. */
  get pendingBytes(): number {
    return this.pendingTotal;
  }

  /** The bytes of one STREAM frame. */
  write(id: number, offset: number, data: Uint8Array, fin: boolean): StreamWriteResult {
    const s = this.stream(id);
    if (!s) return "too_many_streams";
    if (s.done) return "ok";
    const end = offset + data.length;
    if (fin) s.finalSize = end;
    let res: StreamWriteResult = "ok";
    if (offset <= s.next) {
      if (end > s.next) this.deliver(id, s, data.subarray(s.next - offset), end);
      this.drain(id, s);
    } else if (data.length > 0) res = this.hold(s, offset, data);
    if (s.finalSize >= 0 && s.next >= s.finalSize) this.finish(id, s, false);
    return res;
  }

  /** A RESET_STREAM: the stream ends where it is (what never arrived stays missing). */
  reset(id: number): void {
    const s = this.stream(id);
    if (!s || s.done) return;
    this.finish(id, s, true);
  }

  private stream(id: number): StreamState | undefined {
    let s = this.streams.get(id);
    if (s) return s;
    if (this.streams.size >= this.limits.maxStreams && !this.evictFinished()) return undefined;
    s = new StreamState();
    this.streams.set(id, s);
    return s;
  }

  /** Drops the oldest finished stream; false when every tracked stream is still open. */
  private evictFinished(): boolean {
    for (const [id, s] of this.streams) {
      if (s.done) {
        this.streams.delete(id);
        return true;
      }
    }
    return false;
  }

  private deliver(id: number, s: StreamState, data: Uint8Array, end: number): void {
    s.next = end;
    this.sink.data(id, data);
  }

  /** Hands on waiting segments that now touch the delivered prefix. */
  private drain(id: number, s: StreamState): void {
    while (s.pending.length > 0 && s.pending[0].off <= s.next) {
      const seg = s.pending.shift()!;
      s.pendingBytes -= seg.data.length;
      this.pendingTotal -= seg.data.length;
      const end = seg.off + seg.data.length;
      if (end > s.next) this.deliver(id, s, seg.data.subarray(s.next - seg.off), end);
    }
  }

  /** Keeps a copy of a segment that starts past the delivered prefix, within the bounds. */
  private hold(s: StreamState, off: number, data: Uint8Array): StreamWriteResult {
    const n = data.length;
    if (s.pendingBytes + n > this.limits.maxPendingPerStream) return "too_large";
    if (this.pendingTotal + n > this.limits.maxPendingTotal) return "too_large";
    const copy = new Uint8Array(n);
    copy.set(data);
    let i = s.pending.length;
    while (i > 0 && s.pending[i - 1].off > off) i--;
    s.pending.splice(i, 0, { off, data: copy });
    s.pendingBytes += n;
    this.pendingTotal += n;
    return "ok";
  }

  private finish(id: number, s: StreamState, reset: boolean): void {
    s.done = true;
    this.pendingTotal -= s.pendingBytes;
    s.pending = [];
    s.pendingBytes = 0;
    if (reset) this.sink.reset(id);
    else this.sink.fin(id);
  }
}
