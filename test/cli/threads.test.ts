// `--threads` end to end through bin/phonehome.js, i.e. the bundle: there the worker is started on the bundle
// itself and the entry hands over to the worker program. The oracle is the same command with --threads 1.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { EXAMPLE_FILES } from "../../examples/make-example.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";
import { examplePath } from "../helpers/example-oracle.ts";

const BIN = join(REPO_ROOT, "bin", "phonehome.js");
const PROFILE = examplePath(EXAMPLE_FILES.profile);
const BEFORE = examplePath(EXAMPLE_FILES.before);
const AFTER = examplePath(EXAMPLE_FILES.after);
const TIMEOUT = { timeout: 120_000 };

function phonehome(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A JSON report without the clock. */
function stableJson(text: string): unknown {
  const r = JSON.parse(text);
  delete r.generated;
  delete r.stats.elapsed_s;
  return r;
}

test("analyze --threads 2 writes what --threads 1 writes (jsonl and json)", TIMEOUT, () => {
  const common = [BEFORE, AFTER, "--profile", PROFILE, "--reveal", "--no-progress"];
  const one = phonehome("analyze", ...common, "--format", "jsonl", "--threads", "1");
  const two = phonehome("analyze", ...common, "--format", "jsonl", "--threads", "2");
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  assert.ok(one.stdout.includes('"type":"finding"'), "findings to compare");
  assert.equal(two.stdout, one.stdout);
  const j1 = phonehome("analyze", ...common, "--format", "json", "--threads", "1");
  const j2 = phonehome("analyze", ...common, "--format", "json", "--threads", "2");
  assert.equal(j2.code, 0, j2.stderr);
  assert.deepEqual(stableJson(j2.stdout), stableJson(j1.stdout));
});

test("logs --profile and diff take --threads too, with the same output", TIMEOUT, () => {
  const l1 = phonehome("logs", BEFORE, "--profile", PROFILE, "--threads", "1");
  const l2 = phonehome("logs", BEFORE, "--profile", PROFILE, "--threads", "2");
  assert.equal(l2.code, 0, l2.stderr);
  assert.ok(l1.stdout.includes('"type":"finding"'));
  assert.equal(l2.stdout, l1.stdout);
  const d1 = phonehome("diff", BEFORE, AFTER, "--profile", PROFILE, "--format", "jsonl", "--threads", "1");
  const d2 = phonehome("diff", BEFORE, AFTER, "--profile", PROFILE, "--format", "jsonl", "--threads", "2");
  assert.equal(d2.code, 0, d2.stderr);
  assert.ok(d1.stdout.includes("diff_row"));
  assert.equal(d2.stdout, d1.stdout);
});

test("--threads takes 1, 2 or auto; anything else is a usage error (exit 2, one line)", TIMEOUT, () => {
  assert.equal(phonehome("analyze", BEFORE, "--threads", "auto", "--no-progress").code, 0);
  for (const bad of ["3", "0", "two"]) {
    const r = phonehome("analyze", BEFORE, "--threads", bad, "--no-progress");
    assert.equal(r.code, 2, bad);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`--threads takes 1, 2 or auto, not '${bad}'`));
  }
});
