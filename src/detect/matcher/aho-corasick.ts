// The Aho–Corasick automaton behind the matcher, as flat typed arrays: a trie over byte classes, failure
// links, full DFA rows for the states nearest the root (where almost all scanning time is spent) and sparse
// child lists below them, plus per-state output lists joined by dictionary-suffix links.
//
// Transition targets are stored encoded as `(v << 1) | hasOutput`, where v is the target's dense row offset
// (`state * stride`, ≥ 0) or `-(state + 1)` for a sparse state: the scan loop learns whether the new state
// reports anything, and where its row is, without a multiply or a second table lookup.

/** Default budget for the dense rows, in cells (Int32): 1 MiB, so the hot rows mostly stay in cache. */
export const DEFAULT_DENSE_CELLS = 1 << 18;

/** The built automaton. State 0 is the root; states are numbered in breadth-first order. */
export interface Automaton {
  /** Number of states. */
  stateCount: number;
  /** Row width of the dense table (the number of byte classes). */
  stride: number;
  /** States `0 .. denseCount-1` have a full row in `dense`; the others use the sparse lists. */
  denseCount: number;
  /** Encoded targets, `denseCount * stride` cells. */
  dense: Int32Array;
  /** Sparse children of state s: entries `childStart[s] .. childStart[s+1]-1`. */
  childStart: Int32Array;
  /** Class of each sparse child edge. */
  childCls: Uint8Array;
  /** Encoded target of each sparse child edge. */
  childTgt: Int32Array;
  /** Failure link of each state (plain state number; the root's is itself). */
  fail: Int32Array;
  /** Nearest state on the failure chain (itself included) with outputs of its own, or -1. */
  match: Int32Array;
  /** Own outputs of state s: `outList[outStart[s] .. outStart[s+1]-1]` (pattern numbers). */
  outStart: Int32Array;
  /** Pattern numbers, grouped by state. */
  outList: Int32Array;
}

/** Bytes held by the automaton's tables. */
export function automatonBytes(a: Automaton): number {
  return (
    a.dense.byteLength +
    a.childStart.byteLength +
    a.childCls.byteLength +
    a.childTgt.byteLength +
    a.fail.byteLength +
    a.match.byteLength +
    a.outStart.byteLength +
    a.outList.byteLength
  );
}

/** A linked-list trie in insertion order (construction only). */
interface Trie {
  size: number;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  edgeCls: Uint8Array;
  outHead: Int32Array;
  outNext: Int32Array;
}

function buildTrie(patterns: readonly Uint8Array[], classOf: Uint8Array): Trie {
  let maxNodes = 1;
  for (const p of patterns) maxNodes += p.length;
  const t: Trie = {
    size: 1,
    firstChild: new Int32Array(maxNodes).fill(-1),
    nextSibling: new Int32Array(maxNodes).fill(-1),
    edgeCls: new Uint8Array(maxNodes),
    outHead: new Int32Array(maxNodes).fill(-1),
    outNext: new Int32Array(patterns.length).fill(-1),
  };
  for (let p = 0; p < patterns.length; p++) {
    const bytes = patterns[p];
    if (bytes.length === 0) continue; // an empty needle would match everywhere: never reported
    let node = 0;
    for (let i = 0; i < bytes.length; i++) {
      const c = classOf[bytes[i]];
      let k = t.firstChild[node];
      while (k >= 0 && t.edgeCls[k] !== c) k = t.nextSibling[k];
      if (k < 0) {
        k = t.size++;
        t.edgeCls[k] = c;
        t.nextSibling[k] = t.firstChild[node];
        t.firstChild[node] = k;
      }
      node = k;
    }
    t.outNext[p] = t.outHead[node];
    t.outHead[node] = p;
  }
  return t;
}

