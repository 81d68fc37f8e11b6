import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  CompaniesError,
  loadCompaniesFile,
  parseCompanies,
} from "../../../src/attribute/company/companies-file.ts";
import { CompanyDb } from "../../../src/attribute/company/company-db.ts";

function errorOf(text: string): CompaniesError {
  try {
    parseCompanies(text, "mine.yaml");
  } catch (e) {
    if (e instanceof CompaniesError) return e;
    throw e;
  }
  assert.fail(`parsed without error: ${text}`);
}

test("a user's file in our layout becomes a table; names are lower-cased and trailing dots dropped", () => {
  const t = parseCompanies(
    "companies:\n  Planted Ads:\n    country: us\n    domains:\n      Ads.Planted.Example.: ads\n      planted-cdn.example: cdn\n",
    "mine.yaml",
  );
  assert.deepEqual(t.get("ads.planted.example"), {
    company: "Planted Ads",
    company_country: "US",
    purpose: "ads",
  });
  assert.deepEqual(t.get("planted-cdn.example"), {
    company: "Planted Ads",
    company_country: "US",
    purpose: "cdn",
  });
  assert.equal(t.size, 2);
});

test("a company without a country is allowed; numeric-looking names are names", () => {
  const t = parseCompanies("companies:\n  360:\n    domains:\n      360.example: other\n", "mine.yaml");
  assert.deepEqual(t.get("360.example"), { company: "360", purpose: "other" });
});

test("a malformed companies file names file, line, field and what is wrong, for every bad field", () => {
  const e = errorOf(
    [
      "companies:",
      "  Planted:",
      "    country: Nowhere",
      "    domains:",
      "      good.example: advertising",
      "      bad name.example: ads",
      "      twice.example: cdn",
      "  Other:",
      "    domains:",
      "      twice.example: cdn",
      "  NoDomains:",
      "    country: US",
      "    website: x",
    ].join("\n"),
  );
  const expect = [
    /^mine\.yaml:3: companies\.Planted\.country: two-letter country code expected, got "Nowhere"$/,
    /^mine\.yaml:5: companies\.Planted\.domains\.good\.example: one of vendor, .* expected, got "advertising"$/,
    /^mine\.yaml:6: companies\.Planted\.domains\.bad name\.example: a domain name expected/,
    /^mine\.yaml:10: companies\.Other\.domains\.twice\.example: listed twice \(also under Planted\)$/,
    /^mine\.yaml:11: companies\.NoDomains: a company needs a domains mapping$/,
    /^mine\.yaml:13: companies\.NoDomains\.website: unknown key/,
  ];
  const lines = e.lines();
  for (const re of expect)
    assert.ok(
      lines.some((l) => re.test(l)),
      `no line matching ${re}:\n${lines.join("\n")}`,
    );
  assert.equal(lines.length, expect.length, lines.join("\n"));
});

test("loadCompaniesFile feeds a CompanyDb, and reports an unreadable file by name", () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-companies-"));
  try {
    const file = join(dir, "companies.yaml");
    writeFileSync(
      file,
      "companies:\n  Planted:\n    country: FR\n    domains:\n      account.xiaomi.com: payments\n",
    );
    const db = new CompanyDb({ extra: loadCompaniesFile(file) });
    assert.equal(db.lookup("api.account.xiaomi.com")?.company, "Planted");
    assert.equal(db.lookup("api.account.xiaomi.com")?.purpose, "payments");
    assert.throws(
      () => loadCompaniesFile(join(dir, "none.yaml")),
      (e: unknown) => e instanceof CompaniesError && /none\.yaml: cannot read the file/.test(e.lines()[0]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
