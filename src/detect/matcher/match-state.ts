// The matcher's per-stream state: the last window of folded bytes and a short tail of raw bytes, so a needle
// split across chunks is found and its boundary and case are judged as in a single scan.

/** Streaming state of one byte stream; made by `Matcher.newState()` and only valid with that matcher. */
export class MatchState {
  /** The last four (folded) bytes scanned, newest in the low byte. */
  lo = 0;
  /** The four bytes before `lo`. */
  hi = 0;
  /** The last bytes of the stream (up to the longest needle + 1), oldest first. */
  readonly tail: Uint8Array;
  /** Bytes held in `tail`. */
  tailLen = 0;
  /** Stream offset of the chunk being scanned (during `scanStream` callbacks), or of the stream's end. */
  streamOffset = 0;
  /** Whole-word matches ending at the last chunk's end still wait for the next byte. */
  pending = false;

  /** Use `Matcher.newState()`. */
  constructor(tailCapacity: number) {
    this.tail = new Uint8Array(tailCapacity);
  }
}

/** The byte at position `p` of the stream relative to `data` (negative: from the state's tail). */
export function byteAt(state: MatchState, data: Uint8Array, p: number): number {
  return p >= 0 ? data[p] : state.tail[state.tailLen + p];
}

/** Keeps the stream's last `tail.length` bytes (bounded copy, no allocation for short chunks). */
export function keepTail(state: MatchState, data: Uint8Array): void {
  const { tail } = state;
  const cap = tail.length;
  const n = data.length;
  const take = Math.min(n, cap);
  const keep = Math.min(state.tailLen, cap - take);
  if (keep > 0 && state.tailLen > keep) tail.copyWithin(0, state.tailLen - keep, state.tailLen);
  if (take > 32) tail.set(data.subarray(n - take), keep);
  else for (let j = 0; j < take; j++) tail[keep + j] = data[n - take + j];
  state.tailLen = keep + take;
}
