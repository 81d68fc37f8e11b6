// The published JSON schema (docs/report.schema.json) describes what `analyze --format json` really writes:
// runs on the bundled examples (and a HAR file) are validated with an independent validator (Ajv).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { analyzeFiles } from "../../src/app/analyze-run.ts";
import { loadRules, runServices } from "../../src/app/run-services.ts";
import { loadProfile } from "../../src/detect/profile/profile-load.ts";
import { corpusPath, NO_CORPUS, REPO_ROOT } from "../helpers/corpus.ts";

const schema = JSON.parse(readFileSync(join(REPO_ROOT, "docs", "report.schema.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, validateFormats: false });
const validate = ajv.compile(schema);
const rules = loadRules();
const EX = (f: string) => join(REPO_ROOT, "examples", f);

async function check(files: string[], withProfile: boolean): Promise<void> {
  const profile = withProfile ? loadProfile(EX("redmi-1s-2014.profile.yaml")) : undefined;
  const report = await analyzeFiles(files, { ...runServices(rules), profile, hashInputs: true });
  const doc = JSON.parse(JSON.stringify(report)) as { findings: unknown[]; endpoints: unknown[] };
  const ok = validate(doc);
  assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  assert.ok(doc.findings.length > 0 || doc.endpoints.length > 0, "something to validate");
}

test("the before and after example runs match the schema", async () => {
  await check([EX("redmi-1s-2014-before.pcap"), EX("redmi-1s-2014-after.pcapng")], true);
});

test("a run with no profile matches the schema", async () => {
  await check([EX("redmi-note-idle.pcap")], false);
});

test("a HAR run matches the schema", { skip: NO_CORPUS }, async () => {
  await check(
    [corpusPath("mitmproxy-testdata", "test", "mitmproxy", "data", "har_files", "chrome.har")],
    false,
  );
});

test("the schema rejects a document with an unknown severity (it can fail)", () => {
  const bad = { schema: "phonehome.report/1", alert: { level: "severe", reasons: [], summary: "" } };
  assert.equal(validate(bad), false);
});
