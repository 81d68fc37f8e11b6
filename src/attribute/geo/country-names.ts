// English names of ISO 3166-1 alpha-2 codes (`CN` → `China`) from data/country-names.yaml: the same CLDR
// names Intl.DisplayNames gives, without loading the runtime's ICU data (about 6 MB resident) in every run.

import { loadDataFile, stringMap } from "../../data/data-files.ts";

const FILE = "country-names.yaml";

let names: Map<string, string> | undefined;

/** English short name of a country code (any case), or the code itself (upper-cased) when unknown. */
export function countryName(cc: string): string {
  const c = cc.toUpperCase();
  names ??= stringMap(loadDataFile(FILE), "names", FILE);
  return names.get(c) ?? c;
}
