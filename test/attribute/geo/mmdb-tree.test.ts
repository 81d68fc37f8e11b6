// The MMDB tree walk against planted prefixes in every record layout, against mmdb-lib's own reader (which
// holds the whole file) on the bundled country tables, and with damaged files.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { Reader } from "mmdb-lib";
import { COUNTRY_PACKAGE, GEO_FILE_NAMES, packageDir } from "../../../src/attribute/geo/geo-files.ts";
import { fromBytes, parseIp } from "../../../src/attribute/geo/ip-address.ts";
import { BufferSource, FileSource } from "../../../src/attribute/geo/mmdb-source.ts";
import { MmdbTree } from "../../../src/attribute/geo/mmdb-tree.ts";
import { type MmdbEntry, writeMmdb } from "../../helpers/mmdb-writer.ts";

const ip = (text: string) => parseIp(text)!;
const PLANTS: MmdbEntry[] = [
  { cidr: "8.8.8.0/24", record: { country_code: "US" } },
  { cidr: "1.2.4.0/22", record: { country: { iso_code: "CN" } } },
  { cidr: "203.119.25.0/24", record: { country_code: "CN", n: 7 } },
];
const PLANTS_V6: MmdbEntry[] = [...PLANTS, { cidr: "2001:4860::/32", record: { country_code: "US" } }];

for (const recordSize of [24, 28, 32] as const) {
  for (const ipVersion of [4, 6] as const) {
    test(`${recordSize}-bit records, IPv${ipVersion} tree: planted prefixes answer, others do not`, () => {
      // 17 MiB of padding before the records: their values need more than 24 bits (28: the shared nibble).
      const pad = recordSize === 24 ? 0 : 17 << 20;
      const bytes = writeMmdb(ipVersion === 4 ? PLANTS : PLANTS_V6, { ipVersion, recordSize, dataPad: pad });
      const tree = new MmdbTree(new BufferSource(bytes));
      assert.equal(tree.ipVersion, ipVersion);
      assert.deepEqual(tree.get(ip("8.8.8.8")), { country_code: "US" });
      assert.deepEqual(tree.get(ip("1.2.7.255")), { country: { iso_code: "CN" } });
      assert.deepEqual(tree.get(ip("203.119.25.9")), { country_code: "CN", n: 7 });
      assert.equal(tree.get(ip("8.8.9.0")), undefined);
      assert.equal(tree.get(ip("1.2.8.0")), undefined);
      if (ipVersion === 6) {
        assert.deepEqual(tree.get(ip("2001:4860:4860::8888")), { country_code: "US" });
        assert.equal(tree.get(ip("2001:4861::1")), undefined);
      }
    });
  }
}

/** Random addresses: any IPv4, or IPv6 under the prefixes registries allocate from (else nearly all miss). */
function randomAddresses(count: number, family: 4 | 6): string[] {
  const out: string[] = [];
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  const heads = [0x2001, 0x2400, 0x2404, 0x2600, 0x2a00, 0x2a02, 0x2c0f, 0x240e];
  for (let i = 0; i < count; i++) {
    const b = new Uint8Array(family === 4 ? 4 : 16).map(() => next() & 0xff);
    if (family === 6) {
      const h = heads[i % heads.length];
      b[0] = h >> 8;
      b[1] = h & 0xff;
    }
    out.push(fromBytes(b).text);
  }
  return out;
}

test("the bundled country tables: the same answers as mmdb-lib reading the whole file", () => {
  const dir = packageDir(COUNTRY_PACKAGE);
  assert.ok(dir, "the country package is installed");
  const cases: [string, 4 | 6][] = [
    [GEO_FILE_NAMES.countryV4, 4],
    [GEO_FILE_NAMES.countryV6, 6],
    [GEO_FILE_NAMES.countryAll, 4], // IPv4 under ::/96 of an IPv6 tree
  ];
  for (const [name, family] of cases) {
    const path = join(dir, name);
    const oracle = new Reader(readFileSync(path));
    const tree = new MmdbTree(new FileSource(path));
    let found = 0;
    for (const a of randomAddresses(3000, family)) {
      const want = oracle.get(a) ?? undefined;
      assert.deepEqual(tree.get(ip(a)), want, `${name} ${a}`);
      if (want) found++;
    }
    tree.close();
    // Not a vacuous comparison: many of the addresses have a country (IPv6: 470 of 3000 when written).
    assert.ok(found > 300, `${name}: ${found} of 3000 random IPv${family} addresses have a country`);
  }
});

test("no MMDB, a tree larger than the file, a record past the data: one-line errors", () => {
  assert.throws(() => new MmdbTree(new BufferSource(Buffer.from("not a MaxMind database at all"))));
  const good = writeMmdb(PLANTS, { ipVersion: 4 });
  // The tree starts the file: cut it short, keeping the data and metadata at the end.
  const cut = Buffer.concat([good.subarray(0, 6), good.subarray(good.length - 400)]);
  assert.throws(() => new MmdbTree(new BufferSource(cut)), /does not fit|metadata|parse|MaxMind/i);
});

test("property: a damaged MMDB either opens or throws; lookups answer or throw, never hang", () => {
  const good = writeMmdb(PLANTS_V6, { ipVersion: 6, recordSize: 28 });
  const edits = fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
    minLength: 1,
    maxLength: 6,
  });
  const addr = fc.constantFrom("8.8.8.8", "1.2.5.6", "9.9.9.9", "2001:4860:4860::8888", "2a00::1");
  fc.assert(
    fc.property(edits, addr, (e, a) => {
      const b = Buffer.from(good);
      for (const [i, v] of e) b[i] = v;
      let tree: MmdbTree;
      try {
        tree = new MmdbTree(new BufferSource(b));
      } catch {
        return;
      }
      try {
        const r = tree.get(ip(a));
        assert.ok(r === undefined || typeof r === "object" || typeof r !== "function");
      } catch (err) {
        assert.ok(err instanceof Error);
      }
    }),
    { numRuns: 3000 },
  );
});
