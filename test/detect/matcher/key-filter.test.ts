// Key filter tests: windows are masked to the key's length, every filed needle passes its key's bitmap and
// is found in its chain (in needle order), and windows that are no key rarely pass.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildKeyFilter,
  findSlot,
  keyWords,
  log2Ceil,
  MAX_KEY_BYTES,
  mayHold,
  windowHash,
} from "../../../src/detect/matcher/key-filter.ts";

const enc = new TextEncoder();

/** The chain of needles filed under the key of `bytes`. */
function chainOf(f: ReturnType<typeof buildKeyFilter>, bytes: Uint8Array): number[] {
  const [lo, hi] = keyWords(bytes, f.keyBytes);
  const out: number[] = [];
  for (let p = f.first[findSlot(f, lo, hi, windowHash(lo, hi, f.shift))]; p >= 0; p = f.next[p]) out.push(p);
  return out;
}

test("key words: the last k bytes, ASCII-folded, newest byte lowest (worked by hand)", () => {
  // "xyzABCDEFGH": last 8 = "ABCDEFGH" folded "abcdefgh": hi = "abcd", lo = "efgh".
  assert.deepEqual(keyWords(enc.encode("xyzABCDEFGH"), 8), [0x65666768, 0x61626364]);
  assert.deepEqual(keyWords(enc.encode("xyzABC"), 3), [0x616263, 0]);
  assert.deepEqual(keyWords(enc.encode("a1B2c"), 5), [0x31623263, 0x61]);
});

test("log2Ceil", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 1024, 1025].map(log2Ceil), [0, 1, 2, 2, 3, 10, 11]);
});

test("needles sharing a key share a chain, in ascending order; unfiled ones are in none", () => {
  const needles = ["0123456789abcdef", "ZZ89ABCDEF", "89abcdef", "fedcba9876543210", "short"].map((s) =>
    enc.encode(s),
  );
  const f = buildKeyFilter(needles, [0, 1, 2, 3], MAX_KEY_BYTES, needles.length);
  assert.deepEqual(chainOf(f, enc.encode("89ABCDEF")), [0, 1, 2]);
  assert.deepEqual(chainOf(f, needles[3]), [3]);
  assert.deepEqual(chainOf(f, enc.encode("00000000")), []);
});

test("masks: a window's bytes beyond the key's length do not matter", () => {
  const needles = [enc.encode("abc"), enc.encode("xxabc")];
  const f = buildKeyFilter(needles, [0, 1], 3, 2);
  // Window "...qrstuABC": only the last three bytes count.
  const [lo, hi] = keyWords(enc.encode("qrstuABC"), 8);
  assert.ok(mayHold(f, lo, hi));
  assert.deepEqual(chainOf(f, enc.encode("ABC")), [0, 1]);
});

test("every filed key passes; random windows rarely do (about 1 in 64 keys per bit)", () => {
  let seed = 12345;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    return (seed >>> 16) & 0xff;
  };
  const needles = Array.from({ length: 10000 }, () => Uint8Array.from({ length: 12 }, rnd));
  const f = buildKeyFilter(
    needles,
    needles.map((_, i) => i),
    MAX_KEY_BYTES,
    needles.length,
  );
  for (const n of needles) {
    const [lo, hi] = keyWords(n, MAX_KEY_BYTES);
    assert.ok(mayHold(f, lo, hi));
  }
  let pass = 0;
  const trials = 100000;
  for (let i = 0; i < trials; i++) {
    const w = Uint8Array.from({ length: 8 }, rnd);
    const [lo, hi] = keyWords(w, MAX_KEY_BYTES);
    if (mayHold(f, lo, hi)) pass++;
  }
  // 10,000 keys in a bitmap of 2^20 bits: at most ~1% of other windows should pass.
  assert.ok(pass / trials < 0.02, `false-positive rate ${pass / trials}`);
});
