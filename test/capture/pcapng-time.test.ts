import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { splitTimestamp, timestampText, tsScale } from "../../src/capture/pcapng-time.ts";

/** The oracle: exact BigInt arithmetic, sub-nanosecond parts truncated. */
function oracle(high: number, low: number, units: bigint): [number, number] {
  const v = (BigInt(high) << 32n) | BigInt(low);
  return [Number(v / units), Number(((v % units) * 1_000_000_000n) / units)];
}

const RESOLUTIONS = [
  0, 1, 3, 6, 9, 10, 12, 15, 19, 0x80, 0x81, 0x8a, 0x94, 0x9e, 0xa0, 0xa1, 0xa4, 0xb0, 0xbf,
] as const;

test("tsScale: base 10 and base 2; impossible resolutions are refused", () => {
  assert.equal(tsScale(6)?.units, 1e6);
  assert.equal(tsScale(9)?.units, 1e9);
  assert.equal(tsScale(0x94)?.units, 2 ** 20);
  assert.equal(tsScale(20), undefined);
  assert.equal(tsScale(0x80 | 64), undefined);
});

test("splitTimestamp equals exact BigInt division for every resolution (fast-check)", () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  // Bias towards realistic values too: the high word of today's µs and ns clocks.
  const high = fc.oneof(
    u32,
    fc.integer({ min: 0, max: 0x100000 }),
    fc.constantFrom(0, 0xfffff, 0x100000, 0x17979cfe),
  );
  fc.assert(
    fc.property(fc.constantFrom(...RESOLUTIONS), high, u32, (r, hi, lo) => {
      const s = tsScale(r);
      assert.ok(s);
      const units = (r & 0x80) !== 0 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
      const [sec, ns] = oracle(hi, lo, units);
      const out = { tsSec: -1, tsNsec: -1 };
      splitTimestamp(hi, lo, s, 0, out);
      // With 1-second units the seconds pass 2^53; both sides then round once to the nearest double.
      assert.equal(out.tsSec, sec);
      assert.equal(out.tsNsec, ns);
    }),
    { numRuns: 10000 },
  );
});

test("if_tsoffset is added to the seconds", () => {
  const out = { tsSec: 0, tsNsec: 0 };
  splitTimestamp(0, 1_500_000, tsScale(6)!, 1000, out);
  assert.deepEqual(out, { tsSec: 1001, tsNsec: 500_000_000 });
  assert.equal(timestampText(0, 1_500_000, tsScale(6)!, -1), "0.500000000");
});
