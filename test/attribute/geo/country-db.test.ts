// Country lookups in MMDB files built by the test MMDB writer with planted prefixes, in both record layouts,
// and the failure modes: not an MMDB, a damaged one, an IPv6 question to an IPv4-only tree.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { CountryDb, countryOfRecord, GeoFileError, openMmdb } from "../../../src/attribute/geo/country-db.ts";
import { parseIp } from "../../../src/attribute/geo/ip-address.ts";
import { writeMmdb } from "../../helpers/mmdb-writer.ts";

const dir = mkdtempSync(join(tmpdir(), "phonehome-mmdb-"));
let fileNo = 0;

function mmdbFile(bytes: Uint8Array): string {
  const path = join(dir, `t${fileNo++}.mmdb`);
  writeFileSync(path, bytes);
  return path;
}

const ip = (text: string) => parseIp(text)!;

test("countryOfRecord: ip-location-db's country_code, MaxMind's country.iso_code, registered_country", () => {
  assert.equal(countryOfRecord({ country_code: "US" }), "US");
  assert.equal(countryOfRecord({ country: { iso_code: "de", names: { en: "Germany" } } }), "DE");
  assert.equal(countryOfRecord({ registered_country: { iso_code: "NL" } }), "NL");
  assert.equal(
    countryOfRecord({ country: { iso_code: "FR" }, registered_country: { iso_code: "NL" } }),
    "FR",
  );
  for (const r of [
    null,
    undefined,
    7,
    "US",
    {},
    { country_code: 840 },
    { country_code: "USA" },
    { country: "US" },
  ]) {
    assert.equal(countryOfRecord(r), undefined, JSON.stringify(r));
  }
});

test("both layouts in an IPv4 tree: planted prefixes answer, others do not", () => {
  const path = mmdbFile(
    writeMmdb(
      [
        { cidr: "8.8.8.0/24", record: { country_code: "US" } },
        { cidr: "1.2.4.0/24", record: { country: { iso_code: "CN", names: { en: "China" } } } },
      ],
      { ipVersion: 4 },
    ),
  );
  const db = new CountryDb({ v4: path, v6: path });
  assert.equal(db.country(ip("8.8.8.8")), "US");
  assert.equal(db.country(ip("8.8.8.255")), "US");
  assert.equal(db.country(ip("8.8.9.0")), undefined);
  assert.equal(db.country(ip("1.2.4.8")), "CN");
  assert.deepEqual(db.problems, []);
});

test("an IPv4-only tree is never asked about IPv6 (it would answer from the address's first 32 bits)", () => {
  // 2001:4860:: begins with the 32 bits of 32.1.72.96: an IPv4 tree walked with it lands in 32.1.0.0/16.
  const path = mmdbFile(
    writeMmdb([{ cidr: "32.1.0.0/16", record: { country_code: "XX" } }], { ipVersion: 4 }),
  );
  const db = new CountryDb({ v4: path, v6: path });
  assert.equal(db.country(ip("32.1.72.96")), "XX");
  assert.equal(db.country(ip("2001:4860:4860::8888")), undefined);
});

test("an IPv6 tree answers IPv6 and, under ::/96, IPv4", () => {
  const path = mmdbFile(
    writeMmdb(
      [
        { cidr: "2001:4860::/32", record: { country_code: "US" } },
        { cidr: "203.119.25.0/24", record: { country_code: "CN" } },
      ],
      { ipVersion: 6 },
    ),
  );
  const db = new CountryDb({ v4: path, v6: path });
  assert.equal(db.country(ip("2001:4860:4860::8888")), "US");
  assert.equal(db.country(ip("2001:4861::1")), undefined);
  assert.equal(db.country(ip("203.119.25.1")), "CN");
});

test("a family without a file, a missing file, a file that is no MMDB: undefined and one problem each", () => {
  const v4only = new CountryDb({ v4: join(dir, "missing.mmdb") });
  assert.equal(v4only.country(ip("2001:4860:4860::8888")), undefined);
  assert.deepEqual(v4only.problems, [], "no file for IPv6: nothing to complain about");
  assert.equal(v4only.country(ip("8.8.8.8")), undefined);
  assert.equal(v4only.country(ip("8.8.4.4")), undefined);
  assert.equal(v4only.problems.length, 1, "each file is tried once");
  assert.match(v4only.problems[0], /missing\.mmdb/);
  const junk = mmdbFile(Buffer.from("definitely not a MaxMind database"));
  assert.throws(
    () => openMmdb(junk),
    (e) => e instanceof GeoFileError && /not a MaxMind DB/.test(e.message),
  );
  const db = new CountryDb({ v4: junk });
  assert.equal(db.country(ip("8.8.8.8")), undefined);
  assert.equal(db.problems.length, 1);
  assert.ok(db.problems[0].startsWith(junk));
});

test("property: damaged MMDBs never throw out of CountryDb", () => {
  const good = writeMmdb(
    [
      { cidr: "8.8.8.0/24", record: { country_code: "US", extra: [1, 2.5, true, { a: "b" }] } },
      { cidr: "1.2.4.0/22", record: { country: { iso_code: "CN" } } },
      { cidr: "2001:4860::/32", record: { country_code: "US" } },
    ],
    { ipVersion: 6 },
  );
  const mutated = fc
    .array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 6,
    })
    .map((edits) => {
      const b = Buffer.from(good);
      for (const [i, v] of edits) b[i] = v;
      return b;
    });
  const truncated = fc.nat(good.length).map((n) => good.subarray(0, n));
  const addr = fc.constantFrom("8.8.8.8", "1.2.5.6", "9.9.9.9", "2001:4860:4860::8888", "2a00::1");
  fc.assert(
    fc.property(fc.oneof(mutated, truncated, fc.uint8Array({ maxLength: 400 })), addr, (bytes, a) => {
      // Read from memory: the property is about parsing, and a file write per run would dominate.
      const db = new CountryDb({ v4: "fuzz.mmdb", v6: "fuzz.mmdb" }, () => Buffer.from(bytes));
      const cc = db.country(ip(a));
      assert.ok(cc === undefined || /^[A-Z]{2}$/.test(cc));
    }),
    { numRuns: 10000 },
  );
});
