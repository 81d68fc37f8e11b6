// Which table files lookups use: the user folder's copies file by file over the packages', an own MMDB over
// everything, and the user folder's location from the environment (XDG Base Directory spec).

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  ASN_PACKAGE,
  COUNTRY_PACKAGE,
  GEO_FILE_NAMES,
  packageDir,
  resolveGeoFiles,
  userGeoDir,
} from "../../../src/attribute/geo/geo-files.ts";

function userDir(files: string[]): string {
  const d = mkdtempSync(join(tmpdir(), "phonehome-geofiles-"));
  for (const f of files) writeFileSync(join(d, f), "x");
  return d;
}

test("userGeoDir: $PHONEHOME_GEO_DIR, else $XDG_DATA_HOME/phonehome/geo, else ~/.local/share/phonehome/geo", () => {
  assert.equal(userGeoDir({ PHONEHOME_GEO_DIR: "/g", XDG_DATA_HOME: "/x", HOME: "/h" }), "/g");
  assert.equal(userGeoDir({ XDG_DATA_HOME: "/x", HOME: "/h" }), join("/x", "phonehome", "geo"));
  assert.equal(userGeoDir({ HOME: "/h" }), join("/h", ".local", "share", "phonehome", "geo"));
  // XDG Base Directory spec: a relative path in $XDG_DATA_HOME is invalid and ignored.
  assert.equal(
    userGeoDir({ XDG_DATA_HOME: "rel", HOME: "/h" }),
    join("/h", ".local", "share", "phonehome", "geo"),
  );
  assert.equal(
    userGeoDir({ PHONEHOME_GEO_DIR: "", HOME: "/h" }),
    join("/h", ".local", "share", "phonehome", "geo"),
  );
});

test("packageDir finds both installed packages and their files; an absent package is undefined", () => {
  const country = packageDir(COUNTRY_PACKAGE);
  const asn = packageDir(ASN_PACKAGE);
  assert.ok(country && existsSync(join(country, GEO_FILE_NAMES.countryV4)));
  assert.ok(asn && existsSync(join(asn, GEO_FILE_NAMES.asnV4)));
  assert.equal(packageDir("@phonehome/no-such-package"), undefined);
});

test("an empty user folder: every table from the packages, the per-family country files", () => {
  const f = resolveGeoFiles({ PHONEHOME_GEO_DIR: userDir([]) });
  assert.equal(f.countryV4?.path, join(packageDir(COUNTRY_PACKAGE)!, "geo-whois-asn-country-ipv4.mmdb"));
  assert.equal(f.countryV6?.path, join(packageDir(COUNTRY_PACKAGE)!, "geo-whois-asn-country-ipv6.mmdb"));
  assert.equal(f.asnV4?.path, join(packageDir(ASN_PACKAGE)!, "asn-ipv4-num.csv"));
  assert.equal(f.asnV6?.path, join(packageDir(ASN_PACKAGE)!, "asn-ipv6-num.csv"));
  for (const g of Object.values(f)) assert.equal(g?.origin, "package");
  const missing = resolveGeoFiles({ PHONEHOME_GEO_DIR: join(tmpdir(), "phonehome-no-such-folder") });
  assert.equal(missing.asnV4?.origin, "package");
});

test("the user folder overrides file by file", () => {
  const d = userDir(["asn-ipv4-num.csv"]);
  const f = resolveGeoFiles({ PHONEHOME_GEO_DIR: d });
  assert.deepEqual(f.asnV4, { role: "asnV4", path: join(d, "asn-ipv4-num.csv"), origin: "user" });
  assert.equal(f.asnV6?.origin, "package");
  assert.equal(f.countryV4?.origin, "package");
});

test("a user's combined country MMDB beats the packages' per-family ones; a user per-family file beats it", () => {
  const d = userDir(["geo-whois-asn-country.mmdb"]);
  const f = resolveGeoFiles({ PHONEHOME_GEO_DIR: d });
  assert.equal(f.countryV4?.path, join(d, "geo-whois-asn-country.mmdb"));
  assert.equal(f.countryV6?.path, join(d, "geo-whois-asn-country.mmdb"));
  writeFileSync(join(d, "geo-whois-asn-country-ipv6.mmdb"), "x");
  const g = resolveGeoFiles({ PHONEHOME_GEO_DIR: d });
  assert.equal(g.countryV4?.role, "countryAll");
  assert.equal(g.countryV6?.role, "countryV6");
});

test("an own MMDB serves both families; a folder named like a table is no table", () => {
  const d = userDir(["own-country.mmdb", "geo-whois-asn-country-ipv4.mmdb"]);
  mkdirSync(join(d, "asn-ipv4-num.csv"));
  const f = resolveGeoFiles({ PHONEHOME_GEO_DIR: d });
  assert.equal(f.countryV4?.role, "own");
  assert.equal(f.countryV6?.role, "own");
  assert.equal(f.asnV4?.origin, "package");
});