/** Renumbers the trie breadth-first and lays out children and outputs as flat lists. */
function layout(t: Trie, stride: number, denseCells: number): Automaton {
  const n = t.size;
  const order = new Int32Array(n);
  const newId = new Int32Array(n);
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    newId[order[head]] = head;
    for (let k = t.firstChild[order[head]]; k >= 0; k = t.nextSibling[k]) order[tail++] = k;
  }
  const childStart = new Int32Array(n + 1);
  const childCls = new Uint8Array(Math.max(0, n - 1));
  const childTgt = new Int32Array(Math.max(0, n - 1));
  const outStart = new Int32Array(n + 1);
  const outList = new Int32Array(t.outNext.length);
  let e = 0;
  let o = 0;
  for (let s = 0; s < n; s++) {
    const old = order[s];
    childStart[s] = e;
    for (let k = t.firstChild[old]; k >= 0; k = t.nextSibling[k]) {
      childCls[e] = t.edgeCls[k];
      childTgt[e++] = newId[k];
    }
    outStart[s] = o;
    for (let p = t.outHead[old]; p >= 0; p = t.outNext[p]) outList[o++] = p;
  }
  childStart[n] = e;
  outStart[n] = o;
  // Row offsets must stay below 2^30 to survive the one-bit shift of the encoding.
  const cells = Math.min(denseCells, 1 << 29);
  const denseCount = Math.max(1, Math.min(n, Math.floor(cells / stride)));
  return {
    stateCount: n,
    stride,
    denseCount,
    dense: new Int32Array(denseCount * stride),
    childStart,
    childCls,
    childTgt,
    fail: new Int32Array(n),
    match: new Int32Array(n).fill(-1),
    outStart,
    outList: o === outList.length ? outList : outList.slice(0, o),
  };
}

/** Goto-or-fail step on plain (unencoded) sparse targets; used only while building. */
function stepPlain(a: Automaton, s: number, c: number): number {
  for (;;) {
    if (s < a.denseCount) return a.dense[s * a.stride + c] >>> 1;
    const end = a.childStart[s + 1];
    for (let k = a.childStart[s]; k < end; k++) if (a.childCls[k] === c) return a.childTgt[k];
    s = a.fail[s];
  }
}

/**
 * Builds the automaton over `patterns` (pattern number = index; empty patterns never match). Bytes are
 * mapped through `classOf` (`classCount` classes). `denseCells` bounds the dense table's size.
 */
export function buildAutomaton(
  patterns: readonly Uint8Array[],
  classOf: Uint8Array,
  classCount: number,
  denseCells: number = DEFAULT_DENSE_CELLS,
): Automaton {
  const a = layout(buildTrie(patterns, classOf), classCount, denseCells);
  const { stride, dense, childStart, childCls, childTgt, fail, match, outStart } = a;
  // Breadth-first order means every failure target (strictly shallower) is finished before it is needed,
  // and the dense states are a prefix of that order, so a dense state's failure state is dense too.
  for (let s = 0; s < a.stateCount; s++) {
    const end = childStart[s + 1];
    for (let k = childStart[s]; k < end; k++) {
      const t = childTgt[k];
      fail[t] = s === 0 ? 0 : stepPlain(a, fail[s], childCls[k]);
      match[t] = outStart[t + 1] > outStart[t] ? t : match[fail[t]];
    }
    if (s < a.denseCount) {
      const row = s * stride;
      const from = fail[s] * stride;
      for (let c = 0; c < stride; c++) dense[row + c] = s === 0 ? 0 : dense[from + c];
      for (let k = childStart[s]; k < end; k++) {
        const t = childTgt[k];
        dense[row + childCls[k]] = (t << 1) | (match[t] >= 0 ? 1 : 0);
      }
    }
  }
  for (let k = 0; k < dense.length; k++) dense[k] = encodeState(a, dense[k] >>> 1);
  for (let k = 0; k < childTgt.length; k++) childTgt[k] = encodeState(a, childTgt[k]);
  return a;
}

/** Encodes state `s` as a transition target (row offset or negative sparse id, with the output bit). */
export function encodeState(a: Automaton, s: number): number {
  const v = s < a.denseCount ? s * a.stride : -(s + 1);
  return (v << 1) | (a.match[s] >= 0 ? 1 : 0);
}

/** The state number of an encoded transition target. */
export function decodeState(a: Automaton, t: number): number {
  const v = t >> 1;
  return v >= 0 ? v / a.stride : -v - 1;
}
