// End-to-end: `analyzeFiles` and `phonehome analyze` on the planted-leak capture. Recall is judged against
// the generator's truth (what it planted), never against the detector's own output.
//
// Comparison rule: a plant is found when a non-generic finding has the plant's kind, the profile value (run
// with reveal), the plant's connection 4-tuple, frames[0] equal to the frame that completed the message, and a
// chain equal to the planted chain: the view's steps (`step` or `step at`, payload layer first) followed by the
// needle's variant steps (`base64`, `hex`, `urlencode`, `md5(imei)`, `base64` + `sha256(imei)` ...). Location
// plants come from the location detector (generic): kind `location`, same connection, first chain step equal
// to the planted payload layer, and the planted precision.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { analyzeFiles } from "../../src/app/analyze-run.ts";
import { loadRules, runServices } from "../../src/app/run-services.ts";
import { parseProfile } from "../../src/detect/profile/profile-load.ts";
import type { FindingRecord } from "../../src/model/finding.ts";
import { IDENTIFIER_KINDS } from "../../src/model/finding.ts";
import {
  buildPlantedCapture,
  type Locator,
  type Plant,
  type PlantedCapture,
} from "../detect/planted-capture.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";

const sameConn = (f: FindingRecord, c: Locator) =>
  f.orig_h === c.orig_h && f.orig_p === c.orig_p && f.resp_h === c.resp_h && f.resp_p === c.resp_p;

/** True when finding `f` reports plant `p` (see the rule above). */
export function reports(f: FindingRecord, p: Plant): boolean {
  if (f.kind !== p.kind || !sameConn(f, p.conn)) return false;
  if (p.location) return f.chain[0] === p.chain[0] && f.precision === p.precision;
  return (
    !f.generic &&
    f.value_masked === p.value &&
    f.frames[0] === p.frames[p.frames.length - 1] &&
    f.chain.length === p.chain.length &&
    f.chain.every((s, i) => s === p.chain[i])
  );
}

function describePlant(p: Plant, findings: FindingRecord[]): string {
  const near = findings.filter((f) => f.kind === p.kind && sameConn(f, p.conn));
  const seen = near.map((f) => `[${f.chain.join(" › ")}] ${f.variant} frame ${f.frames[0]}`).join("; ");
  return `${p.kind} ${p.variant} (${p.text}) want [${p.chain.join(" › ")}] frame ${p.frames.at(-1)}; got ${seen || "nothing"}`;
}

describe("analyze on the planted-leak capture", () => {
  let cap: PlantedCapture;
  let dir: string;
  let pcapFile: string;
  let profileFile: string;
  let findings: FindingRecord[];

  before(async () => {
    cap = buildPlantedCapture();
    dir = mkdtempSync(join(tmpdir(), "phonehome-planted-"));
    pcapFile = join(dir, "planted.pcap");
    profileFile = join(dir, "planted.profile.yaml");
    writeFileSync(pcapFile, cap.pcap);
    writeFileSync(profileFile, cap.profileYaml);
    const profile = parseProfile(cap.profileYaml, profileFile);
    findings = (await analyzeFiles([pcapFile], { ...runServices(loadRules()), profile, reveal: true }))
      .findings;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the truth covers every identifier kind of the profile", () => {
    const kinds = new Set(cap.plants.map((p) => p.kind));
    for (const k of IDENTIFIER_KINDS) {
      assert.ok(kinds.has(k as Plant["kind"]), k);
    }
  });

  test("recall 100%: every plant has a finding with its kind, value, connection, frame and chain", () => {
    const missed = cap.plants.filter((p) => !findings.some((f) => reports(f, p)));
    assert.deepEqual(
      missed.map((p) => describePlant(p, findings)),
      [],
    );
  });

  test("the profile matcher reports nothing in decoy connections", () => {
    const fps = findings.filter((f) => !f.generic && cap.decoyConns.some((c) => sameConn(f, c)));
    assert.deepEqual(
      fps.map((f) => `${f.kind} ${f.value_masked} [${f.chain.join(" › ")}] ${f.field}`),
      [],
    );
  });

  test("every profile finding is a value planted in its connection", () => {
    const stray = findings.filter(
      (f) =>
        !f.generic &&
        !cap.plants.some((p) => p.kind === f.kind && p.value === f.value_masked && sameConn(f, p.conn)),
    );
    assert.deepEqual(
      stray.map((f) => `${f.kind} ${f.value_masked} [${f.chain.join(" › ")}] ${f.field}`),
      [],
    );
  });

  test("generic findings never claim a decoy as a profile value", () => {
    for (const f of findings.filter((x) => x.generic)) assert.equal(f.variant, "generic");
  });

  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, "bin", "phonehome.js"),
        "analyze",
        pcapFile,
        "--profile",
        profileFile,
        "--format",
        "jsonl",
        ...args,
      ],
      {
        encoding: "utf8",
        maxBuffer: 64 << 20,
      },
    );
  const findingLines = (out: string) =>
    out
      .split("\n")
      .filter((l) => l.includes('"type":"finding"'))
      .map((l) => JSON.parse(l) as FindingRecord);

  test("CLI: findings are masked by default (no planted value or text in any finding)", () => {
    const r = cli();
    assert.equal(r.status, 0, r.stderr);
    const fs = findingLines(r.stdout);
    assert.ok(fs.length >= cap.plants.length, `${fs.length} findings`);
    const leaked = fs.flatMap((f) =>
      cap.secrets.filter((s) => JSON.stringify(f).includes(s)).map((s) => `${s} in ${f.field}`),
    );
    assert.deepEqual(leaked, []);
  });

  test("CLI: --reveal writes the profile values", () => {
    const r = cli("--reveal");
    assert.equal(r.status, 0, r.stderr);
    const values = new Set(findingLines(r.stdout).map((f) => f.value_masked));
    for (const p of cap.plants.filter((x) => !x.location)) assert.ok(values.has(p.value), p.value);
  });
});
