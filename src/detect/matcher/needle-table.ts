// The needles as the matcher checks them: all their bytes in one pool, and per needle the two checks a
// case-folded match of its key may still fail: exact case (case-sensitive needles with letters) and word
// boundaries (whole-word needles), judged with the stream's tail when the needle began in an earlier chunk.

import type { Needle } from "../detect-types.ts";
import { FOLD, isAsciiLetter, WORD_BYTE } from "./byte-classes.ts";
import { byteAt, type MatchState } from "./match-state.ts";

/** Needle flag: case-sensitive and has an ASCII letter, so a folded match must be checked for exact case. */
const VERIFY = 1;
/** Needle flag: whole word only. */
const WHOLE = 2;
/** `next` value: the byte after the match is not known yet (chunk edge in streaming mode). */
export const NEXT_UNKNOWN = -2;
/** `next` value: the match ends the stream. */
export const NEXT_END = -1;

/** Needle bytes and flags, indexed by needle number. */
export class NeedleTable {
  /** Every needle's bytes, back to back. */
  readonly pool: Uint8Array;
  /** Needle p's bytes are `pool[start[p], start[p+1])`. */
  readonly start: Int32Array;
  private readonly flags: Uint8Array;
  /** Some needle is whole-word only (matches at a chunk's end must then wait for the next byte). */
  readonly anyWhole: boolean;
  /** Length of the longest needle. */
  readonly maxLen: number;

  /** Copies the needles' bytes. */
  constructor(needles: readonly Needle[]) {
    this.start = new Int32Array(needles.length + 1);
    this.flags = new Uint8Array(needles.length);
    let total = 0;
    let maxLen = 0;
    for (let i = 0; i < needles.length; i++) {
      this.start[i] = total;
      total += needles[i].bytes.length;
      maxLen = Math.max(maxLen, needles[i].bytes.length);
      this.flags[i] = needleFlags(needles[i]);
    }
    this.start[needles.length] = total;
    this.pool = new Uint8Array(total);
    for (let i = 0; i < needles.length; i++) this.pool.set(needles[i].bytes, this.start[i]);
    this.anyWhole = this.flags.some((f) => (f & WHOLE) !== 0);
    this.maxLen = maxLen;
  }

  /** Length of needle p. */
  length(p: number): number {
    return this.start[p + 1] - this.start[p];
  }

  /** True when needle p matches in any ASCII case (no exact-case check). */
  folded(p: number): boolean {
    return (this.flags[p] & VERIFY) === 0;
  }

  /** Compares the haystack's [start, stop) with needle p's first bytes, both case-folded. */
  foldedAt(state: MatchState, data: Uint8Array, p: number, start: number, stop: number): boolean {
    const { pool } = this;
    const from = this.start[p] - start;
    for (let i = start; i < stop; i++)
      if (FOLD[pool[from + i]] !== FOLD[byteAt(state, data, i)]) return false;
    return true;
  }

  /**
   * Whether needle p, found case-folded at [start, start + length), stands after its whole-word and exact-case
   * checks. `next` is the byte after it (or NEXT_END / NEXT_UNKNOWN); `deferred` replays, at a chunk edge, only
   * the whole-word needles held back there (the others were reported when the chunk was scanned).
   */
  stands(
    state: MatchState,
    data: Uint8Array,
    p: number,
    start: number,
    next: number,
    deferred: boolean,
  ): boolean {
    const f = this.flags[p];
    const whole = (f & WHOLE) !== 0;
    if (deferred && !whole) return false;
    if (whole) {
      if (next === NEXT_UNKNOWN || (next >= 0 && WORD_BYTE[next] === 1)) return false;
      if (start - 1 >= -state.tailLen && WORD_BYTE[byteAt(state, data, start - 1)] === 1) return false;
    }
    return (f & VERIFY) === 0 || this.exactAt(state, data, p, start);
  }

  /** Compares needle p byte for byte with the haystack at `start`. */
  private exactAt(state: MatchState, data: Uint8Array, p: number, start: number): boolean {
    const from = this.start[p];
    const len = this.start[p + 1] - from;
    for (let j = 0; j < len; j++) if (this.pool[from + j] !== byteAt(state, data, start + j)) return false;
    return true;
  }

  /** Bytes held. */
  byteSize(): number {
    return this.pool.byteLength + this.start.byteLength + this.flags.byteLength;
  }
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
