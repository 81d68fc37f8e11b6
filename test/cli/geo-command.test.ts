// `phonehome geo lookup | update | info`: output lines checked against registry facts quoted in issue 5,
// errors as one line, and (once main.ts registers the command) exit code 2 from a real process.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Command, CommanderError } from "commander";
import {
  formatGeoRow,
  geoInfoLines,
  geoLookup,
  geoUpdateLines,
  registerGeoCommand,
} from "../../src/cli/geo-command.ts";
import { UsageError } from "../../src/cli/usage-error.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";

const tmp = (what: string) => mkdtempSync(join(tmpdir(), `phonehome-${what}-`));
const PACKAGES_ONLY = { PHONEHOME_GEO_DIR: tmp("geo-empty") };

test("lookup: ip, class, country, AS, organisation, tab-separated; - for unknown", () => {
  const out = geoLookup(["8.8.8.8", "1.2.4.8", "10.0.0.1", "2001:4860:4860::8888"], false, PACKAGES_ONLY);
  assert.deepEqual(
    out.text.split("\n").map((l) => l.split("\t")),
    [
      ["8.8.8.8", "public", "US", "AS15169", "Google LLC"],
      ["1.2.4.8", "public", "CN", "AS24406", "China Internet Network Infomation Center"],
      ["10.0.0.1", "private", "-", "-", "-"],
      ["2001:4860:4860::8888", "public", "US", "AS15169", "Google LLC"],
      [""],
    ],
  );
  assert.deepEqual(out.warnings, []);
});

test("lookup --json: one object for one address, an array for several", () => {
  const one = JSON.parse(geoLookup(["203.119.25.1"], true, PACKAGES_ONLY).text);
  assert.deepEqual([one.ip, one.ip_class, one.country, one.asn], ["203.119.25.1", "public", "CN", 24151]);
  const many = JSON.parse(geoLookup(["100.64.1.1", "fe80::1"], true, PACKAGES_ONLY).text);
  assert.deepEqual(many, [
    { ip: "100.64.1.1", ip_class: "cgnat" },
    { ip: "fe80::1", ip_class: "link-local" },
  ]);
});

test("lookup: text that is no address is a usage error, before any lookup", () => {
  assert.throws(
    () => geoLookup(["8.8.8.8", "8.8.8.256\u001b"], false, PACKAGES_ONLY),
    (e) => e instanceof UsageError && e.message === "not an IP address: 8.8.8.256\\u001b",
  );
});

test("a row never carries a tab, newline or control character from the data into the terminal", () => {
  const row = formatGeoRow({ ip: "1.1.1.1", ip_class: "public", asn: 1, as_org: "Evil\tOrg\n\u001b[31mred" });
  assert.equal(row.split("\t").length, 5);
  assert.doesNotMatch(row, /[\n\u001b]/);
});

function program(): { p: Command; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const p = new Command("phonehome")
    .exitOverride()
    .configureOutput({ writeErr: (s) => err.push(s), writeOut: (s) => out.push(s) });
  registerGeoCommand(p, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { p, out, err };
}

async function withGeoDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const old = process.env.PHONEHOME_GEO_DIR;
  process.env.PHONEHOME_GEO_DIR = dir;
  try {
    return await fn();
  } finally {
    if (old === undefined) delete process.env.PHONEHOME_GEO_DIR;
    else process.env.PHONEHOME_GEO_DIR = old;
  }
}

test("through commander: geo lookup, geo update --from, a broken MMDB and a missing --from", async () => {
  const user = tmp("geo-user");
  await withGeoDir(user, async () => {
    const a = program();
    await a.p.parseAsync(["geo", "lookup", "fe80::1", "::ffff:8.8.8.8"], { from: "user" });
    assert.equal(
      a.out.join(""),
      "fe80::1\tlink-local\t-\t-\t-\n::ffff:8.8.8.8\tpublic\tUS\tAS15169\tGoogle LLC\n",
    );
    const from = tmp("geo-src");
    writeFileSync(join(from, "geo-whois-asn-country.mmdb"), "garbage, not an MMDB");
    const b = program();
    await assert.rejects(b.p.parseAsync(["geo", "update", "--from", from], { from: "user" }), (e) => {
      return (
        e instanceof UsageError &&
        e.message.includes("geo-whois-asn-country.mmdb") &&
        !e.message.includes("\n")
      );
    });
    const c = program();
    await assert.rejects(c.p.parseAsync(["geo", "update"], { from: "user" }), CommanderError);
    assert.match(c.err.join(""), /--from/);
  });
});

test("update then info: the new table is listed as the user's", () => {
  const from = tmp("geo-src");
  // 8.8.8.0/24 as integers: 134744064..134744319.
  writeFileSync(join(from, "asn-ipv4-num.csv"), "134744064,134744319,64496,Planted Test Org\n");
  const env = { PHONEHOME_GEO_DIR: tmp("geo-user") };
  const lines = geoUpdateLines(from, env);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^installed .*asn-ipv4-num\.csv from .*asn-ipv4-num\.csv \(1 ranges\)$/);
  const info = geoInfoLines(env);
  assert.ok(
    info.some(
      (l) =>
        l.startsWith("IPv4 → AS: ") &&
        l.endsWith(`${join(env.PHONEHOME_GEO_DIR, "asn-ipv4-num.csv")} (user)`),
    ),
  );
  assert.ok(info.some((l) => l.startsWith("IPv6 → AS: ") && l.endsWith("(package)")));
  assert.ok(info.some((l) => l.includes("CC BY 4.0")));
  assert.equal(geoLookup(["8.8.8.8"], false, env).text, "8.8.8.8\tpublic\tUS\tAS64496\tPlanted Test Org\n");
});

const MAIN_HAS_GEO = readFileSync(join(REPO_ROOT, "src", "cli", "main.ts"), "utf8").includes(
  "registerGeoCommand",
);
const NOT_WIRED = MAIN_HAS_GEO ? false : "src/cli/main.ts does not register the geo command yet";

test("end to end: a broken MMDB is one stderr line and exit code 2", { skip: NOT_WIRED }, () => {
  const from = tmp("geo-src");
  writeFileSync(join(from, "geo-whois-asn-country-ipv4.mmdb"), "garbage, not an MMDB");
  const env = { ...process.env, PHONEHOME_GEO_DIR: tmp("geo-user") };
  const bin = join(REPO_ROOT, "bin", "phonehome.js");
  const r = spawnSync(process.execPath, [bin, "geo", "update", "--from", from], {
    encoding: "utf8",
    env,
    timeout: 60_000,
  });
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /geo-whois-asn-country-ipv4\.mmdb/);
  const ok = spawnSync(process.execPath, [bin, "geo", "lookup", "8.8.8.8"], {
    encoding: "utf8",
    env,
    timeout: 60_000,
  });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, "8.8.8.8\tpublic\tUS\tAS15169\tGoogle LLC\n");
});
