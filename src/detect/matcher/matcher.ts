// The multi-pattern matcher: finds every occurrence of every needle (profile value variant) in a payload
// in one pass, whatever the number of needles. One Aho–Corasick automaton over case-folded byte classes
// serves all needles; case-sensitive needles with letters get an exact-case check when they match, and
// whole-word needles get their boundary check. Streaming keeps a short tail of past bytes so a value split
// across chunks is found, and judges boundaries and case at chunk edges exactly as a single scan would.

import type { Needle } from "../detect-types.ts";
import {
  type Automaton,
  automatonBytes,
  buildAutomaton,
  DEFAULT_DENSE_CELLS,
  decodeState,
  encodeState,
} from "./aho-corasick.ts";
import { buildByteClasses, isAsciiLetter, WORD_BYTE } from "./byte-classes.ts";

/** Receives one match: the needle's index, and its byte range [start, end) relative to the scanned data. */
export type OnMatch = (needle: number, start: number, end: number) => void;

/** Build options (tests use a tiny dense budget to exercise the sparse states). */
export interface MatcherOptions {
  /** Budget of dense transition cells (4 bytes each); default 256 Ki cells. */
  denseCells?: number;
}

/** Needle flag: case-sensitive and has an ASCII letter, so a folded match must be checked for exact case. */
const VERIFY = 1;
/** Needle flag: whole word only. */
const WHOLE = 2;
/** `next` value: the byte after the match is not known yet (chunk edge in streaming mode). */
const NEXT_UNKNOWN = -2;
/** `next` value: the match ends the stream. */
const NEXT_END = -1;
const NO_BYTES = new Uint8Array(0);

/** Streaming state of one byte stream; made by `Matcher.newState()` and only valid with that matcher. */
export class MatchState {
  /** Automaton state after the bytes scanned so far. */
  node = 0;
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

/** Aho–Corasick matcher over a fixed set of needles. */
export class Matcher {
  /** Number of needles (match callbacks report indexes into the constructor's array). */
  readonly needleCount: number;
  /** Bytes held by the matcher's tables (automaton plus needle bytes). */
  readonly byteSize: number;
  private readonly ac: Automaton;
  private readonly classOf: Uint8Array;
  private readonly pool: Uint8Array;
  private readonly poolStart: Int32Array;
  private readonly flags: Uint8Array;
  private readonly tailCapacity: number;
  /** Read-only empty-tail state for one-shot scans (never mutated, so `scan` is re-entrant). */
  private readonly blank: MatchState;

  /** Builds the automaton. Empty needles are accepted but never match. */
  constructor(needles: readonly Needle[], options: MatcherOptions = {}) {
    this.needleCount = needles.length;
    const patterns = needles.map((n) => n.bytes);
    const classes = buildByteClasses(patterns);
    this.classOf = classes.classOf;
    this.ac = buildAutomaton(
      patterns,
      classes.classOf,
      classes.count,
      options.denseCells ?? DEFAULT_DENSE_CELLS,
    );
    this.poolStart = new Int32Array(needles.length + 1);
    this.flags = new Uint8Array(needles.length);
    let total = 0;
    let maxLen = 0;
    for (let i = 0; i < needles.length; i++) {
      this.poolStart[i] = total;
      total += needles[i].bytes.length;
      maxLen = Math.max(maxLen, needles[i].bytes.length);
      this.flags[i] = needleFlags(needles[i]);
    }
    this.poolStart[needles.length] = total;
    this.pool = new Uint8Array(total);
    for (let i = 0; i < needles.length; i++) this.pool.set(needles[i].bytes, this.poolStart[i]);
    this.tailCapacity = maxLen + 1;
    this.blank = new MatchState(0);
    this.byteSize =
      automatonBytes(this.ac) + this.pool.byteLength + this.poolStart.byteLength + needles.length;
  }

  /** Calls onMatch for every needle occurrence (needle index, start, end exclusive) in data. */
  scan(data: Uint8Array, onMatch: OnMatch): void {
    this.run(this.blank, data, 0, true, onMatch);
  }

  /** A fresh streaming state (start of a stream). */
  newState(): MatchState {
    return new MatchState(this.tailCapacity);
  }

  /** Rewinds a state to the start of a new stream, so it can be reused without allocating. */
  resetState(state: MatchState): void {
    state.node = 0;
    state.tailLen = 0;
    state.streamOffset = 0;
    state.pending = false;
  }

