// Matcher tests: textbook cases worked out by hand, case and whole-word semantics, streaming across chunk
// edges, and property tests against the naive reference search.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Needle } from "../../../src/detect/detect-types.ts";
import { Matcher } from "../../../src/detect/matcher/matcher.ts";
import { type Hit, naiveMatches, needle, sortHits } from "./naive-matcher.ts";

const enc = new TextEncoder();

function scanAll(m: Matcher, data: Uint8Array | string): Hit[] {
  const hits: Hit[] = [];
  m.scan(typeof data === "string" ? enc.encode(data) : data, (n, s, e) => hits.push([n, s, e]));
  return sortHits(hits);
}

/** Streams `chunks` through one state and returns stream-absolute positions (flush included). */
function streamAll(m: Matcher, chunks: Uint8Array[]): Hit[] {
  const st = m.newState();
  const hits: Hit[] = [];
  const on = (n: number, s: number, e: number): void => {
    hits.push([n, s + st.streamOffset, e + st.streamOffset]);
  };
  for (const c of chunks) m.scanStream(st, c, on);
  m.flush(st, on);
  return sortHits(hits);
}

function splitAt(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, data.length]) {
    out.push(data.subarray(prev, p));
    prev = p;
  }
  return out;
}

test("he/she/hers/his: all overlapping matches (worked by hand)", () => {
  const m = new Matcher(["he", "she", "hers", "his"].map((s) => needle(s)));
  // "ushers his": she@1-4, he@2-4, hers@2-6, his@7-10.
  assert.deepEqual(scanAll(m, "ushers his"), [
    [0, 2, 4],
    [1, 1, 4],
    [2, 2, 6],
    [3, 7, 10],
  ]);
  assert.equal(m.needleCount, 4);
});

test("needles that are prefixes and suffixes of others", () => {
  const m = new Matcher(["a", "ab", "abc", "bc", "c", "abcd"].map((s) => needle(s)));
  assert.deepEqual(scanAll(m, "xabcx"), [
    [0, 1, 2],
    [1, 1, 3],
    [2, 1, 4],
    [3, 2, 4],
    [4, 3, 4],
  ]);
  const rep = new Matcher([needle("aa"), needle("aaa")]);
  assert.deepEqual(scanAll(rep, "aaaa"), [
    [0, 0, 2],
    [0, 1, 3],
    [1, 0, 3],
    [0, 2, 4],
    [1, 1, 4],
  ]);
});

test("case-insensitive needles match any ASCII case; case-sensitive ones only their own", () => {
  const m = new Matcher([
    needle("li wei", { caseInsensitive: true }),
    needle("Li", {}),
    needle("ABC", {}),
    needle("abc", {}),
    needle("AbC", { caseInsensitive: true }), // contract says lower-cased, but upper case must still work
  ]);
  assert.deepEqual(scanAll(m, "LI WEI"), [[0, 0, 6]]);
  assert.deepEqual(scanAll(m, "Li Wei"), [
    [1, 0, 2],
    [0, 0, 6],
  ]);
  assert.deepEqual(scanAll(m, "abc"), [
    [3, 0, 3],
    [4, 0, 3],
  ]);
  assert.deepEqual(scanAll(m, "ABC aBc"), [
    [2, 0, 3],
    [4, 0, 3],
    [4, 4, 7],
  ]);
});

test("case folding is ASCII only: bytes 0xC0-0xDE do not fold", () => {
  const m = new Matcher([needle(new Uint8Array([0xe3, 0x61]), { caseInsensitive: true })]);
  assert.deepEqual(scanAll(m, new Uint8Array([0xc3, 0x41])), []);
  assert.deepEqual(scanAll(m, new Uint8Array([0xe3, 0x41])), [[0, 0, 2]]);
});

test("whole-word needles reject ASCII letters and digits around, accept anything else", () => {
  const m = new Matcher([needle("wei", { wholeWord: true, caseInsensitive: true })]);
  assert.deepEqual(scanAll(m, "wei"), [[0, 0, 3]]);
  assert.deepEqual(scanAll(m, "weiss"), []);
  assert.deepEqual(scanAll(m, "1wei"), []);
  assert.deepEqual(scanAll(m, "Weiwei"), []);
  assert.deepEqual(scanAll(m, "li WEI."), [[0, 3, 6]]);
  assert.deepEqual(scanAll(m, "_wei_"), [[0, 1, 4]]);
  assert.deepEqual(scanAll(m, new Uint8Array([0xc3, 0x77, 0x65, 0x69, 0x00])), [[0, 1, 4]]);
});

