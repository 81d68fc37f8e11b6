// The benchmark harness: a stage that works is measured, one that fails reports its first stderr line
// instead of crashing the run, and the table compares with the reference stage.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { CaptureSet } from "../../bench/gen-capture.ts";
import { type Measure, measure, type Stage, table } from "../../bench/run.ts";

const work = mkdtempSync(join(tmpdir(), "phonehome-run-"));
after(() => rmSync(work, { recursive: true, force: true }));

const capture: CaptureSet = {
  file: "/dev/null",
  truthFile: "",
  profileFile: "",
  bytes: 200e6,
  cached: true,
};
const NO_TIME = existsSync("/usr/bin/time") ? false : "/usr/bin/time is not installed";

test("a working stage is measured: wall, CPU and peak RSS", { skip: NO_TIME }, () => {
  const stage: Stage = { name: "node", argv: () => [process.execPath, "-e", "Buffer.alloc(64 << 20, 1)"] };
  const m = measure(stage, capture, work);
  assert.equal(m.ok, true, m.error);
  assert.ok(m.wall >= 0 && m.user >= 0 && m.sys >= 0);
  // It touched 64 MiB, so the peak resident set is at least that.
  assert.ok(m.rssKB > 64 * 1024, String(m.rssKB));
});

test("a failing stage reports its first stderr line, not a crash", { skip: NO_TIME }, () => {
  const stage: Stage = {
    name: "broken",
    argv: () => [
      process.execPath,
      "-e",
      'process.stderr.write("phonehome: no such command\\nmore\\n"); process.exit(3)',
    ],
  };
  const m = measure(stage, capture, work);
  assert.equal(m.ok, false);
  assert.equal(m.error, "phonehome: no such command");
  const missing = measure({ name: "missing", argv: () => ["/nonexistent/tool"] }, capture, work);
  assert.equal(missing.ok, false);
  assert.ok(missing.error && missing.error.length > 0);
});

test("a stage's check sees its stdout", { skip: NO_TIME }, () => {
  const stage: Stage = {
    name: "echo",
    argv: () => [process.execPath, "-e", "console.log('recall 3/4')"],
    check: (file) => `saw ${readFileSync(file, "utf8").trim()}`,
  };
  assert.equal(measure(stage, capture, work).note, "saw recall 3/4");
});

test("the table gives MB/s from file size and wall time, and the ratio to the reference", () => {
  const ok = (wall: number, rssKB: number): Measure => ({ ok: true, wall, user: 1, sys: 0.5, rssKB });
  const rows: [Stage, Measure][] = [
    [{ name: "ours", argv: () => [], target: { mbps: 150, rssMB: 128 } }, ok(1, 100 * 1024)],
    [
      { name: "bad", argv: () => [] },
      { ok: false, wall: Number.NaN, user: 0, sys: 0, rssKB: 0, error: "boom" },
    ],
    [{ name: "tshark", argv: () => [], reference: true }, ok(4, 300 * 1024)],
    [{ name: "fast", argv: () => [], target: { mbps: 300 } }, ok(2, 500 * 1024)],
  ];
  const lines = table(capture, rows).split("\n");
  assert.match(lines[1], /^ours\s+200\s+100\s+1\.50\s+4\.00×\s+met/);
  assert.match(lines[2], /^bad\s+failed.*boom$/);
  assert.match(lines[3], /^tshark\s+50\s+300\s+1\.50$/);
  // A target without a memory bound names only the throughput (100 MB/s here, below 300).
  assert.match(lines[4], /^fast\s+100\s+500\s+1\.50\s+2\.00×\s+missed \(≥300 MB\/s\)$/);
  assert.match(lines[1], /met \(≥150 MB\/s, ≤128 MB\)/);
});
