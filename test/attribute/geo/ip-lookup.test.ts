// IpLookup over the installed tables, checked against public registry facts quoted in issue 5 (Google Public
// DNS is AS15169 in the US; 1.2.4.8 and 203.119.25.1 belong to CNNIC in China), plus laziness, the cache,
// and tables of our own with planted rows.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { ResolvedGeoFiles } from "../../../src/attribute/geo/geo-files.ts";
import { IpLookup } from "../../../src/attribute/geo/ip-lookup.ts";
import { writeMmdb } from "../../helpers/mmdb-writer.ts";

/** An empty user folder, so only the installed packages' tables are used. */
const PACKAGES_ONLY = { PHONEHOME_GEO_DIR: mkdtempSync(join(tmpdir(), "phonehome-geo-empty-")) };

test("registry facts: Google Public DNS and CNNIC, IPv4, IPv6 and IPv4-mapped", () => {
  const l = new IpLookup({ env: PACKAGES_ONLY });
  assert.deepEqual(l.lookup("8.8.8.8"), {
    ip_class: "public",
    country: "US",
    asn: 15169,
    as_org: "Google LLC",
  });
  assert.deepEqual(l.lookup("1.2.4.8"), {
    ip_class: "public",
    country: "CN",
    asn: 24406,
    as_org: "China Internet Network Infomation Center", // sic: as the data spells it
  });
  const cnnic = l.lookup("203.119.25.1");
  assert.deepEqual([cnnic.country, cnnic.asn], ["CN", 24151]);
  assert.match(cnnic.as_org ?? "", /China Internet Network/);
  const v6 = l.lookup("2001:4860:4860::8888");
  assert.deepEqual([v6.ip_class, v6.country, v6.asn], ["public", "US", 15169]);
  assert.deepEqual(l.lookup("::ffff:8.8.8.8"), l.lookup("8.8.8.8"));
  assert.deepEqual(l.problems(), []);
  l.close();
});

test("special-purpose addresses get their class and nothing else", () => {
  const l = new IpLookup({ env: PACKAGES_ONLY });
  assert.deepEqual(l.lookup("10.0.0.1"), { ip_class: "private" });
  assert.deepEqual(l.lookup("100.64.1.1"), { ip_class: "cgnat" });
  assert.deepEqual(l.lookup("fe80::1"), { ip_class: "link-local" });
  assert.deepEqual(l.lookup("127.0.0.1"), { ip_class: "loopback" });
  assert.deepEqual(l.lookup("ff02::fb"), { ip_class: "multicast" });
  assert.deepEqual(l.lookup("not an address"), { ip_class: "reserved" });
});

test("lazy: nothing is opened until the first public address", () => {
  const absent = join(tmpdir(), "phonehome-no-such-table");
  const files: ResolvedGeoFiles = {
    countryV4: { role: "countryV4", path: `${absent}.mmdb`, origin: "user" },
    asnV4: { role: "asnV4", path: `${absent}.csv`, origin: "user" },
  };
  const l = new IpLookup({ files });
  for (const ip of ["10.0.0.1", "192.168.1.1", "fe80::1", "::1", "100.64.0.1"]) l.lookup(ip);
  assert.deepEqual(l.problems(), [], "no file was tried");
  assert.deepEqual(l.lookup("8.8.8.8"), { ip_class: "public" });
  assert.equal(l.problems().length, 2, "both files were tried at the first public address");
});

function tables(rows: string, mmdb: Buffer): ResolvedGeoFiles {
  const d = mkdtempSync(join(tmpdir(), "phonehome-geo-own-"));
  writeFileSync(join(d, "asn.csv"), rows);
  writeFileSync(join(d, "c.mmdb"), mmdb);
  return {
    countryV4: { role: "own", path: join(d, "c.mmdb"), origin: "user" },
    asnV4: { role: "asnV4", path: join(d, "asn.csv"), origin: "user" },
  };
}

test("planted tables: AS 0 (not routed) and an empty organisation are left out", () => {
  // 8.8.8.0/24 = 134744064..134744319; 9.9.9.0/24 = 151587072..151587327.
  const rows =
    "134744064,134744319,64500,Planted Org\n151587072,151587327,0,Not routed\n151587328,151587583,64501,\n";
  const mmdb = writeMmdb([{ cidr: "8.8.8.0/24", record: { country: { iso_code: "ZZ" } } }], { ipVersion: 4 });
  const l = new IpLookup({ files: tables(rows, mmdb) });
  assert.deepEqual(l.lookup("8.8.8.8"), {
    ip_class: "public",
    country: "ZZ",
    asn: 64500,
    as_org: "Planted Org",
  });
  assert.deepEqual(l.lookup("9.9.9.9"), { ip_class: "public" });
  assert.deepEqual(l.lookup("9.9.10.1"), { ip_class: "public", asn: 64501 });
  assert.deepEqual(l.lookup("2001:4860:4860::8888"), { ip_class: "public" }, "no IPv6 tables given");
});

test("cache: repeated lookups read nothing; answers are copies; the least recently used is dropped", () => {
  const l = new IpLookup({ env: PACKAGES_ONLY, cacheSize: 2 });
  const a = l.lookup("8.8.8.8");
  const reads = l.asnReads();
  a.as_org = "changed by the caller";
  assert.equal(l.lookup("8.8.8.8").as_org, "Google LLC");
  assert.equal(l.asnReads(), reads, "served from the cache");
  l.lookup("1.2.4.8");
  l.lookup("8.8.8.8"); // most recently used again
  l.lookup("203.119.25.1"); // drops 1.2.4.8
  const before = l.asnReads();
  l.lookup("8.8.8.8");
  assert.equal(l.asnReads(), before, "8.8.8.8 stayed");
  l.lookup("1.2.4.8");
  assert.ok(l.asnReads() > before, "1.2.4.8 was dropped and read again");
});
