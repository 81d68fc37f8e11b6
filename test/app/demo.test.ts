// The demo's files and orchestration: it finds the bundled examples from a checkout or a bundle, copies them
// exactly, never replaces a file without --force (and then writes nothing at all), and runs the first test,
// the re-test and the diff in that order with the profile it wrote. The analysis is a stand-in here; the
// real pipeline's findings on the examples are checked by the end-to-end tests of analyze and diff.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { EXAMPLE_FILES } from "../../examples/make-example.ts";
import {
  DEMO_FILES,
  DEMO_ROLES,
  DemoError,
  findExamplesDir,
  runDemo,
  writeDemoFiles,
} from "../../src/app/demo.ts";
import type { Profile } from "../../src/detect/profile/profile-types.ts";
import type { AnalysisReport } from "../../src/report/report-types.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";
import { EXAMPLES_DIR } from "../helpers/example-oracle.ts";

const root = mkdtempSync(join(tmpdir(), "phonehome-demo-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${n++}`);

test("the demo's file names are the generator's", () => {
  for (const r of DEMO_ROLES) assert.equal(DEMO_FILES[r], EXAMPLE_FILES[r]);
});

test("the examples are found from a module in src/app/ and from a bundle in dist/, not from elsewhere", () => {
  assert.equal(findExamplesDir(join(REPO_ROOT, "src", "app", "demo.ts")), EXAMPLES_DIR);
  assert.equal(findExamplesDir(join(REPO_ROOT, "dist", "phonehome.mjs")), EXAMPLES_DIR);
  assert.equal(findExamplesDir(join(root, "nowhere", "x.js")), undefined);
  assert.equal(findExamplesDir(), EXAMPLES_DIR);
});

test("the files are copied byte for byte into a new folder", () => {
  const dir = join(freshDir(), "nested");
  const paths = writeDemoFiles(dir);
  for (const r of DEMO_ROLES) {
    assert.equal(paths[r], join(dir, DEMO_FILES[r]));
    assert.ok(readFileSync(paths[r]).equals(readFileSync(join(EXAMPLES_DIR, DEMO_FILES[r]))), r);
  }
});

test("a file in the way stops the demo before it writes anything; --force replaces it", () => {
  const dir = freshDir();
  mkdirSync(dir);
  const mine = join(dir, DEMO_FILES.after);
  writeFileSync(mine, "the analyst's own capture");
  assert.throws(
    () => writeDemoFiles(dir),
    (e: unknown) => e instanceof DemoError && /--force/.test(e.message),
  );
  assert.equal(readFileSync(mine, "utf8"), "the analyst's own capture");
  for (const r of DEMO_ROLES) if (r !== "after") assert.ok(!existsSync(join(dir, DEMO_FILES[r])), r);
  writeDemoFiles(dir, { force: true });
  assert.ok(readFileSync(mine).equals(readFileSync(join(EXAMPLES_DIR, DEMO_FILES.after))));
});

test("a second run into the same folder is refused; a path that is a file is refused", () => {
  const dir = freshDir();
  writeDemoFiles(dir);
  assert.throws(() => writeDemoFiles(dir), DemoError);
  const file = join(root, `file${n++}`);
  writeFileSync(file, "x");
  assert.throws(() => writeDemoFiles(file), /not a folder/);
});

test("missing examples give a DemoError and write nothing", () => {
  const empty = freshDir();
  mkdirSync(empty);
  const dir = freshDir();
  assert.throws(() => writeDemoFiles(dir, { examplesDir: empty }), DemoError);
  assert.ok(!existsSync(dir));
});

/** A report with nothing found, labelled by its input (enough for the renderers). */
function emptyReport(file: string, level: AnalysisReport["alert"]["level"]): AnalysisReport {
  return {
    schema: "phonehome.report/1",
    tool: { name: "phonehome", version: "0" },
    generated: "2014-08-11T00:00:00Z",
    inputs: [{ file, sha256: "", format: "pcap", packets: 1, bytes: 1 }],
    revealed: false,
    alert: { level, reasons: [], summary: `summary of ${file}` },
    findings: [],
    endpoints: [],
    connections: [],
    stats: { packets: 1, bytes: 1, connections: 0, findings: 0, endpoints: 0, elapsed_s: 0 },
    weird: {},
    credits: [],
  };
}

test("runDemo analyses the first test, then the re-test, with the written profile, and prints the diff", async () => {
  const dir = freshDir();
  const calls: { files: string[]; profile: Profile }[] = [];
  const out: string[] = [];
  const res = await runDemo({
    dir,
    color: false,
    analyze: async (files, profile) => {
      calls.push({ files, profile });
      return emptyReport(files[0], calls.length === 1 ? "high" : "low");
    },
    write: (t) => out.push(t),
  });
  assert.deepEqual(
    calls.map((c) => c.files),
    [[join(dir, DEMO_FILES.before)], [join(dir, DEMO_FILES.after)]],
  );
  for (const c of calls) {
    assert.equal(c.profile.device, "Xiaomi Redmi 1S");
    assert.equal(c.profile.home_country, "TW");
  }
  assert.deepEqual(res.diff.before.inputs, [join(dir, DEMO_FILES.before)]);
  assert.equal(res.diff.before.alert.level, "high");
  assert.equal(res.diff.after.alert.level, "low");
  const text = out.join("");
  const order = ["1. The first test", "2. The re-test", "3. What the update changed", "HIGH → LOW"];
  const at = order.map((s) => text.indexOf(s));
  assert.ok(
    at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1])),
    JSON.stringify(at),
  );
  assert.ok(!text.includes("\x1b["), "no colour codes when colour is off");
  for (const r of DEMO_ROLES) assert.ok(text.includes(join(dir, DEMO_FILES[r])), r);
});