test("streaming: whole-word boundaries at chunk edges use the neighbouring chunks", () => {
  const m = new Matcher([needle("li wei", { wholeWord: true, caseInsensitive: true }), needle("ei")]);
  const chunks = (...s: string[]): Uint8Array[] => s.map((x) => enc.encode(x));
  // "x li weiss": "li wei" is not a whole word there; the plain "ei" (6..8) is still reported.
  assert.deepEqual(streamAll(m, chunks("x li w", "ei", "ss")), [[1, 6, 8]]);
  // Same, but the stream ends after "wei": the whole word is reported by flush.
  assert.deepEqual(streamAll(m, chunks("x li w", "ei")), [
    [0, 2, 8],
    [1, 6, 8],
  ]);
  // "ali wei!": the letter before the word comes from an earlier chunk.
  assert.deepEqual(streamAll(m, chunks("a", "", "li", " wei!")), [[1, 5, 7]]);
  // Empty chunks in between do not settle a pending match.
  assert.deepEqual(streamAll(m, chunks("li wei", "", "", "9")), [[1, 4, 6]]);
  assert.deepEqual(streamAll(m, chunks("li wei", "", "", "-")), [
    [0, 0, 6],
    [1, 4, 6],
  ]);
});

test("streaming: start is negative for bytes before the chunk and streamOffset locates the chunk", () => {
  const m = new Matcher([needle("SECRET")]);
  const st = m.newState();
  const seen: number[][] = [];
  const on = (n: number, s: number, e: number): void => {
    seen.push([n, s, e, st.streamOffset]);
  };
  m.scanStream(st, enc.encode("xxSEC"), on);
  m.scanStream(st, enc.encode("RET"), on);
  assert.deepEqual(seen, [[0, -3, 3, 5]]);
  m.resetState(st);
  seen.length = 0;
  m.scanStream(st, enc.encode("RET"), on);
  assert.deepEqual(seen, [], "reset forgets the previous stream");
});

test("case-sensitive check spans chunk edges", () => {
  const m = new Matcher([needle("AbCd"), needle("abcd", { caseInsensitive: true })]);
  const hay = enc.encode("zzAbcd AbCd");
  const parts = [hay.subarray(0, 3), hay.subarray(3, 8), hay.subarray(8)];
  assert.deepEqual(streamAll(m, parts), [
    [1, 2, 6],
    [0, 7, 11],
    [1, 7, 11],
  ]);
});

test("empty input, no needles, empty needles", () => {
  const m = new Matcher([needle("abc"), needle("")]);
  assert.deepEqual(scanAll(m, ""), []);
  assert.deepEqual(scanAll(m, "abc"), [[0, 0, 3]]);
  const none = new Matcher([]);
  assert.equal(none.needleCount, 0);
  assert.deepEqual(scanAll(none, "anything at all"), []);
  assert.deepEqual(streamAll(none, [enc.encode("x"), new Uint8Array(0)]), []);
});

test("duplicate needles are each reported", () => {
  const m = new Matcher([needle("dup", { label: "a" }), needle("dup", { label: "b" })]);
  assert.deepEqual(scanAll(m, "-dup-"), [
    [0, 1, 4],
    [1, 1, 4],
  ]);
});

test("needles over bytes 0x00-0xFF", () => {
  const all = new Uint8Array(256).map((_, i) => i);
  const nul = new Uint8Array([0x00, 0x00, 0xff]);
  const hi = new Uint8Array([0x80, 0x41]); // case-sensitive 'A'
  const m = new Matcher([needle(all), needle(nul), needle(hi)]);
  const hay = new Uint8Array([0x00, 0x00, 0x00, 0xff, 0x80, 0x61, 0x80, 0x41, ...all]);
  assert.deepEqual(scanAll(m, hay), [
    [1, 1, 4],
    [2, 6, 8], // not at 4..6: 0x61 is not the case-sensitive 0x41
    [0, 8, 264],
  ]);
});

test("scan may be called again from inside a match callback", () => {
  const m = new Matcher([needle("ab"), needle("b")]);
  const inner: Hit[] = [];
  const outer: Hit[] = [];
  m.scan(enc.encode("xab"), (n, s, e) => {
    outer.push([n, s, e]);
    m.scan(enc.encode("b"), (n2, s2, e2) => inner.push([n2, s2, e2]));
  });
  assert.deepEqual(sortHits(outer), [
    [0, 1, 3],
    [1, 2, 3],
  ]);
  assert.deepEqual(inner, [
    [1, 0, 1],
    [1, 0, 1],
  ]);
});

test("5,000 needles of 10-64 bytes fit well under 16 MB and are all found", () => {
  const rnd = mulberry32(7);
  const abc = "0123456789abcdefABCDEF+/=-_.@:";
  const needles: Needle[] = [];
  for (let i = 0; i < 5000; i++) {
    const len = 10 + Math.floor(rnd() * 55);
    let s = "";
    for (let j = 0; j < len; j++) s += abc[Math.floor(rnd() * abc.length)];
    needles.push(needle(s, { caseInsensitive: i % 3 === 0 }));
  }
  const m = new Matcher(needles);
  assert.ok(m.byteSize < 16 * 1024 * 1024, `byteSize ${m.byteSize}`);
  const picks = [0, 1, 2, 999, 2500, 4999];
  const hay = enc.encode(picks.map((i) => `~${new TextDecoder().decode(needles[i].bytes)}~`).join(""));
  const found = new Set(scanAll(m, hay).map((h) => h[0]));
  for (const i of picks) assert.ok(found.has(i), `needle ${i}`);
  assert.deepEqual(scanAll(m, hay), naiveMatches(needles, hay));
});

