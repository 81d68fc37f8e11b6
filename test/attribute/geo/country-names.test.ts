import assert from "node:assert/strict";
import { test } from "node:test";
import { countryName } from "../../../src/attribute/geo/country-names.ts";
import { loadDataFile } from "../../../src/data/data-files.ts";

test("names of well-known codes, in any case; unknown codes come back as themselves", () => {
  assert.equal(countryName("CN"), "China");
  assert.equal(countryName("tw"), "Taiwan");
  assert.equal(countryName("HK"), "Hong Kong SAR China");
  assert.equal(countryName("US"), "United States");
  assert.equal(countryName("QQ"), "QQ");
});

test("every name is the runtime's CLDR name (Intl.DisplayNames), so dropping ICU at run time changed no text", () => {
  const names = loadDataFile("country-names.yaml").names as Record<string, string>;
  const dn = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  const codes = Object.keys(names);
  assert.ok(codes.length > 240);
  for (const c of codes) assert.equal(countryName(c), dn.of(c), c);
});

test("every country the map knows has a name", () => {
  const numeric = loadDataFile("iso-3166.yaml").numeric as Record<string, string>;
  for (const c of Object.keys(numeric)) assert.notEqual(countryName(c), c, c);
});
