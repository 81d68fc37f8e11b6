// `geo update`: checked copies into the user folder that lookups then use, and one-line refusals that
// install nothing.

import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { GeoFileError } from "../../../src/attribute/geo/country-db.ts";
import { ASN_PACKAGE, COUNTRY_PACKAGE, packageDir } from "../../../src/attribute/geo/geo-files.ts";
import { checkAsnCsv, updateGeo } from "../../../src/attribute/geo/geo-update.ts";
import { IpLookup } from "../../../src/attribute/geo/ip-lookup.ts";
import { writeMmdb } from "../../helpers/mmdb-writer.ts";

const tmp = (what: string) => mkdtempSync(join(tmpdir(), `phonehome-${what}-`));
const COUNTRY_DIR = packageDir(COUNTRY_PACKAGE)!;
// 8.8.8.0/24 as integers: 8·2²⁴ + 8·2¹⁶ + 8·2⁸ = 134744064, to 134744319.
const FAKE_ASN_CSV = "134744064,134744319,64496,Planted Test Org\n";

function refused(fn: () => unknown, file: RegExp, reason: RegExp): void {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof GeoFileError, String(e));
    assert.equal(e.message.split("\n").length, 1, "one line");
    assert.match(e.message, file);
    assert.match(e.message, reason);
    return true;
  });
}

test("update --from a folder of copies: lookups use the new files", () => {
  const from = tmp("geo-src");
  copyFileSync(
    join(COUNTRY_DIR, "geo-whois-asn-country-ipv4.mmdb"),
    join(from, "geo-whois-asn-country-ipv4.mmdb"),
  );
  writeFileSync(join(from, "asn-ipv4-num.csv"), FAKE_ASN_CSV);
  writeFileSync(join(from, "README.txt"), "not a table");
  const env = { PHONEHOME_GEO_DIR: join(tmp("geo-user"), "nested", "geo") };
  const r = updateGeo(from, env);
  assert.deepEqual(r.installed.map((f) => f.role).sort(), ["asnV4", "countryV4"]);
  assert.deepEqual(r.ignored, ["README.txt"]);
  assert.match(r.installed.find((f) => f.role === "asnV4")!.detail, /^1 ranges$/);
  assert.match(r.installed.find((f) => f.role === "countryV4")!.detail, /8\.8\.8\.8 → US/);
  assert.deepEqual(readdirSync(env.PHONEHOME_GEO_DIR).sort(), [
    "asn-ipv4-num.csv",
    "geo-whois-asn-country-ipv4.mmdb",
  ]);
  const l = new IpLookup({ env });
  assert.deepEqual(l.lookup("8.8.8.8"), {
    ip_class: "public",
    country: "US",
    asn: 64496,
    as_org: "Planted Test Org",
  });
  assert.equal(l.files().asnV4?.origin, "user");
  assert.equal(l.files().asnV6?.origin, "package", "tables not given stay the packages'");
});

test("an own MMDB in MaxMind's layout is installed and used for both families", () => {
  const from = tmp("geo-own");
  const own = writeMmdb(
    [
      { cidr: "8.8.8.0/24", record: { country: { iso_code: "DE", names: { en: "Germany" } } } },
      { cidr: "2001:4860::/32", record: { country: { iso_code: "JP" } } },
    ],
    { ipVersion: 6, databaseType: "GeoLite2-Country" },
  );
  writeFileSync(join(from, "GeoLite2-Country.mmdb"), own);
  const env = { PHONEHOME_GEO_DIR: tmp("geo-user") };
  const r = updateGeo(from, env);
  assert.equal(r.installed[0].role, "own");
  assert.match(r.installed[0].detail, /GeoLite2-Country, built \d{4}-\d\d-\d\d, 8\.8\.8\.8 → DE/);
  const l = new IpLookup({ env });
  assert.equal(l.lookup("8.8.8.8").country, "DE");
  assert.equal(l.lookup("2001:4860:4860::8888").country, "JP");
  assert.equal(l.lookup("8.8.8.8").asn, 15169, "AS numbers still from the package");
  // Package-layout country files installed later are shadowed by the own MMDB: the user is told.
  const later = tmp("geo-later");
  copyFileSync(
    join(COUNTRY_DIR, "geo-whois-asn-country-ipv4.mmdb"),
    join(later, "geo-whois-asn-country-ipv4.mmdb"),
  );
  assert.match(updateGeo(later, env).notes.join("\n"), /own-country\.mmdb .* still takes precedence/);
});

