// The memory-by-size bench: analyze runs on each capture, recall comes from the generator's truth, a large
// capture the run made is not kept, and the table reports the spread of the peaks against the bound.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { type CaptureSet, generate } from "../../bench/gen-capture.ts";
import { discardAfter, KEEP_MAX_BYTES, measureSizes, memoryTable, type SizeRow } from "../../bench/memory.ts";

const dir = mkdtempSync(join(tmpdir(), "phonehome-memory-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const NO_TIME = existsSync("/usr/bin/time") ? false : "/usr/bin/time is not installed";

async function capture(name: string, size: number): Promise<CaptureSet> {
  const file = join(dir, name);
  const { bytes } = await generate(file, size, 7);
  return { file, truthFile: `${file}.truth.json`, profileFile: `${file}.profile.yaml`, bytes, cached: false };
}

test("each size is analysed and finds every value the generator planted", {
  skip: NO_TIME,
  timeout: 120_000,
}, async () => {
  const caps = [await capture("a.pcap", 1 << 20), await capture("b.pcap", 3 << 20)];
  const work = mkdtempSync(join(dir, "work-"));
  const rows = measureSizes(["1M", "3M"], caps, work);
  assert.deepEqual(
    rows.map((r) => r.label),
    ["1M", "3M"],
  );
  for (const r of rows) {
    assert.equal(r.m.ok, true, r.m.error);
    assert.ok(r.m.rssKB > 10 * 1024, String(r.m.rssKB));
    const recall = /recall 100\.0% \((\d+)\/(\d+)\)/.exec(r.m.note ?? "");
    assert.ok(recall && Number(recall[2]) > 0, r.m.note);
  }
  const table = memoryTable(rows).split("\n");
  assert.match(table[1], /^1M\s+1\s+\d+\s+\d+\s+recall 100\.0%/);
  assert.match(table[3], /^peak RSS \d+–\d+ MB \(spread \d+ MB\): (met|missed) \(≤128 MB at every size\)$/);
});

test("the spread and the bound come from the peaks; a failed size misses the bound", () => {
  const c = (bytes: number): CaptureSet => ({
    file: "",
    truthFile: "",
    profileFile: "",
    bytes,
    cached: true,
  });
  const row = (label: string, bytes: number, rssMB: number): SizeRow => ({
    label,
    capture: c(bytes),
    m: { ok: true, wall: bytes / 200e6, user: 1, sys: 0, rssKB: rssMB * 1024 },
  });
  const rows = [row("100M", 100e6, 100), row("1G", 1000e6, 116), row("10G", 10000e6, 137)];
  const lines = memoryTable(rows).split("\n");
  // 1000 MB in 5 s: 200 MB/s.
  assert.match(lines[2], /^1G\s+1000\s+200\s+116$/);
  assert.equal(lines[4], "peak RSS 100–137 MB (spread 37 MB): missed (≤128 MB at every size)");
  assert.equal(
    memoryTable(rows.slice(0, 2)).split("\n")[3],
    "peak RSS 100–116 MB (spread 16 MB): met (≤128 MB at every size)",
  );
  const failed: SizeRow = {
    label: "10G",
    capture: c(10e9),
    m: { ok: false, wall: 0, user: 0, sys: 0, rssKB: 0, error: "boom" },
  };
  const withFailure = memoryTable([...rows.slice(0, 2), failed]).split("\n");
  assert.match(withFailure[3], /^10G\s+10000\s+failed\s+boom$/);
  assert.match(withFailure[4], /missed/);
});

test("only a capture this run generated, larger than 1 GiB, is deleted, and --keep keeps it", () => {
  const c = (bytes: number, cached: boolean): CaptureSet => ({
    file: "",
    truthFile: "",
    profileFile: "",
    bytes,
    cached,
  });
  assert.equal(discardAfter(c(10 * 2 ** 30, false), false), true);
  assert.equal(discardAfter(c(10 * 2 ** 30, false), true), false);
  assert.equal(discardAfter(c(10 * 2 ** 30, true), false), false);
  assert.equal(discardAfter(c(KEEP_MAX_BYTES, false), false), false);
});
