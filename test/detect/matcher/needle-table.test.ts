// Needle table tests: the pool holds every needle's bytes, and a folded match stands or falls by the
// needle's exact-case and whole-word checks, including bytes from an earlier chunk (the state's tail).

import assert from "node:assert/strict";
import { test } from "node:test";
import { keepTail, MatchState } from "../../../src/detect/matcher/match-state.ts";
import { NEXT_END, NEXT_UNKNOWN, NeedleTable } from "../../../src/detect/matcher/needle-table.ts";
import { needle } from "./naive-matcher.ts";

const enc = new TextEncoder();

test("pool, lengths and the longest needle", () => {
  const t = new NeedleTable([needle("abc"), needle(""), needle("defgh")]);
  assert.deepEqual([...t.pool], [...enc.encode("abcdefgh")]);
  assert.deepEqual(
    [0, 1, 2].map((p) => t.length(p)),
    [3, 0, 5],
  );
  assert.equal(t.maxLen, 5);
  assert.equal(t.anyWhole, false);
});

test("exact case: a case-sensitive needle with letters needs its own case; digits and ci needles do not", () => {
  const t = new NeedleTable([needle("AbC"), needle("123"), needle("abc", { caseInsensitive: true })]);
  const blank = new MatchState(0);
  assert.equal(t.folded(0), false);
  assert.equal(t.folded(1), true);
  assert.equal(t.folded(2), true);
  assert.equal(t.stands(blank, enc.encode("AbC"), 0, 0, NEXT_END, false), true);
  assert.equal(t.stands(blank, enc.encode("abc"), 0, 0, NEXT_END, false), false);
  assert.equal(t.stands(blank, enc.encode("ABC"), 2, 0, NEXT_END, false), true);
});

test("whole words: letters or digits around reject, the next byte must be known, deferred replays only them", () => {
  const t = new NeedleTable([needle("wei", { wholeWord: true, caseInsensitive: true }), needle("ei")]);
  const blank = new MatchState(0);
  const hay = enc.encode("li wei.");
  assert.equal(t.anyWhole, true);
  assert.equal(t.stands(blank, hay, 0, 3, 0x2e, false), true);
  assert.equal(t.stands(blank, hay, 0, 3, 0x73, false), false, "weis");
  assert.equal(t.stands(blank, hay, 0, 3, NEXT_UNKNOWN, false), false, "waits for the next chunk");
  assert.equal(t.stands(blank, enc.encode("xwei"), 0, 1, NEXT_END, false), false, "xwei");
  assert.equal(t.stands(blank, hay, 1, 4, 0x2e, true), false, "deferred: only whole-word needles");
});

test("a match that began in an earlier chunk is checked against the tail", () => {
  const t = new NeedleTable([needle("SeCrEt", { wholeWord: true })]);
  const st = new MatchState(t.maxLen + 1);
  keepTail(st, enc.encode("zz-SeC"));
  const chunk = enc.encode("rEt!");
  // The needle starts 3 bytes before the chunk: "SeC" is in the tail, "-" before it is not a word byte.
  assert.equal(t.foldedAt(st, chunk, 0, -3, 0), true);
  assert.equal(t.stands(st, chunk, 0, -3, 0x21, false), true);
  const st2 = new MatchState(t.maxLen + 1);
  keepTail(st2, enc.encode("zzxsec"));
  assert.equal(t.foldedAt(st2, chunk, 0, -3, 0), true, "folded: same letters");
  assert.equal(t.stands(st2, chunk, 0, -3, 0x21, false), false, "wrong case and a letter before it");
});

test("the tail keeps the stream's last bytes, whatever the chunk sizes", () => {
  const st = new MatchState(5);
  for (const c of ["ab", "", "cdefg", "h", "ij"]) keepTail(st, enc.encode(c));
  assert.equal(Buffer.from(st.tail.subarray(0, st.tailLen)).toString(), "fghij");
  const long = new MatchState(40);
  keepTail(long, enc.encode(`${"x".repeat(50)}0123456789`));
  assert.equal(Buffer.from(long.tail.subarray(30, 40)).toString(), "0123456789");
});
