import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { HeapBudget } from "../../src/app/heap-budget.ts";

test("no collector, no collection", () => {
  const b = new HeapBudget(undefined, 1);
  assert.equal(b.check(1e9), false);
  assert.equal(b.collections, 0);
});

test("collects only past the budget", () => {
  let calls = 0;
  const b = new HeapBudget(() => void calls++, 100 * 2 ** 20);
  assert.equal(b.check(99 * 2 ** 20), false);
  assert.equal(b.check(101 * 2 ** 20), true);
  assert.equal(calls, 1);
  assert.equal(b.collections, 1);
});

test("the budget follows a live set larger than it, so it does not collect at every check", () => {
  let calls = 0;
  const keep: Uint8Array[] = [];
  // A budget far below what this process already uses: after the first collection it must rise.
  const b = new HeapBudget(() => void calls++, 1024);
  for (let i = 0; i < 50; i++) keep.push(new Uint8Array(16));
  assert.equal(b.check(), true);
  assert.equal(b.check(), false);
  assert.equal(calls, 1);
  assert.ok(keep.length > 0);
});

/**
 * Runs a loop whose garbage lives long enough to reach the old generation, checking a 24 MiB budget (1 MiB of
 * headroom: the live set here is a few MB) every 100 turns.
 */
function churn(flags: string[]): { collections: number; peak: number; budget: number } {
  const src = `
    import { HeapBudget } from ${JSON.stringify(new URL("../../src/app/heap-budget.ts", import.meta.url).href)};
    import { getHeapStatistics } from "node:v8";
    const budget = 24 * 2 ** 20;
    const b = new HeapBudget(undefined, budget, 2 ** 20);
    const ring = new Array(20000);
    let peak = 0;
    for (let i = 0; i < 600000; i++) {
      ring[i % ring.length] = [i, i + 1, i + 2, i + 3, String(i)];
      if (i % 100 === 0) { b.check(); peak = Math.max(peak, getHeapStatistics().used_heap_size); }
    }
    console.log(JSON.stringify({ collections: b.collections, peak, budget }));
  `;
  const r = spawnSync(process.execPath, [...flags, "--import", "tsx", "--input-type=module", "-e", src], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

test("with --expose-gc the heap of a long run stays near the budget, without it it does not", () => {
  // Between two checks the loop allocates ~10 KB; 4 MiB of slack covers the young generation's share.
  const slack = 4 * 2 ** 20;
  const free = churn(["--max-semi-space-size=1"]);
  assert.equal(free.collections, 0);
  assert.ok(
    free.peak > free.budget + slack,
    `without the collector the heap grows past the budget: ${free.peak}`,
  );
  const held = churn(["--max-semi-space-size=1", "--expose-gc"]);
  assert.ok(held.collections > 0, "it collected");
  assert.ok(held.peak < held.budget + slack, `peak ${held.peak}`);
});
