import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { globMatch } from "../../src/judge/glob.ts";

/** Reference: the same glob as an anchored regular expression (fine for the short strings tested here). */
function viaRegex(pattern: string, text: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "s").test(text);
}

test("star spans labels, question mark is one character, the whole name must match", () => {
  assert.ok(globMatch("*.example.org", "a.b.example.org"));
  assert.ok(!globMatch("*.example.org", "example.org"));
  assert.ok(globMatch("api.?.example", "api.x.example"));
  assert.ok(!globMatch("api.?.example", "api.xy.example"));
  assert.ok(globMatch("*", ""));
  assert.ok(!globMatch("", "a"));
  assert.ok(!globMatch("example.org", "example.org.evil"));
});

test("property: agrees with the regular-expression reading of the glob", () => {
  const alphabet = fc.constantFrom("a", "b", ".", "*", "?");
  const text = fc.string({ unit: fc.constantFrom("a", "b", "."), maxLength: 12 });
  fc.assert(
    fc.property(
      fc.string({ unit: alphabet, maxLength: 8 }),
      text,
      (p, t) => globMatch(p, t) === viaRegex(p, t),
    ),
    { numRuns: 10000 },
  );
});

test("a hostile pattern on a long name finishes quickly", () => {
  const start = process.hrtime.bigint();
  assert.ok(!globMatch(`${"*a".repeat(100)}b`, "a".repeat(253)));
  assert.ok(Number(process.hrtime.bigint() - start) / 1e6 < 500);
});
