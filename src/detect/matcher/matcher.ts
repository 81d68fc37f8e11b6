// The multi-pattern matcher: finds every occurrence of every needle (profile value variant) in a payload
// in one pass, whatever the number of needles. Needles are filed under their last bytes (key-filter.ts):
// eight for the long ones, which are nearly all of a profile's, and the shortest short needle's length for
// the rest. The scan jumps over windows the skip tables rule out and hashes the others, so its cost grows
// little with the number of needles and falls on bytes no needle contains. Case-sensitive needles with
// letters get an exact-case check when they match, and whole-word needles get their boundary check.
// Streaming keeps a short tail of past bytes so a value split across chunks is found, and judges boundaries
// and case at chunk edges exactly as a single scan would.

import type { Needle } from "../detect-types.ts";
import { FOLD } from "./byte-classes.ts";
import {
  buildKeyFilter,
  findSlot,
  K_HI,
  K_LO,
  type KeyFilter,
  keyFilterBytes,
  MAX_KEY_BYTES,
  mayHold,
} from "./key-filter.ts";
import { keepTail, MatchState } from "./match-state.ts";
import { NEXT_END, NEXT_UNKNOWN, NeedleTable } from "./needle-table.ts";
import { buildSkipTables, type SkipTables, skipTablesBytes } from "./skip-tables.ts";

export { MatchState } from "./match-state.ts";

/** Receives one match: the needle's index, and its byte range [start, end) relative to the scanned data. */
export type OnMatch = (needle: number, start: number, end: number) => void;

const NO_BYTES = new Uint8Array(0);
const KEY = MAX_KEY_BYTES;

/** Multi-pattern matcher over a fixed set of needles. */
export class Matcher {
  /** Number of needles (match callbacks report indexes into the constructor's array). */
  readonly needleCount: number;
  /** Bytes held by the matcher's tables (filters, skip tables and needle bytes). */
  readonly byteSize: number;
  /** Needles of MAX_KEY_BYTES bytes or more. */
  private readonly long: KeyFilter;
  /** Shorter needles, keyed on the shortest one's length; undefined when there are none. */
  private readonly short: KeyFilter | undefined;
  private readonly skips: SkipTables;
  private readonly table: NeedleTable;
  /** A lower bound on the length of the shortest needle, > 0; 0 when no needle can ever match. */
  private readonly minLen: number;
  /** Read-only empty-tail state for one-shot scans (never mutated, so `scan` is re-entrant). */
  private readonly blank = new MatchState(0);
  private lastBuffer: ArrayBufferLike = new ArrayBuffer(0);
  private lastView = new DataView(this.lastBuffer);

