// The test MMDB writer, read back by mmdb-lib (an independent reader of the MaxMind DB format).

import assert from "node:assert/strict";
import { test } from "node:test";
import { Reader, type Response } from "mmdb-lib";
import { writeMmdb } from "./mmdb-writer.ts";

test("planted prefixes and every value type read back through mmdb-lib", () => {
  const long = "x".repeat(300); // a size that needs the 2-byte size form
  const record = { country_code: "JP", list: [1, 70000, 2.5, true, false, long], nested: { a: { b: "c" } } };
  const db = writeMmdb(
    [
      { cidr: "8.8.8.0/24", record },
      { cidr: "2001:4860::/32", record: { country: { iso_code: "US" } } },
    ],
    { ipVersion: 6, databaseType: "Test-Country", buildEpoch: 1_600_000_000 },
  );
  const r = new Reader<Response>(db);
  assert.equal(r.metadata.ipVersion, 6);
  assert.equal(r.metadata.databaseType, "Test-Country");
  assert.equal(r.metadata.buildEpoch.getTime(), 1_600_000_000_000);
  assert.deepEqual(r.get("8.8.8.200"), record);
  assert.deepEqual(r.get("2001:4860:4860::8888"), { country: { iso_code: "US" } });
  assert.equal(r.get("8.8.9.1"), null);
  assert.equal(r.get("2001:4861::1"), null);
});

test("an IPv4 tree; nested prefixes are refused (the writer keeps fixtures simple)", () => {
  const r = new Reader<Response>(
    writeMmdb([{ cidr: "1.2.3.4/32", record: { country_code: "FR" } }], { ipVersion: 4 }),
  );
  assert.equal(r.metadata.ipVersion, 4);
  assert.deepEqual(r.get("1.2.3.4"), { country_code: "FR" });
  assert.equal(r.get("1.2.3.5"), null);
  const nested = [
    { cidr: "1.2.0.0/16", record: "a" },
    { cidr: "1.2.3.0/24", record: "b" },
  ];
  assert.throws(() => writeMmdb(nested, { ipVersion: 4 }), /nested prefix/);
});
