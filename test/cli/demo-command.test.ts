// `phonehome demo` as commander parses it: --out chooses the folder, a second run is refused with a usage
// error (exit 2 in main) unless --force, and the output goes to stdout. The analysis is a stand-in.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Command } from "commander";
import { DEMO_FILES, DEMO_ROLES, type DemoAnalyze, runDemo } from "../../src/app/demo.ts";
import { defaultDemoAnalyze, registerDemoCommand } from "../../src/cli/demo-command.ts";
import { UsageError } from "../../src/cli/usage-error.ts";
import type { AnalysisReport } from "../../src/report/report-types.ts";
import { asnLineOf, countryOf, plantedValues } from "../helpers/example-oracle.ts";

const root = mkdtempSync(join(tmpdir(), "phonehome-demo-cli-"));
after(() => rmSync(root, { recursive: true, force: true }));

function report(file: string): AnalysisReport {
  return {
    schema: "phonehome.report/1",
    tool: { name: "phonehome", version: "0" },
    generated: "2014-08-11T00:00:00Z",
    inputs: [{ file, sha256: "", format: "pcap", packets: 0, bytes: 0 }],
    revealed: false,
    alert: { level: "info", reasons: [], summary: "nothing found" },
    findings: [],
    endpoints: [],
    connections: [],
    stats: { packets: 0, bytes: 0, connections: 0, findings: 0, endpoints: 0, elapsed_s: 0 },
    weird: {},
    credits: [],
  };
}

/** Parses `args` with a fresh program; returns what went to stdout and the analysed files. */
async function run(args: string[]): Promise<{ stdout: string; analysed: string[] }> {
  const analysed: string[] = [];
  const analyze: DemoAnalyze = async (files) => {
    analysed.push(...files);
    return report(files[0]);
  };
  const program = new Command("phonehome").exitOverride();
  registerDemoCommand(program, analyze);
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((s: string) => chunks.push(String(s)) > 0) as typeof process.stdout.write;
  try {
    await program.parseAsync(["node", "phonehome", ...args]);
  } finally {
    process.stdout.write = write;
  }
  return { stdout: chunks.join(""), analysed };
}

test("demo --out DIR writes the four files there, analyses two and prints to stdout", async () => {
  const dir = join(root, "a");
  const r = await run(["demo", "--out", dir]);
  for (const role of DEMO_ROLES) assert.ok(existsSync(join(dir, DEMO_FILES[role])), role);
  assert.deepEqual(r.analysed, [join(dir, DEMO_FILES.before), join(dir, DEMO_FILES.after)]);
  assert.match(r.stdout, /What the update changed/);
});

test("a second demo into the same folder is a usage error unless --force", async () => {
  const dir = join(root, "b");
  await run(["demo", "--out", dir]);
  await assert.rejects(
    run(["demo", "--out", dir]),
    (e: unknown) => e instanceof UsageError && /--force/.test(e.message),
  );
  const again = await run(["demo", "--out", dir, "--force"]);
  assert.equal(again.analysed.length, 2);
});

test("without --out the files go to ./phonehome-demo", async () => {
  const cwd = process.cwd();
  const here = join(root, "c");
  mkdirSync(here);
  process.chdir(here);
  try {
    await run(["demo"]);
  } finally {
    process.chdir(cwd);
  }
  assert.ok(existsSync(join(here, "phonehome-demo", DEMO_FILES.profile)));
});

test("the real demo: the first test leaks each planted kind in clear text, the re-test the same over decrypted TLS", {
  timeout: 120_000,
}, async () => {
  const dir = join(root, "real");
  const out: string[] = [];
  const res = await runDemo({ dir, color: false, analyze: defaultDemoAnalyze(), write: (t) => out.push(t) });
  const planted = ["imei", "imsi", "phone_number", "carrier", "contact_phone", "sms_number"];
  for (const [report, transport] of [
    [res.before, "cleartext"],
    [res.after, "tls-decrypted"],
  ] as const) {
    const mine = report.findings.filter((f) => !f.generic);
    for (const k of planted)
      assert.ok(
        mine.some((f) => f.kind === k),
        `${transport}: ${k}`,
      );
    for (const f of mine) {
      assert.equal(f.dest?.host, "api.account.xiaomi.com");
      assert.equal(f.dest?.transport, transport);
      // Who holds the address, asked of the registry tables directly.
      assert.match(asnLineOf(f.dest.ip)?.org ?? "", /xiaomi/i);
      assert.equal(f.dest.country, countryOf(f.dest.ip));
      assert.equal(f.dest.cross_border, true, "the lab's home is TW");
    }
  }
  const imei = res.diff.rows.find((r) => r.kind === "imei");
  assert.equal(imei?.status, "changed");
  assert.ok(!out.join("").includes(plantedValues().imei), "values stay masked");
});
