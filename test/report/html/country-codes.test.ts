import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { countryName } from "../../../src/attribute/geo/country-names.ts";
import { countryLabel, countryTable, isAlpha2 } from "../../../src/report/html/country-codes.ts";

/** world-atlas (Natural Earth) shapes: numeric id and Natural Earth's short name. */
function atlasCountries(): Array<{ id?: string; name: string }> {
  const file = createRequire(import.meta.url).resolve("world-atlas/countries-110m.json");
  const topo = JSON.parse(readFileSync(file, "utf8"));
  return topo.objects.countries.geometries.map((g: { id?: string; properties: { name: string } }) => ({
    id: g.id,
    name: g.properties.name,
  }));
}

/**
 * Where Natural Earth's abbreviated name and ICU's (CLDR) English name legitimately differ, checked by hand
 * against the ISO 3166-1 short names.
 */
const NAME_DIFFERENCES: Record<string, string> = {
  EH: "W. Sahara",
  US: "United States of America",
  CD: "Dem. Rep. Congo",
  DO: "Dominican Rep.",
  FK: "Falkland Is.",
  TF: "Fr. S. Antarctic Lands",
  CI: "Côte d'Ivoire",
  CF: "Central African Rep.",
  CG: "Congo",
  GQ: "Eq. Guinea",
  SZ: "eSwatini",
  PS: "Palestine",
  MM: "Myanmar",
  TR: "Turkey",
  SB: "Solomon Is.",
  BA: "Bosnia and Herz.",
  MK: "Macedonia",
  TT: "Trinidad and Tobago",
  SS: "S. Sudan",
};

describe("ISO 3166-1 table (data/iso-3166.yaml)", () => {
  test("has the 249 officially assigned codes, one numeric code each, no duplicates", () => {
    const t = countryTable();
    assert.equal(t.numeric.size, 249);
    assert.equal(t.alpha2.size, 249);
  });

  test("holds values published in ISO 3166-1", () => {
    const t = countryTable();
    const published = {
      CN: "156",
      US: "840",
      DE: "276",
      FI: "246",
      GB: "826",
      HK: "344",
      SG: "702",
      AD: "020",
    };
    for (const [cc, num] of Object.entries(published)) assert.equal(t.numeric.get(cc), num, cc);
    assert.equal(t.alpha2.get("156"), "CN");
  });

  test("every world-atlas shape id maps to the country Natural Earth names (checked against ICU names)", () => {
    const t = countryTable();
    const names = new Intl.DisplayNames(["en"], { type: "region" });
    let checked = 0;
    for (const { id, name } of atlasCountries()) {
      if (id === undefined) continue;
      const cc = t.alpha2.get(id);
      assert.ok(cc, `atlas id ${id} (${name}) has no alpha-2 code`);
      assert.equal(NAME_DIFFERENCES[cc] ?? names.of(cc), name, `${id} → ${cc}`);
      checked++;
    }
    assert.ok(checked >= 170, `only ${checked} atlas shapes checked`);
  });

  test("every alpha-2 code is a region ICU knows by name", () => {
    const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
    for (const cc of countryTable().numeric.keys()) assert.ok(names.of(cc), cc);
  });

  test("Kosovo (no numeric code) is matched to the atlas shape by name", () => {
    const shapes = atlasCountries()
      .filter((c) => c.id === undefined)
      .map((c) => c.name);
    assert.ok(shapes.includes(countryTable().atlasNames.get("XK") ?? ""));
  });
});

describe("country names", () => {
  test("names known codes and passes anything else through", () => {
    assert.equal(countryName("CN"), "China");
    assert.equal(countryLabel("DE"), "Germany (DE)");
    assert.equal(countryLabel(undefined), "—");
    assert.equal(countryLabel("<b>"), "<b>", "left for the escaper, never trusted");
    assert.equal(isAlpha2("cn"), false);
    assert.equal(isAlpha2("CN"), true);
  });
});
