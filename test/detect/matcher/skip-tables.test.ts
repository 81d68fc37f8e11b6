// Skip table tests: the tables never skip past a window where some needle's key ends (checked against the
// definition by brute force on random needles and text), and they do skip on bytes no key contains.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { FOLD } from "../../../src/detect/matcher/byte-classes.ts";
import { K_LO } from "../../../src/detect/matcher/key-filter.ts";
import { buildSkipTables } from "../../../src/detect/matcher/skip-tables.ts";

/** True when needle `n`'s key (its last `key` bytes) ends at `end` in `hay`, compared folded or exactly. */
function keyEndsAt(hay: Uint8Array, end: number, n: Uint8Array, key: number, folded: boolean): boolean {
  if (end - key < 0 || end > hay.length) return false;
  for (let j = 0; j < key; j++) {
    const a = hay[end - key + j];
    const b = n[n.length - key + j];
    if (folded ? FOLD[a] !== FOLD[b] : a !== b) return false;
  }
  return true;
}

const SMALL = [0x61, 0x41, 0x62, 0x42, 0x30, 0x31, 0xff];
const bytes = (min: number, max: number) =>
  fc.array(fc.constantFrom(...SMALL), { minLength: min, maxLength: max }).map((a) => Uint8Array.from(a));

test("property: no skip jumps over a window where a key ends", () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ b: bytes(3, 12), folded: fc.boolean() }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.oneof(bytes(0, 5), fc.nat(5)), { minLength: 2, maxLength: 10 }),
      (ns, parts) => {
        // The haystack: noise and copies of the needles, so keys do end in it.
        const hay = Uint8Array.from(
          parts
            .flatMap((x) => (typeof x === "number" ? [...ns[x % ns.length].b] : [...x]))
            .concat([0, 0, 0, 0]),
        );
        const needles = ns.map((x) => x.b);
        const minLen = Math.min(...needles.map((b) => b.length));
        const keyOf = (p: number) => (needles[p].length >= 8 ? 8 : minLen);
        const t = buildSkipTables(
          needles,
          needles.map((_, i) => i),
          keyOf,
          (p) => ns[p].folded,
          Math.min(minLen, 8),
        );
        const dv = new DataView(hay.buffer, hay.byteOffset, hay.length);
        for (let p = 8; p <= hay.length; p++) {
          const s2 = t.skip2[(hay[p - 2] << 8) | hay[p - 1]];
          const s4 = t.skip4[Math.imul(dv.getInt32(p - 4), K_LO) >>> t.skip4Shift];
          for (const s of [s2, s4]) {
            for (let d = 0; d < s; d++) {
              needles.forEach((n, i) => {
                const hit = keyEndsAt(hay, p + d, n, keyOf(i), ns[i].folded);
                assert.ok(!hit, `skip ${s} at ${p} passes needle ${i} ending at ${p + d}`);
              });
            }
          }
        }
      },
    ),
    { numRuns: 2000 },
  );
});

test("bytes in no key skip a key's length less one; a key's last two bytes do not skip", () => {
  const needles = [new TextEncoder().encode("0123456789abcdef")];
  const t = buildSkipTables(
    needles,
    [0],
    () => 8,
    () => true,
    8,
  );
  assert.equal(t.skip2[0x7a7a], 7); // "zz"
  assert.equal(t.skip2[(0x65 << 8) | 0x66], 0); // "ef"
  assert.equal(t.skip2[(0x45 << 8) | 0x46], 0); // "EF": the needle matches in any case
  assert.equal(t.skip2[(0x39 << 8) | 0x61], 5); // "9a" ends 5 bytes before the key's end
  const exact = buildSkipTables(
    needles,
    [0],
    () => 8,
    () => false,
    8,
  );
  assert.equal(exact.skip2[(0x45 << 8) | 0x46], 7, "a case-sensitive key only stops its own bytes");
});

test("keys shorter than four bytes leave the four-byte table without skips", () => {
  const needles = [new TextEncoder().encode("abc")];
  const t = buildSkipTables(
    needles,
    [0],
    () => 3,
    () => true,
    3,
  );
  assert.ok(t.skip4.every((x) => x === 0));
  assert.equal(t.skip2[0x7a7a], 2);
});