  /** Builds the tables. Empty needles are accepted but never match. */
  constructor(needles: readonly Needle[]) {
    this.needleCount = needles.length;
    this.table = new NeedleTable(needles);
    const bytes = needles.map((n) => n.bytes);
    const long: number[] = [];
    const short: number[] = [];
    let minShort = KEY;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i].length >= KEY) long.push(i);
      else if (bytes[i].length > 0) {
        short.push(i);
        minShort = Math.min(minShort, bytes[i].length);
      }
    }
    this.long = buildKeyFilter(bytes, long, KEY, needles.length);
    this.short = short.length > 0 ? buildKeyFilter(bytes, short, minShort, needles.length) : undefined;
    const keyOf = (p: number) => (bytes[p].length >= KEY ? KEY : minShort);
    // Needles with no exact-case check match in any case, so each case form of their keys must stop a skip.
    const folded = (p: number) => this.table.folded(p);
    this.skips = buildSkipTables(bytes, long.concat(short), keyOf, folded, minShort);
    this.minLen = short.length > 0 ? minShort : long.length > 0 ? KEY : 0;
    this.byteSize =
      keyFilterBytes(this.long) +
      (this.short ? keyFilterBytes(this.short) : 0) +
      skipTablesBytes(this.skips) +
      this.table.byteSize();
  }

  /** Calls onMatch for every needle occurrence (needle index, start, end exclusive) in data. */
  scan(data: Uint8Array, onMatch: OnMatch): void {
    this.run(this.blank, data, true, onMatch);
  }

  /** A fresh streaming state (start of a stream). */
  newState(): MatchState {
    return new MatchState(this.table.maxLen + 1);
  }

  /** Rewinds a state to the start of a new stream, so it can be reused without allocating. */
  resetState(state: MatchState): void {
    state.lo = 0;
    state.hi = 0;
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
      this.candidates(state, data, state.lo, state.hi, 0, data[0], true, onMatch);
    }
    this.run(state, data, false, onMatch);
    state.pending = this.table.anyWhole && this.mayEndHere(state.lo, state.hi);
    keepTail(state, data);
    state.streamOffset += data.length;
  }

  /**
   * Ends a stream: reports whole-word matches that end at its last byte (positions relative to the stream's
   * end, so `end` is 0). The state may then be reset for another stream.
   */
  flush(state: MatchState, onMatch: OnMatch): void {
    if (!state.pending) return;
    state.pending = false;
    this.candidates(state, NO_BYTES, state.lo, state.hi, 0, NEXT_END, true, onMatch);
  }

  /**
   * One chunk. Windows ending in its first KEY − 1 bytes reach back into earlier chunks: they are rolled in
   * byte by byte. From there on the skip loop reads whole windows from the chunk itself.
   */
  private run(state: MatchState, data: Uint8Array, last: boolean, onMatch: OnMatch): void {
    if (this.minLen === 0) return; // no needle can match (a run without a profile)
    const n = data.length;
    const head = Math.min(n, KEY - 1);
    // With no earlier bytes (a one-shot scan), nothing ends before the shortest needle's length.
    const from = state === this.blank ? this.minLen : 1;
    let lo = state.lo;
    let hi = state.hi;
    for (let i = 0; i < head; i++) {
      hi = (hi << 8) | (lo >>> 24);
      lo = (lo << 8) | FOLD[data[i]];
      if (i + 1 >= from && this.mayEndHere(lo, hi)) {
        const next = i + 1 < n ? data[i + 1] : last ? NEXT_END : NEXT_UNKNOWN;
        this.candidates(state, data, lo, hi, i + 1, next, false, onMatch);
      }
    }
    if (n >= KEY) {
      this.skipLoop(state, data, last, onMatch);
      lo =
        (FOLD[data[n - 4]] << 24) | (FOLD[data[n - 3]] << 16) | (FOLD[data[n - 2]] << 8) | FOLD[data[n - 1]];
      hi =
        (FOLD[data[n - 8]] << 24) | (FOLD[data[n - 7]] << 16) | (FOLD[data[n - 6]] << 8) | FOLD[data[n - 5]];
    }
    if (state !== this.blank) {
      state.lo = lo;
      state.hi = hi;
    }
  }

  /**
   * Windows ending at KEY .. n. The skip tables say how far the next window that could be a key lies (up to
   * KEY − 1 bytes on when the last two bytes occur in no key); only windows at distance 0 are hashed.
   */
  private skipLoop(state: MatchState, data: Uint8Array, last: boolean, onMatch: OnMatch): void {
    const { skip2, skip4, skip4Shift } = this.skips;
    const { bits, shift } = this.long;
    const n = data.length;
    const dv = this.viewOf(data);
    const base = data.byteOffset;
    let p = KEY;
    while (p <= n) {
      const s = skip2[(data[p - 2] << 8) | data[p - 1]];
      if (s !== 0) {
        p += s;
        continue;
      }
      const w = dv.getInt32(base + p - 4);
      const s4 = skip4[Math.imul(w, K_LO) >>> skip4Shift];
      if (s4 !== 0) {
        p += s4;
        continue;
      }
      const lo = fold32(w);
      const hi = fold32(dv.getInt32(base + p - 8));
      const h = Math.imul(lo ^ Math.imul(hi, K_HI), K_LO) >>> shift;
      if ((bits[h >>> 5] & (1 << h)) !== 0 || (this.short !== undefined && mayHold(this.short, lo, hi))) {
        const next = p < n ? data[p] : last ? NEXT_END : NEXT_UNKNOWN;
        this.candidates(state, data, lo, hi, p, next, false, onMatch);
      }
      p++;
    }
  }

  /**
   * A DataView of the whole buffer under `data` (index it with `data.byteOffset`), kept for the next scan:
   * the leaves of one payload are views of the same buffer, and a DataView per scan would be garbage.
   */
  private viewOf(data: Uint8Array): DataView {
    if (data.buffer !== this.lastBuffer) {
      this.lastBuffer = data.buffer;
      this.lastView = new DataView(data.buffer);
    }
    return this.lastView;
  }

  /** True when a needle of either filter may end with window (lo, hi). */
  private mayEndHere(lo: number, hi: number): boolean {
    return mayHold(this.long, lo, hi) || (this.short !== undefined && mayHold(this.short, lo, hi));
  }

  /**
   * Reports the needles that end at `end` with window (lo, hi). `next` is the byte at `end` (or NEXT_END /
   * NEXT_UNKNOWN); `deferred` replays, at a chunk edge, only the whole-word needles held back there.
   */
  private candidates(
    state: MatchState,
    data: Uint8Array,
    lo: number,
    hi: number,
    end: number,
    next: number,
    deferred: boolean,
    onMatch: OnMatch,
  ): void {
    this.filed(this.long, state, data, lo, hi, end, next, deferred, onMatch);
    if (this.short) this.filed(this.short, state, data, lo, hi, end, next, deferred, onMatch);
  }

  /** The needles of filter `f` filed under window (lo, hi) that really end at `end`. */
  private filed(
    f: KeyFilter,
    state: MatchState,
    data: Uint8Array,
    lo: number,
    hi: number,
    end: number,
    next: number,
    deferred: boolean,
    onMatch: OnMatch,
  ): void {
    const kLo = lo & f.loMask;
    const kHi = hi & f.hiMask;
    const slot = findSlot(f, kLo, kHi, Math.imul(kLo ^ Math.imul(kHi, K_HI), K_LO) >>> f.shift);
    const t = this.table;
    for (let p = f.first[slot]; p >= 0; p = f.next[p]) {
      const start = end - t.length(p);
      if (start < -state.tailLen || !t.foldedAt(state, data, p, start, end - f.keyBytes)) continue;
      if (t.stands(state, data, p, start, next, deferred)) onMatch(p, start, end);
    }
  }
}

/** ASCII-lower-cases the four bytes of a word at once (A–Z only, as FOLD does byte by byte). */
function fold32(w: number): number {
  const t = w & 0x7f7f7f7f;
  const atLeastA = (t + 0x3f3f3f3f) & ~w & 0x80808080;
  const pastZ = (t + 0x25252525) & 0x80808080;
  return w | ((atLeastA & ~pastZ) >>> 2);
}
