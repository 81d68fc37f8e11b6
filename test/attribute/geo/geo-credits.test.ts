// The credits name every party the shipped LICENSE files ask attribution for, with the licence they state.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { GEO_CREDITS, geoCreditLines } from "../../../src/attribute/geo/geo-credits.ts";
import { ASN_PACKAGE, COUNTRY_PACKAGE, packageDir } from "../../../src/attribute/geo/geo-files.ts";

test("every 'give attribution to X' of the packages' LICENSE files is a credit's link, under CC BY 4.0", () => {
  let asked = 0;
  for (const pkg of [COUNTRY_PACKAGE, ASN_PACKAGE]) {
    const dir = packageDir(pkg)!;
    for (const name of readdirSync(dir).filter((n) => /LICENSE/.test(n))) {
      const text = readFileSync(join(dir, name), "utf8");
      const m = /attribution to ([\w.-]+\.\w+)/i.exec(text);
      assert.ok(m, `${pkg}/${name} names whom to credit`);
      asked++;
      const domain = m[1].toLowerCase();
      const credit = GEO_CREDITS.find((c) => new URL(c.url).hostname.replace(/^www\./, "") === domain);
      assert.ok(credit, `${domain} (${pkg}/${name}) is credited`);
      assert.match(text, /Creative Commons Attribution 4\.0/);
      assert.equal(credit.licence, "CC BY 4.0");
    }
  }
  assert.ok(asked >= 4, "NRO twice, Route Views, DB-IP");
});

test("credit lines: one per source, each with what, who, licence and link", () => {
  const lines = geoCreditLines();
  assert.equal(lines.length, GEO_CREDITS.length);
  for (const [i, c] of GEO_CREDITS.entries()) {
    for (const part of [c.what, c.source, c.licence, c.url]) assert.ok(part && lines[i].includes(part));
  }
  assert.ok(GEO_CREDITS.some((c) => /country/.test(c.what)));
  assert.ok(GEO_CREDITS.some((c) => /organisation/.test(c.what)));
});
