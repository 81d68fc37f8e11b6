// The ASN CSV binary search: planted tables (edges, gaps, long and short lines, CRLF, no final newline,
// damage), the package's real first and last lines, and properties on random and mutated files.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { AsnTable, parseAsnLine } from "../../../src/attribute/geo/asn-db.ts";
import { ASN_PACKAGE, packageDir } from "../../../src/attribute/geo/geo-files.ts";

const dir = mkdtempSync(join(tmpdir(), "phonehome-asn-"));
let fileNo = 0;

function csvFile(text: string | Uint8Array): string {
  const path = join(dir, `t${fileNo++}.csv`);
  writeFileSync(path, text);
  return path;
}

interface Planted {
  start: number;
  end: number;
  asn: number;
  org: string;
}

/** `n` ranges with gaps between them and organisation names of varied length (some quoted). */
function plantedRows(n: number): Planted[] {
  const rows: Planted[] = [];
  for (let i = 0; i < n; i++) {
    const org = i % 7 === 0 ? `Org ${i}, Inc.` : `Org ${i} ${"x".repeat((i * 37) % 200)}`;
    rows.push({ start: 1000 + i * 1000, end: 1000 + i * 1000 + 499, asn: i + 1, org });
  }
  return rows;
}

function csvText(rows: Planted[], eol = "\n"): string {
  const quote = (s: string) => (/[",]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  return rows.map((r) => `${r.start},${r.end},${r.asn},${quote(r.org)}${eol}`).join("");
}

/** The row a linear scan finds: the oracle for the binary search. */
function linear(rows: Planted[], v: number): Planted | undefined {
  return rows.find((r) => r.start <= v && v <= r.end);
}

function same(got: ReturnType<AsnTable["find"]>, want: Planted | undefined, v: number): void {
  if (!want) {
    assert.equal(got, undefined, `value ${v}`);
    return;
  }
  assert.ok(got, `value ${v} should be found`);
  assert.deepEqual(
    [got.start, got.end, got.asn, got.org],
    [BigInt(want.start), BigInt(want.end), want.asn, want.org],
  );
}

test("parseAsnLine: plain, quoted with a comma, doubled quotes, CRLF, 39-digit IPv6 numbers", () => {
  // The first line of the package's asn-ipv4-num.csv, and lines of the layout its README gives.
  assert.deepEqual(parseAsnLine('16777216,16777471,13335,"Cloudflare, Inc."'), {
    start: 16777216n,
    end: 16777471n,
    asn: 13335,
    org: "Cloudflare, Inc.",
  });
  assert.equal(parseAsnLine('35309568,35313663,201907,"LLC ""SPUTNIK"""')?.org, 'LLC "SPUTNIK"');
  assert.equal(parseAsnLine("1,2,3,Plain Org\r")?.org, "Plain Org");
  assert.equal(parseAsnLine("1,2,3,")?.org, "");
  const v6 = parseAsnLine(
    "42540528726795050063891204319802818560,42540528806023212578155541913346768895,2500,WIDE",
  );
  assert.equal(v6?.end, 42540528806023212578155541913346768895n);
});

test("parseAsnLine: malformed lines → undefined", () => {
  for (const l of [
    "",
    "1,2,3",
    "a,2,3,x",
    "1,b,3,x",
    "1,2,c,x",
    "5,4,3,end before start",
    '1,2,3,"unterminated',
    '1,2,3,"stray " quote"',
    "1,2,4294967296,asn beyond 32 bits",
    "-1,2,3,x",
    "1,2,,x",
  ]) {
    assert.equal(parseAsnLine(l), undefined, l);
  }
});

test("find: first line, last line, every edge, gaps, before and after the table", () => {
  const rows = plantedRows(3000); // ~330 KB: both the probing and the in-memory phase run
  const t = new AsnTable(csvFile(csvText(rows)));
  same(t.find(999n), undefined, 999);
  for (const i of [0, 1, 2, 6, 7, 1499, 1500, 2998, 2999]) {
    const r = rows[i];
    for (const v of [r.start, r.start + 1, r.end - 1, r.end]) same(t.find(BigInt(v)), r, v);
    same(t.find(BigInt(r.end + 1)), undefined, r.end + 1); // gap after each range
    same(t.find(BigInt(r.start - 1)), undefined, r.start - 1); // gap before
  }
  same(t.find(10n ** 30n), undefined, 1e30);
  assert.deepEqual(t.problems, []);
  t.close();
});

test("find: a one-line table, CRLF endings, no final newline", () => {
  const one = [{ start: 10, end: 20, asn: 7, org: "Only" }];
  const t1 = new AsnTable(csvFile(csvText(one).trimEnd()));
  same(t1.find(10n), one[0], 10);
  same(t1.find(20n), one[0], 20);
  same(t1.find(21n), undefined, 21);
  same(t1.find(9n), undefined, 9);
  const rows = plantedRows(500);
  const t2 = new AsnTable(csvFile(csvText(rows, "\r\n").trimEnd()));
  for (const r of [rows[0], rows[250], rows[499]]) same(t2.find(BigInt(r.end)), r, r.end);
  assert.deepEqual([...t1.problems, ...t2.problems], []);
});

test("find: a missing or damaged file gives undefined and one problem line naming it, never an exception", () => {
  const missing = new AsnTable(join(dir, "nope.csv"));
  assert.equal(missing.find(5n), undefined);
  assert.equal(missing.problems.length, 1);
  assert.match(missing.problems[0], /nope\.csv/);
  const rows = plantedRows(2000);
  const text = csvText(rows);
  const mid = text.indexOf("\n", text.length / 2) + 1;
  const path = csvFile(`${text.slice(0, mid)}this is no CSV line\n${text.slice(mid)}`);
  const damaged = new AsnTable(path);
  for (let i = 0; i < 2000; i += 10) damaged.find(BigInt(rows[i].start));
  assert.equal(damaged.problems.length, 1, damaged.problems.join("\n"));
  assert.ok(damaged.problems[0].startsWith(path) && /damaged at byte \d+/.test(damaged.problems[0]));
  assert.equal(damaged.find(BigInt(rows[0].start)), undefined, "a damaged table is given up");
  assert.equal(new AsnTable(csvFile("")).find(1n), undefined);
});

test("property: lookups agree with a linear scan of the planted rows", () => {
  const rows = plantedRows(1200);
  const t = new AsnTable(csvFile(csvText(rows)));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_300_000 }), (v) => same(t.find(BigInt(v)), linear(rows, v), v)),
    { numRuns: 10000 },
  );
  t.close();
});

