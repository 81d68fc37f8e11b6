import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { LineWriter } from "../../src/cli/line-writer.ts";

test("lines come out in order, each ending in a newline, across many flushes", () => {
  const file = join(mkdtempSync(join(tmpdir(), "phonehome-lw-")), "out.jsonl");
  const w = new LineWriter(file);
  const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ i, pad: "x".repeat(i % 97) }));
  for (const l of lines) w.line(l);
  w.close();
  assert.equal(readFileSync(file, "utf8"), `${lines.join("\n")}\n`);
});

test("multi-byte text is written as UTF-8", () => {
  const file = join(mkdtempSync(join(tmpdir(), "phonehome-lw-")), "out.txt");
  const w = new LineWriter(file);
  w.line("中国移动 • 86123••••••0127");
  w.close();
  assert.equal(readFileSync(file, "utf8"), "中国移动 • 86123••••••0127\n");
});
