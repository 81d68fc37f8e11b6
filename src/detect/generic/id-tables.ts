// Lookup tables behind the numeric identifier checks: real mobile country codes (data/mcc.yaml) and
// plausible IMEI reporting-body prefixes (data/tac-prefixes.yaml), plus the Luhn check over ASCII digits.

import { loadDataFile, stringMap } from "../../data/data-files.ts";

let mccTable: Int16Array | undefined;
let mccCountries: Map<string, string> | undefined;
let tacTable: Uint8Array | undefined;

function loadMcc(): Int16Array {
  if (mccTable !== undefined) return mccTable;
  const map = stringMap(loadDataFile("mcc.yaml"), "mcc", "mcc.yaml");
  const table = new Int16Array(1000);
  for (const code of map.keys()) {
    if (!/^[0-9]{3}$/.test(code)) throw new Error(`phonehome: data/mcc.yaml: bad MCC "${code}"`);
    table[Number(code)] = 1;
  }
  mccCountries = map;
  mccTable = table;
  return table;
}

function loadTac(): Uint8Array {
  if (tacTable !== undefined) return tacTable;
  const map = stringMap(loadDataFile("tac-prefixes.yaml"), "prefixes", "tac-prefixes.yaml");
  const table = new Uint8Array(100);
  for (const p of map.keys()) {
    if (!/^[0-9]{2}$/.test(p)) throw new Error(`phonehome: data/tac-prefixes.yaml: bad prefix "${p}"`);
    table[Number(p)] = 1;
  }
  tacTable = table;
  return table;
}

/** Value of two/three ASCII digits at `at` (no checks: callers pass digit runs). */
function digitsValue(d: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 10 + (d[at + i] - 0x30);
  return v;
}

/** True when the 3 digits at `at` are a real mobile country code (ITU-T E.212). */
export function isRealMcc(d: Uint8Array, at: number): boolean {
  return loadMcc()[digitsValue(d, at, 3)] === 1;
}

/** ISO country of an MCC string, if known. */
export function mccCountry(mcc: string): string | undefined {
  loadMcc();
  return mccCountries?.get(mcc);
}

/** True when the 2 digits at `at` are a plausible IMEI reporting-body prefix. */
export function isPlausibleTac(d: Uint8Array, at: number): boolean {
  return loadTac()[digitsValue(d, at, 2)] === 1;
}

/** Luhn check over `len` ASCII digits at `at`, the last being the check digit (ISO/IEC 7812-1 annex B). */
export function luhnValid(d: Uint8Array, at: number, len: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = at + len - 1; i >= at; i--) {
    let v = d[i] - 0x30;
    if (double) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Latin-1 string of a byte range (only called for candidates, never per byte). */
export function latin1(d: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(d[i]);
  return s;
}
