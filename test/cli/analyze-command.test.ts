// analyze and profile commands end to end on the bundled example, whose generator (examples/make-example.ts)
// planted the IMEI in the registration URL's query string and in the JSON body's `deviceId`.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { EXAMPLE } from "../../examples/make-example.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";

const BIN = join(REPO_ROOT, "bin", "phonehome.js");
const CAPTURE = join(REPO_ROOT, "examples", "redmi-1s-2014.pcap");
const PROFILE = join(REPO_ROOT, "examples", "redmi-1s-2014.profile.yaml");

function phonehome(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("analyze --format json finds the planted IMEI in the query and in the JSON body, masked", () => {
  const r = phonehome("analyze", CAPTURE, "--profile", PROFILE, "--format", "json");
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  const imei = doc.findings.filter(
    (f: { kind: string; generic: boolean }) => f.kind === "imei" && !f.generic,
  );
  assert.deepEqual(imei.map((f: { chain: string[] }) => f.chain).sort(), [
    ["http.body", "json $.deviceId"],
    ["http.uri", "query imei"],
  ]);
  for (const f of imei) assert.equal(f.host, "api.account.xiaomi.com");
  assert.ok(!r.stdout.includes(EXAMPLE.imei), "the IMEI must not appear unmasked");
  assert.ok(!r.stdout.includes(EXAMPLE.phone.slice(1)), "the phone number must not appear unmasked");
});

test("--reveal writes the values; jsonl has one finding per line", () => {
  const r = phonehome("analyze", CAPTURE, "--profile", PROFILE, "--format", "jsonl", "--reveal");
  assert.equal(r.code, 0, r.stderr);
  const findings = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))
    .filter((x) => x.type === "finding");
  assert.ok(findings.some((f) => f.kind === "imei" && f.value_masked === EXAMPLE.imei));
});

test("profile init writes a template that profile check accepts; a bad profile names its field, exit 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-profile-"));
  const file = join(dir, "p.yaml");
  assert.equal(phonehome("profile", "init", file).code, 0);
  assert.ok(readFileSync(file, "utf8").includes("#"), "the template is commented");
  const ok = phonehome("profile", "check", file);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(phonehome("profile", "init", file).code, 2, "refuses to overwrite");
  const bad = join(dir, "bad.yaml");
  writeFileSync(bad, 'device: x\nimei: "12345"\nhome_country: CN\n');
  const r = phonehome("profile", "check", bad);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /imei/);
});

test("analyze --format jsonl without --reveal masks the profile's values in every record, http logs included", () => {
  const r = phonehome("analyze", CAPTURE, "--profile", PROFILE, "--format", "jsonl");
  assert.equal(r.code, 0, r.stderr);
  const types = new Set(
    r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).type),
  );
  assert.ok(types.has("http") && types.has("finding"), [...types].join(","));
  for (const v of [EXAMPLE.imei, EXAMPLE.imsi, EXAMPLE.phone.slice(1)]) assert.ok(!r.stdout.includes(v), v);
});
