// findJsonError against V8's JSON.parse as the oracle: same verdict on every input, and the same position
// whenever V8's message names one.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { findJsonError, lineColumn } from "../../src/capture/har-json.ts";

/** V8's verdict: undefined when valid, else the position its message names (or -1 when it names none). */
function v8(text: string): number | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const m = / at position (\d+)/.exec((e as Error).message);
    return m ? Number(m[1]) : -1;
  }
}

function agrees(text: string): void {
  const want = v8(text);
  const got = findJsonError(text);
  if (want === undefined) assert.equal(got, undefined, JSON.stringify(text));
  else {
    assert.ok(got, `no error found in ${JSON.stringify(text)}`);
    if (want >= 0) assert.equal(got.pos, want, JSON.stringify(text));
  }
}

test("known errors: position and reason", () => {
  assert.deepEqual(findJsonError('{"a":1'), { pos: 6, reason: "unexpected end of input" });
  assert.deepEqual(findJsonError('{"a":}'), { pos: 5, reason: "unexpected '}'" });
  assert.deepEqual(findJsonError("[1,]"), { pos: 3, reason: "unexpected ']'" });
  assert.deepEqual(findJsonError('{"a" 1}'), {
    pos: 5,
    reason: "expected ':' after property name, found '1'",
  });
  assert.deepEqual(findJsonError("[1] x"), { pos: 4, reason: "unexpected data after the JSON value" });
  assert.deepEqual(findJsonError('"\u0001"'), { pos: 1, reason: "bad control character in string" });
  assert.deepEqual(findJsonError("[tru]"), { pos: 4, reason: "bad literal, expected 'true'" });
  assert.equal(findJsonError(' {"a":[1,2.5e-3,"x\\u00e9",true,null,{}]} '), undefined);
});

test("start skips a prefix such as a byte order mark", () => {
  assert.equal(findJsonError("\uFEFF[1]", 1), undefined);
  assert.deepEqual(findJsonError("\uFEFF[1", 1), { pos: 3, reason: "unexpected end of input" });
});

test("deep nesting does not overflow the stack", () => {
  const n = 1_000_000;
  assert.equal(findJsonError("[".repeat(n) + "]".repeat(n)), undefined);
  assert.deepEqual(findJsonError('{"a":'.repeat(n)), { pos: 5 * n, reason: "unexpected end of input" });
});

test("lineColumn counts lines from 1 and columns in characters", () => {
  assert.deepEqual(lineColumn("ab\ncd\nef", 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumn("ab\ncd\nef", 4), { line: 2, column: 2 });
  assert.deepEqual(lineColumn("ab\ncd\nef", 6), { line: 3, column: 1 });
});

const TOKENS = ["{", "}", "[", "]", ",", ":", '"', "\\", "u", "0", "1", "-", ".", "e", "+", "true", "nul"];
const MORE = [" ", "\n", '"a"', "\u0001", "12", "1.5E3", "\\u12g4", "\\n", "a", "é"];

test("agrees with JSON.parse on token soup", () => {
  const soup = fc.array(fc.constantFrom(...TOKENS, ...MORE), { maxLength: 24 }).map((a) => a.join(""));
  fc.assert(fc.property(soup, agrees), { numRuns: 10000 });
});

test("agrees with JSON.parse on random strings", () => {
  fc.assert(fc.property(fc.string({ maxLength: 30 }), agrees), { numRuns: 10000 });
});

test("agrees with JSON.parse on valid JSON with an edit", () => {
  fc.assert(
    fc.property(
      fc.json({ maxDepth: 4 }),
      fc.nat(),
      fc.nat(3),
      fc.string({ maxLength: 3 }),
      (j, at, cut, ins) => {
        const k = at % (j.length + 1);
        agrees(j);
        agrees(j.slice(0, k) + ins + j.slice(k + cut));
      },
    ),
    { numRuns: 10000 },
  );
});