  /**
   * Streaming: continues from `state`, so a value split across calls is found; `start` may then be negative
   * (bytes before this chunk; add `state.streamOffset` for a stream offset). A whole-word match that ends
   * exactly at the chunk's end is reported by the next non-empty call (once its next byte is known) or by
   * `flush`. Matches come in order of their end; ties in no particular order.
   */
  scanStream(state: MatchState, data: Uint8Array, onMatch: OnMatch): void {
    if (data.length === 0) return;
    if (state.pending) {
      state.pending = false;
      this.report(state, data, state.node, 0, data[0], true, onMatch);
    }
    state.node = this.run(state, data, state.node, false, onMatch);
    state.pending = this.ac.match[state.node] >= 0;
    this.keepTail(state, data);
    state.streamOffset += data.length;
  }

  /**
   * Ends a stream: reports whole-word matches that end at its last byte (positions relative to the stream's
   * end, so `end` is 0). The state may then be reset for another stream.
   */
  flush(state: MatchState, onMatch: OnMatch): void {
    if (!state.pending) return;
    state.pending = false;
    this.report(state, NO_BYTES, state.node, 0, NEXT_END, true, onMatch);
  }

  /** The scan loop; returns the automaton state after `data`. `last`: the data ends the stream. */
  private run(state: MatchState, data: Uint8Array, node: number, last: boolean, onMatch: OnMatch): number {
    const { classOf } = this;
    const { dense } = this.ac;
    const n = data.length;
    let t = encodeState(this.ac, node);
    for (let i = 0; i < n; i++) {
      const v = t >> 1;
      const c = classOf[data[i]];
      t = v >= 0 ? dense[v + c] : this.stepSparse(-v - 1, c);
      if ((t & 1) !== 0) {
        const next = i + 1 < n ? data[i + 1] : last ? NEXT_END : NEXT_UNKNOWN;
        this.report(state, data, decodeState(this.ac, t), i + 1, next, false, onMatch);
      }
    }
    return decodeState(this.ac, t);
  }

  /** Goto-or-fail from sparse state `s`; returns an encoded target. Amortised O(1) per byte. */
  private stepSparse(s: number, c: number): number {
    const { dense, stride, denseCount, childStart, childCls, childTgt, fail } = this.ac;
    for (;;) {
      if (s < denseCount) return dense[s * stride + c];
      const end = childStart[s + 1];
      for (let k = childStart[s]; k < end; k++) if (childCls[k] === c) return childTgt[k];
      s = fail[s];
    }
  }

  /**
   * Reports the needles that end at `end` in automaton state `s`. `next` is the byte at `end` (or
   * NEXT_END / NEXT_UNKNOWN); `deferred` replays only the whole-word needles held back at a chunk edge.
   */
  private report(
    state: MatchState,
    data: Uint8Array,
    s: number,
    end: number,
    next: number,
    deferred: boolean,
    onMatch: OnMatch,
  ): void {
    const { match, fail, outStart, outList } = this.ac;
    for (let x = match[s]; x >= 0; x = match[fail[x]]) {
      const stop = outStart[x + 1];
      for (let k = outStart[x]; k < stop; k++) {
        const p = outList[k];
        const f = this.flags[p];
        const whole = (f & WHOLE) !== 0;
        if (deferred && !whole) continue; // reported when the chunk was scanned
        const start = end - (this.poolStart[p + 1] - this.poolStart[p]);
        if (whole) {
          if (next === NEXT_UNKNOWN || (next >= 0 && WORD_BYTE[next] === 1)) continue;
          if (start - 1 >= -state.tailLen && WORD_BYTE[byteAt(state, data, start - 1)] === 1) continue;
        }
        if ((f & VERIFY) !== 0 && !this.exactAt(state, data, p, start)) continue;
        onMatch(p, start, end);
      }
    }
  }

  /** Compares needle `p` byte for byte with the haystack at `start` (the automaton matched it folded). */
  private exactAt(state: MatchState, data: Uint8Array, p: number, start: number): boolean {
    const from = this.poolStart[p];
    const len = this.poolStart[p + 1] - from;
    for (let j = 0; j < len; j++) if (this.pool[from + j] !== byteAt(state, data, start + j)) return false;
    return true;
  }

  /** Keeps the stream's last `tailCapacity` bytes (bounded copy, no allocation for short chunks). */
  private keepTail(state: MatchState, data: Uint8Array): void {
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
}

/** The byte at position `p` of the stream relative to `data` (negative: from the state's tail). */
function byteAt(state: MatchState, data: Uint8Array, p: number): number {
  return p >= 0 ? data[p] : state.tail[state.tailLen + p];
}

function needleFlags(n: Needle): number {
  let f = n.wholeWord === true ? WHOLE : 0;
  if (n.caseInsensitive !== true) {
    for (let i = 0; i < n.bytes.length; i++) {
      if (isAsciiLetter(n.bytes[i])) {
        f |= VERIFY;
        break;
      }
    }
  }
  return f;
}