/** Small deterministic PRNG for test data. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- properties -------------------------------------------------------------------------------------------

/** Small alphabet so matches, case pairs and word boundaries happen often. */
const SMALL = [0x61, 0x41, 0x62, 0x42, 0x30, 0x20, 0x2d, 0x00, 0xff];
const smallBytes = (min: number, max: number) =>
  fc.array(fc.constantFrom(...SMALL), { minLength: min, maxLength: max }).map((a) => Uint8Array.from(a));
const needleArb = (bytes: fc.Arbitrary<Uint8Array>) =>
  fc
    .record({ bytes, ci: fc.boolean(), ww: fc.boolean() })
    .map((r) => needle(r.bytes, { caseInsensitive: r.ci, wholeWord: r.ww }));

test("property: matches equal the naive search (small alphabet, short and long keys)", () => {
  fc.assert(
    fc.property(
      fc.array(needleArb(smallBytes(1, 12)), { minLength: 1, maxLength: 12 }),
      smallBytes(0, 80),
      (needles, hay) => {
        const m = new Matcher(needles);
        assert.deepEqual(scanAll(m, hay), naiveMatches(needles, hay));
      },
    ),
    { numRuns: 10000 },
  );
});

test("property: any split of the haystack into chunks gives the same matches as one scan", () => {
  fc.assert(
    fc.property(
      fc.array(needleArb(smallBytes(1, 10)), { minLength: 1, maxLength: 10 }),
      smallBytes(0, 80),
      fc.array(fc.nat(), { maxLength: 8 }),
      (needles, hay, cuts) => {
        const m = new Matcher(needles);
        assert.deepEqual(streamAll(m, splitAt(hay, cuts)), naiveMatches(needles, hay));
      },
    ),
    { numRuns: 10000 },
  );
});

test("property: full byte range, planted needles are found exactly as the naive search finds them", () => {
  fc.assert(
    fc.property(
      fc.array(needleArb(fc.uint8Array({ minLength: 1, maxLength: 8 })), { minLength: 1, maxLength: 8 }),
      fc.uint8Array({ maxLength: 80 }),
      fc.nat(),
      fc.nat(),
      (needles, noise, which, at) => {
        const plant = needles[which % needles.length].bytes;
        const pos = at % (noise.length + 1);
        const hay = new Uint8Array([...noise.subarray(0, pos), ...plant, ...noise.subarray(pos)]);
        const m = new Matcher(needles);
        const got = scanAll(m, hay);
        assert.deepEqual(got, naiveMatches(needles, hay));
      },
    ),
    { numRuns: 10000 },
  );
});

/** A haystack stitched from needle copies (some with flipped ASCII case) and noise, so long needles recur. */
const stitched = (needles: fc.Arbitrary<Needle[]>) =>
  needles.chain((ns) =>
    fc
      .array(
        fc.oneof(
          fc.record({ n: fc.nat(ns.length - 1), flip: fc.boolean() }),
          smallBytes(0, 4).map((b) => ({ b })),
        ),
        { maxLength: 12 },
      )
      .map((parts) => {
        const out: number[] = [];
        for (const part of parts) {
          if ("b" in part) out.push(...part.b);
          else for (const x of ns[part.n].bytes) out.push(part.flip ? x ^ (isLetter(x) ? 0x20 : 0) : x);
        }
        return { needles: ns, hay: Uint8Array.from(out) };
      }),
  );

const isLetter = (b: number): boolean => (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;

test("property: long needles (suffix filter and skip loop) equal the naive search, whole and in chunks", () => {
  const longish = fc.array(needleArb(smallBytes(1, 20)), { minLength: 1, maxLength: 8 });
  fc.assert(
    fc.property(stitched(longish), fc.array(fc.nat(), { maxLength: 6 }), ({ needles, hay }, cuts) => {
      const m = new Matcher(needles);
      const want = naiveMatches(needles, hay);
      assert.deepEqual(scanAll(m, hay), want);
      assert.deepEqual(streamAll(m, splitAt(hay, cuts)), want);
    }),
    { numRuns: 10000 },
  );
});

test("property: long needles over the full byte range, planted in random bytes", () => {
  fc.assert(
    fc.property(
      fc.array(needleArb(fc.uint8Array({ minLength: 8, maxLength: 40 })), { minLength: 1, maxLength: 6 }),
      fc.uint8Array({ maxLength: 200 }),
      fc.nat(),
      fc.nat(),
      fc.array(fc.nat(), { maxLength: 4 }),
      (needles, noise, which, at, cuts) => {
        const plant = needles[which % needles.length].bytes;
        const pos = at % (noise.length + 1);
        const hay = new Uint8Array([...noise.subarray(0, pos), ...plant, ...noise.subarray(pos)]);
        const m = new Matcher(needles);
        const want = naiveMatches(needles, hay);
        const planted = needles[which % needles.length];
        if (!planted.wholeWord)
          assert.ok(
            want.some((h) => h[1] === pos),
            "the plant is there",
          );
        assert.deepEqual(scanAll(m, hay), want);
        assert.deepEqual(streamAll(m, splitAt(hay, cuts)), want);
      },
    ),
    { numRuns: 10000 },
  );
});
