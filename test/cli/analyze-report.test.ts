// analyze's faces end to end on the bundled example (planted by examples/make-example.ts): exit codes of
// --fail-on, plain output when piped, CSV and HTML, the evidence pcapng read back by tshark, diff of two
// saved runs, and clear errors for bad options.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { REPO_ROOT } from "../helpers/corpus.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";

const BIN = join(REPO_ROOT, "bin", "phonehome.js");
const EX = (f: string) => join(REPO_ROOT, "examples", f);
const BEFORE = EX("redmi-1s-2014-before.pcap");
const AFTER = EX("redmi-1s-2014-after.pcapng");
const IDLE = EX("redmi-note-idle.pcap");
const PROFILE = EX("redmi-1s-2014.profile.yaml");
const dir = mkdtempSync(join(tmpdir(), "phonehome-report-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function phonehome(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("--fail-on: exit 3 when the alert reaches the level, 0 below it, 2 for an unknown level", () => {
  const json = phonehome("analyze", BEFORE, "--profile", PROFILE, "--format", "json");
  const level = JSON.parse(json.stdout).alert.level as string;
  assert.equal(level, "critical", "the example sends SMS text and contacts in clear text abroad");
  assert.equal(phonehome("analyze", BEFORE, "--profile", PROFILE, "--fail-on", "high").code, 3);
  assert.equal(phonehome("analyze", BEFORE, "--profile", PROFILE, "--fail-on", "critical").code, 3);
  const idle = JSON.parse(phonehome("analyze", IDLE, "--format", "json").stdout).alert.level;
  assert.notEqual(idle, "critical");
  assert.equal(phonehome("analyze", IDLE, "--fail-on", "critical").code, 0);
  const bad = phonehome("analyze", IDLE, "--fail-on", "severe");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown level 'severe'/);
});

test("piped text output has no colour codes and names the alert, destination and country", () => {
  const r = phonehome("analyze", BEFORE, "--profile", PROFILE);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes("\u001b["), "no ANSI escapes when piped");
  assert.match(r.stdout, /^ALERT CRITICAL: /);
  assert.match(r.stdout, /api\.account\.xiaomi\.com · Xiaomi · HK · cleartext/);
  assert.match(r.stdout, /wireshark: ip\.addr == /);
});

test("csv has a header and one row per finding of the JSON run", () => {
  const n = JSON.parse(phonehome("analyze", BEFORE, "--profile", PROFILE, "--format", "json").stdout).findings
    .length;
  const csv = phonehome("analyze", BEFORE, "--profile", PROFILE, "--format", "csv")
    .stdout.trim()
    .split("\r\n");
  assert.ok(csv[0].startsWith("ts,severity,kind,"));
  assert.equal(csv.length - 1, n);
});

test("html is one self-contained document with a strict CSP", () => {
  const r = phonehome("analyze", BEFORE, "--profile", PROFILE, "--format", "html");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^<!DOCTYPE html>/i);
  assert.match(r.stdout, /Content-Security-Policy/);
  assert.ok(!/<script/i.test(r.stdout));
});

test("--evidence writes only the leaking connection's packets, with a comment on the carrying packets", {
  skip: NO_TSHARK,
}, () => {
  const out = join(dir, "evidence.pcapng");
  const r = phonehome("analyze", BEFORE, "--profile", PROFILE, "--evidence", out, "--format", "json");
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  const ports = new Set(doc.findings.map((f: { orig_p: number }) => f.orig_p));
  const t = spawnSync(
    "tshark",
    ["-r", out, "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "frame.comment"],
    {
      encoding: "utf8",
    },
  );
  assert.equal(t.status, 0, t.stderr);
  const rows = t.stdout
    .trim()
    .split("\n")
    .map((l) => l.split("\t"));
  assert.ok(rows.length > 0);
  for (const [src, dst] of rows) assert.ok(ports.has(Number(src)) || ports.has(Number(dst)), `${src}→${dst}`);
  const commented = rows.filter((x) => x[2]?.includes("phonehome:"));
  const frames = new Set(doc.findings.map((f: { frames: number[] }) => f.frames[1]));
  assert.equal(commented.length, frames.size);
  assert.ok(!t.stdout.includes("861234567890127"), "comments are masked");
});

test("diff of two saved JSON runs: cleartext → TLS for every identifier", () => {
  const a = join(dir, "before.json");
  const b = join(dir, "after.json");
  writeFileSync(a, phonehome("analyze", BEFORE, "--profile", PROFILE, "--format", "json").stdout);
  writeFileSync(b, phonehome("analyze", AFTER, "--profile", PROFILE, "--format", "json").stdout);
  const r = phonehome("diff", a, b, "--format", "json");
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.ok(d.rows.length >= 5);
  for (const row of d.rows) {
    assert.equal(row.status, "changed", JSON.stringify(row));
    assert.equal(row.change, "cleartext → tls-decrypted");
  }
  assert.match(d.verdict, /now encrypted \(TLS\) instead of in clear text/);
  const notRun = join(dir, "x.json");
  writeFileSync(notRun, '{"hello": 1}');
  const bad = phonehome("diff", notRun, b);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /not a saved phonehome run/);
});

test("a bad policy file: one line per bad field, exit 2", () => {
  const policy = join(dir, "policy.yaml");
  writeFileSync(policy, "rules:\n  - when: { country: [Chinaa] }\n    severity: huge\n");
  const r = phonehome("analyze", IDLE, "--policy", policy);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /policy\.yaml:2/);
  assert.match(r.stderr, /severity/);
});

test("evidence of a decrypted TLS capture carries its keys: tshark decrypts the requests from it alone", {
  skip: NO_TSHARK,
}, () => {
  const out = join(dir, "evidence-tls.pcapng");
  const r = phonehome("analyze", AFTER, "--profile", PROFILE, "--evidence", out, "--format", "json");
  assert.equal(r.code, 0, r.stderr);
  const hosts = spawnSync("tshark", ["-r", out, "-Y", "http.request", "-T", "fields", "-e", "http.host"], {
    encoding: "utf8",
  });
  assert.equal(hosts.status, 0, hosts.stderr);
  const seen = hosts.stdout.trim().split("\n").filter(Boolean);
  assert.ok(seen.length >= 2, hosts.stdout);
  for (const h of seen) assert.equal(h, "api.account.xiaomi.com");
  assert.match(r.stderr, /evidence: \d+ packets of \d+ connections, [1-9]\d* key lines/);
});