test("a broken MMDB: one line naming the file, and nothing of the batch is installed", () => {
  const from = tmp("geo-broken");
  writeFileSync(join(from, "asn-ipv4-num.csv"), FAKE_ASN_CSV);
  const bad = join(from, "geo-whois-asn-country.mmdb");
  writeFileSync(bad, readFileSync(join(COUNTRY_DIR, "geo-whois-asn-country-ipv4.mmdb")).subarray(0, 5000));
  const user = tmp("geo-user");
  refused(() => updateGeo(from, { PHONEHOME_GEO_DIR: user }), /geo-whois-asn-country\.mmdb: /, /MaxMind DB/);
  assert.deepEqual(readdirSync(user), [], "no table and no leftover temporary file");
});

test("MMDB checks: an IPv4-only tree under an IPv6 name; no country for 8.8.8.8; two own MMDBs", () => {
  const user = { PHONEHOME_GEO_DIR: tmp("geo-user") };
  const a = tmp("geo-v4as6");
  copyFileSync(
    join(COUNTRY_DIR, "geo-whois-asn-country-ipv4.mmdb"),
    join(a, "geo-whois-asn-country-ipv6.mmdb"),
  );
  refused(() => updateGeo(a, user), /geo-whois-asn-country-ipv6\.mmdb/, /IPv4-only/);
  const b = tmp("geo-nocc");
  writeFileSync(
    join(b, "city.mmdb"),
    writeMmdb([{ cidr: "1.1.1.0/24", record: { country_code: "AU" } }], { ipVersion: 4 }),
  );
  refused(() => updateGeo(b, user), /city\.mmdb/, /no country for 8\.8\.8\.8/);
  const c = tmp("geo-two");
  const mm = writeMmdb([{ cidr: "8.8.8.0/24", record: { country_code: "US" } }], { ipVersion: 4 });
  writeFileSync(join(c, "one.mmdb"), mm);
  writeFileSync(join(c, "two.mmdb"), mm);
  refused(() => updateGeo(c, user), /one\.mmdb, two\.mmdb/, /keep one/);
});

test("CSV checks: line number and what is wrong", () => {
  const cases: [string, RegExp][] = [
    ["", /empty file/],
    ["1,2,3,a\n5,6,7,b\n3,4,5,c\n", /line 3: not sorted/],
    ["1,2,3,a\nnot,a,csv,line\n", /line 2: not start,end,asn,org/],
    [
      "42540528726795050063891204319802818560,42540528806023212578155541913346768895,2500,WIDE\n",
      /line 1: .*32 bits/,
    ],
    [`1,2,3,${"x".repeat(2000)}\n`, /line 1: longer than/],
    [`1,2,3,a\n${"y".repeat(3 * 1024 * 1024)}`, /line 2: longer than/],
  ];
  for (const [text, reason] of cases) {
    const from = tmp("geo-csv");
    writeFileSync(join(from, "asn-ipv4-num.csv"), text);
    refused(() => updateGeo(from, { PHONEHOME_GEO_DIR: tmp("geo-user") }), /asn-ipv4-num\.csv: /, reason);
  }
});

test("a folder with no table, a missing folder: refused with the folder named", () => {
  const empty = tmp("geo-none");
  writeFileSync(join(empty, "notes.txt"), "x");
  const env = { PHONEHOME_GEO_DIR: tmp("geo-user") };
  refused(() => updateGeo(empty, env), new RegExp(empty), /no geo table/);
  refused(() => updateGeo(join(empty, "absent"), env), /absent/, /no such file or folder/);
});

test("--from may name one file", () => {
  const from = tmp("geo-one");
  const file = join(from, "asn-ipv4-num.csv");
  writeFileSync(file, FAKE_ASN_CSV);
  const env = { PHONEHOME_GEO_DIR: tmp("geo-user") };
  assert.equal(updateGeo(file, env).installed.length, 1);
  assert.ok(existsSync(join(env.PHONEHOME_GEO_DIR, "asn-ipv4-num.csv")));
});

test("checkAsnCsv accepts the package's own tables, counting every line", () => {
  const asnDir = packageDir(ASN_PACKAGE)!;
  for (const [name, family] of [
    ["asn-ipv4-num.csv", 4],
    ["asn-ipv6-num.csv", 6],
  ] as const) {
    const lines = readFileSync(join(asnDir, name), "utf8").trimEnd().split("\n").length;
    assert.equal(checkAsnCsv(join(asnDir, name), family), `${lines} ranges`);
  }
});