test("property: random and mutated files never throw and always terminate", () => {
  const good = Buffer.from(csvText(plantedRows(60)));
  const path = join(dir, "fuzz.csv");
  const mutated = fc
    .array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 })
    .map((edits) => {
      const b = Buffer.from(good);
      for (const [i, v] of edits) b[i] = v;
      return b;
    });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), mutated), fc.bigInt(0n, 80_000n), (bytes, v) => {
      writeFileSync(path, bytes);
      const t = new AsnTable(path);
      t.find(v);
      t.find(v * 3n);
      t.close();
      assert.ok(t.problems.length <= 1);
    }),
    { numRuns: 2000 },
  );
});

const ASN_DIR = packageDir(ASN_PACKAGE);
const NO_PACKAGE = ASN_DIR ? false : `${ASN_PACKAGE} is not installed`;

test("the package's own first and last lines are found, with a few reads per lookup", {
  skip: NO_PACKAGE,
}, () => {
  for (const name of ["asn-ipv4-num.csv", "asn-ipv6-num.csv"]) {
    const path = join(ASN_DIR!, name);
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    const t = new AsnTable(path);
    for (const line of [lines[0], lines[1], lines[lines.length - 1]]) {
      // Oracle: the fields as the file spells them, split here with a plain regex.
      const m = /^(\d+),(\d+),(\d+),(.*)$/.exec(line)!;
      const org = m[4].startsWith('"') ? m[4].slice(1, -1).replaceAll('""', '"') : m[4];
      for (const v of [BigInt(m[1]), BigInt(m[2])]) {
        const reads = t.reads;
        const got = t.find(v);
        assert.deepEqual([got?.asn, got?.org], [Number(m[3]), org], `${name} ${v}`);
        assert.ok(t.reads - reads <= 30, `${t.reads - reads} reads`);
      }
    }
    const last = /^\d+,(\d+),/.exec(lines[lines.length - 1])!;
    assert.equal(t.find(BigInt(last[1]) + 1n), undefined, "after the last range");
    t.close();
  }
});
