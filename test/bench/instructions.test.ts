import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import type { CaptureSet } from "../../bench/gen-capture.ts";
import {
  analyzeArgv,
  type Count,
  countInstructions,
  parseRefs,
  perMB,
  REPEATABLE_FLAGS,
  table,
} from "../../bench/instructions.ts";

const hasValgrind = spawnSync("valgrind", ["--version"]).status === 0;

test("parseRefs reads callgrind's instruction total, digits grouped by commas", () => {
  const stderr =
    "==41== Events    : Ir\n==41== Collected : 4429926870\n==41== \n==41== I   refs:      4,429,926,870\n";
  assert.equal(parseRefs(stderr), 4_429_926_870);
  assert.equal(parseRefs("==41== error: no such tool\n"), undefined);
});

test("perMB and the table give the per-megabyte difference and each bundle against the first", () => {
  const counts: Count[] = [
    { bundle: "dist/a.mjs", base: 4e9, sized: 6e9 },
    { bundle: "dist/b.mjs", base: 4e9, sized: 5.8e9 },
  ];
  const sized = { label: "100M", bytes: 100e6 };
  const base = { label: "20M", bytes: 20e6 };
  // (6e9 - 4e9) instructions over 80 MB: 25 million per MB; (5.8e9 - 4e9) / 80: 22.5, 10% fewer.
  assert.equal(perMB(counts[0], sized.bytes, base.bytes), 25);
  assert.equal(perMB(counts[1], sized.bytes, base.bytes), 22.5);
  const lines = table(counts, sized, base).split("\n");
  assert.match(lines[0], /^bundle\s+20M G\s+100M G\s+M instr\/MB\s+vs first$/);
  assert.match(lines[1], /^dist\/a\.mjs\s+4\.000\s+6\.000\s+25\.00$/);
  assert.match(lines[2], /^dist\/b\.mjs\s+4\.000\s+5\.800\s+22\.50\s+-10\.0%$/);
});

test("the counted analyze command runs the bundle with the repeatable V8 flags before it", () => {
  const c = { file: "cap.pcap", profileFile: "cap.pcap.profile.yaml" } as CaptureSet;
  const argv = analyzeArgv("/x/dist/b.mjs", c, "p.yaml");
  const at = argv.indexOf("/x/dist/b.mjs");
  for (const f of REPEATABLE_FLAGS) assert.ok(argv.indexOf(f) > 0 && argv.indexOf(f) < at, f);
  assert.deepEqual(argv.slice(at + 1), [
    "analyze",
    "cap.pcap",
    "--profile",
    "p.yaml",
    "--format",
    "jsonl",
    "--reveal",
  ]);
});

test("countInstructions counts the work a program does: 30 million more loop turns, at least 3 instructions each", {
  skip: hasValgrind ? false : "valgrind is not installed",
  timeout: 120_000,
}, async () => {
  const loop = (n: number) =>
    `let s = 0; for (let i = 0; i < ${n}; i++) s = (s + i) | 0; if (s === 1) console.log(s);`;
  const run = (n: number) => countInstructions([process.execPath, ...REPEATABLE_FLAGS, "-e", loop(n)]);
  const [small, large] = await Promise.all([run(1e5), run(3e7 + 1e5)]);
  const extra = large - small;
  assert.ok(extra >= 3 * 3e7, `only ${extra} more instructions`);
  assert.ok(extra <= 1000 * 3e7, `${extra} more instructions: not the loop alone`);
  await assert.rejects(countInstructions([process.execPath, "-e", "process.exit(3)"]), /exited 3/);
});
