// ISO 3166-1 country codes for the map: alpha-2 (what the IP tables and reports speak) ↔ numeric (what the
// world atlas names its shapes by), from data/iso-3166.yaml; display names from data/country-names.yaml.

import { countryName } from "../../attribute/geo/country-names.ts";
import { loadDataFile, stringMap } from "../../data/data-files.ts";

const FILE = "iso-3166.yaml";

/** The loaded table. */
export interface CountryTable {
  /** alpha-2 → numeric (three digits, as a string). */
  numeric: Map<string, string>;
  /** numeric → alpha-2. */
  alpha2: Map<string, string>;
  /** alpha-2 → the atlas's shape name, for codes with no numeric code (Kosovo). */
  atlasNames: Map<string, string>;
  /** alpha-2 → [longitude, latitude] for places too small for the atlas. */
  points: Map<string, [number, number]>;
}

let table: CountryTable | undefined;

/** True for a well-formed alpha-2 code (two capital letters). */
export function isAlpha2(cc: unknown): cc is string {
  return typeof cc === "string" && /^[A-Z]{2}$/.test(cc);
}

/** Reads `points` of the data file, checking each is a [lon, lat] pair in range. */
function readPoints(doc: Record<string, unknown>): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const raw = doc.points;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error(`phonehome: data/${FILE}: "points" must be a mapping`);
  }
  for (const [cc, v] of Object.entries(raw as Record<string, unknown>)) {
    const ok =
      Array.isArray(v) && v.length === 2 && Math.abs(Number(v[0])) <= 180 && Math.abs(Number(v[1])) <= 90;
    if (!ok || !isAlpha2(cc)) throw new Error(`phonehome: data/${FILE}: bad point for "${cc}"`);
    out.set(cc, [Number(v[0]), Number(v[1])]);
  }
  return out;
}

/** The table, loaded once; throws naming the file when it is malformed. */
export function countryTable(): CountryTable {
  if (table) return table;
  const doc = loadDataFile(FILE);
  const numeric = stringMap(doc, "numeric", FILE);
  const alpha2 = new Map<string, string>();
  for (const [cc, num] of numeric) {
    if (!isAlpha2(cc) || !/^[0-9]{3}$/.test(num)) {
      throw new Error(`phonehome: data/${FILE}: bad entry "${cc}: ${num}"`);
    }
    alpha2.set(num, cc);
  }
  const atlasNames = stringMap(doc, "atlas_names", FILE);
  table = { numeric, alpha2, atlasNames, points: readPoints(doc) };
  return table;
}

/** `China (CN)`, or a dash when there is no country. */
export function countryLabel(cc: unknown): string {
  if (!isAlpha2(cc)) return typeof cc === "string" && cc !== "" ? cc : "—";
  const name = countryName(cc);
  return name === cc ? cc : `${name} (${cc})`;
}
