// Issue 8 end to end through analyzeFiles: with the detector on a worker, the record stream and the report
// (findings with kind, value, chain, uid, frames, destination, severity; endpoints; alert) are those of the
// in-process run, on the planted-leak capture and on the bundled examples; small runs start no worker; a
// worker failure rejects the run.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EXAMPLE_FILES } from "../../examples/make-example.ts";
import { analyzeFiles, type OutputRecord } from "../../src/app/analyze-run.ts";
import { threadsFor } from "../../src/app/detect-pool.ts";
import { detectWorkersStarted } from "../../src/app/detect-thread.ts";
import { loadRules, runServices } from "../../src/app/run-services.ts";
import { parseProfile } from "../../src/detect/profile/profile-load.ts";
import type { Profile } from "../../src/detect/profile/profile-types.ts";
import type { AnalysisReport } from "../../src/report/report-types.ts";
import { buildPlantedCapture, type PlantedCapture } from "../detect/planted-capture.ts";
import { examplePath } from "../helpers/example-oracle.ts";

const rules = loadRules();
const TIMEOUT = { timeout: 120_000 };

interface Run {
  report: AnalysisReport;
  records: string[];
}

async function analyze(files: string[], profile: Profile | undefined, threads?: 1 | 2): Promise<Run> {
  const records: string[] = [];
  const onRecord = (r: OutputRecord) => records.push(JSON.stringify(r));
  const report = await analyzeFiles(files, {
    ...runServices(rules),
    profile,
    reveal: true,
    onRecord,
    threads,
  });
  return { report, records };
}

/** The report without what differs between any two runs (the clock). */
function stable(r: AnalysisReport): unknown {
  return { ...r, generated: undefined, stats: { ...r.stats, elapsed_s: undefined } };
}

/** Runs both ways and checks they agree, field by field first (for a readable failure), then entirely. */
async function sameBothWays(files: string[], profile: Profile | undefined): Promise<Run> {
  const one = await analyze(files, profile, 1);
  const two = await analyze(files, profile, 2);
  const view = (r: AnalysisReport) =>
    r.findings.map((f) => [f.kind, f.value_masked, f.chain, f.uid, f.frames, f.dest, f.severity]);
  assert.deepEqual(view(two.report), view(one.report));
  assert.deepEqual(two.report.endpoints, one.report.endpoints);
  assert.deepEqual(two.report.alert, one.report.alert);
  assert.deepEqual(two.records, one.records, "the record stream, in order");
  assert.deepEqual(stable(two.report), stable(one.report));
  return one;
}

describe("detector on a worker: the same analysis", () => {
  let cap: PlantedCapture;
  let dir: string;
  let planted: string;
  let plantedProfile: Profile;
  const exampleProfile = () =>
    parseProfile(readFileSync(examplePath(EXAMPLE_FILES.profile), "utf8"), EXAMPLE_FILES.profile);

  before(() => {
    cap = buildPlantedCapture();
    dir = mkdtempSync(join(tmpdir(), "phonehome-threads-"));
    planted = join(dir, "planted.pcap");
    writeFileSync(planted, cap.pcap);
    plantedProfile = parseProfile(cap.profileYaml, "planted.profile.yaml");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the planted-leak capture", TIMEOUT, async () => {
    const run = await sameBothWays([planted], plantedProfile);
    const profileFindings = run.report.findings.filter((f) => !f.generic);
    assert.ok(profileFindings.length >= cap.plants.length / 2, `${profileFindings.length} profile findings`);
  });

  test("the bundled examples, one by one and together", TIMEOUT, async () => {
    const profile = exampleProfile();
    const files = [EXAMPLE_FILES.before, EXAMPLE_FILES.after, EXAMPLE_FILES.idle].map(examplePath);
    for (const f of files) await sameBothWays([f], profile);
    const both = await sameBothWays(files, profile);
    assert.ok(
      both.report.findings.some((f) => f.transport === "tls-decrypted"),
      "findings in decrypted TLS",
    );
    assert.ok(
      both.report.findings.some((f) => f.transport === "cleartext"),
      "findings in clear HTTP",
    );
  });

  test("without a profile (generic detectors only)", TIMEOUT, async () => {
    await sameBothWays([planted], undefined);
  });

  test("a small run starts no worker; --threads 2 starts one", TIMEOUT, async () => {
    const before = detectWorkersStarted();
    await analyze([planted], plantedProfile);
    assert.equal(detectWorkersStarted(), before);
    await analyze([planted], plantedProfile, 2);
    assert.equal(detectWorkersStarted(), before + 1);
  });

  test("a worker failure rejects the run instead of hanging", TIMEOUT, async () => {
    const broken = { ...plantedProfile, imei: 42 } as unknown as Profile;
    await assert.rejects(analyze([planted], broken, 2), /detector worker failed/);
  });
});

test("threadsFor: one thread unless two are asked for", () => {
  assert.equal(threadsFor(), 1);
  assert.equal(threadsFor(1), 1);
  assert.equal(threadsFor(2), 2);
});
