import assert from "node:assert/strict";
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { line, Progress } from "../../src/cli/progress.ts";

const GiB = 1024 ** 3;

test("a 1 GiB input shows a bar with bytes read of the total, MB/s and the time left", () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-progress-"));
  try {
    const file = join(dir, "big.pcap");
    writeFileSync(file, "");
    truncateSync(file, GiB); // a sparse file: its size is what the bar reads
    let now = 0;
    const out: string[] = [];
    const p = new Progress({ write: (s) => out.push(s), isTTY: true }, () => now);
    p.update(file, 4 << 20);
    now = 0.5;
    p.update(file, 200 << 20);
    assert.equal(out.length, 0, "quiet during the first second");
    now = 2;
    p.update(file, GiB / 2);
    assert.equal(out.length, 1);
    assert.match(out[0], /^\r\[#{12}-{12}\] 537 MB \/ 1\.1 GB {2}268 MB\/s {2}ETA 2 s\x1b\[K$/);
    now = 2.1;
    p.update(file, GiB / 2 + 1);
    assert.equal(out.length, 1, "redrawn at most four times a second");
    p.done();
    assert.equal(out.at(-1), "\r\x1b[K", "erased at the end");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("nothing is drawn when stderr is not a terminal", () => {
  let now = 0;
  const out: string[] = [];
  const p = new Progress({ write: (s) => out.push(s), isTTY: false }, () => now);
  now = 5;
  p.update("whatever.pcap", 1e9);
  p.done();
  assert.deepEqual(out, []);
});

test("without a known total (stdin, gzip) the line shows bytes and speed only", () => {
  assert.equal(line(50_000_000, 0, 2), "50 MB read  25 MB/s");
});
