// Coordinates in text: decimal numbers in range, paired either as `lat,lon` in one value or as numbers
// under latitude/longitude keys written close together (`"lat":39.9042,"lng":116.4074`, `lat=..&lon=..`).
// Shared by the generic GPS guess and the profile location detector; parses bytes, builds no strings.

import { hintAxis, hintsBefore, type LocationAxis } from "./key-names.ts";

/** One decimal number found in text. */
export interface Coord {
  /** Numeric value. */
  value: number;
  /** Digits after the decimal point. */
  decimals: number;
  /** Byte offset of the first byte (the sign if any). */
  start: number;
  /** Byte offset after the last digit. */
  end: number;
}

/** A coordinate pair found in text. */
export interface CoordPair {
  /** Latitude. */
  lat: Coord;
  /** Longitude. */
  lon: Coord;
  /** True when latitude/longitude keys named the numbers. */
  keyed: boolean;
}

/** Fresh reusable pair (callers keep one and pass it to pairAt). */
export function newPair(): CoordPair {
  const c = (): Coord => ({ value: 0, decimals: 0, start: 0, end: 0 });
  return { lat: c(), lon: c(), keyed: false };
}

/** How far after one keyed number the other is looked for (`","lng":` and some slack). */
const KEYED_WINDOW = 64;
/** Decimals beyond this add nothing (nanometres) and are only counted. */
const MAX_FRACTION = 15;

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function isWordByte(b: number): boolean {
  const l = b | 0x20;
  return isDigit(b) || (l >= 0x61 && l <= 0x7a) || b === 0x2e || b === 0x5f;
}

/** True when a number may start at `at` (a digit or `-` digit, not inside a longer word or number). */
export function numberStartsAt(d: Uint8Array, at: number): boolean {
  const b = d[at];
  const first = b === 0x2d ? at + 1 : at;
  if (first >= d.length || !isDigit(d[first])) return false;
  return at === 0 || !(isWordByte(d[at - 1]) || d[at - 1] === 0x2d);
}

/**
 * Parses `[-]d{1,3}.d+` at `at` into `out`; false for anything else (no point, > 3 integer digits,
 * followed by a letter, `.` or digit run too long).
 */
export function coordAt(d: Uint8Array, at: number, out: Coord): boolean {
  let i = at;
  const neg = d[i] === 0x2d;
  if (neg) i++;
  let int = 0;
  const intStart = i;
  while (i < d.length && isDigit(d[i]) && i - intStart < 4) int = int * 10 + (d[i++] - 0x30);
  const intLen = i - intStart;
  if (intLen === 0 || intLen > 3 || i >= d.length || d[i] !== 0x2e) return false;
  i++;
  let frac = 0;
  let scale = 1;
  const fracStart = i;
  while (i < d.length && isDigit(d[i])) {
    if (i - fracStart < MAX_FRACTION) {
      frac = frac * 10 + (d[i] - 0x30);
      scale *= 10;
    }
    i++;
  }
  if (i === fracStart || i - fracStart > 20) return false;
  if (i < d.length && (isWordByte(d[i]) || d[i] === 0x2d)) return false; // 1.2.3.4, 1.5e3, 12.5px
  const v = int + frac / scale;
  out.value = neg ? -v : v;
  out.decimals = i - fracStart;
  out.start = at;
  out.end = i;
  return true;
}

/** True for a usable latitude/longitude: in range and not the (0,0) placeholder. */
export function plausiblePair(lat: number, lon: number): boolean {
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return false;
  return !(Math.abs(lat) < 1e-9 && Math.abs(lon) < 1e-9);
}

function skipSpaces(d: Uint8Array, i: number): number {
  while (i < d.length && (d[i] === 0x20 || d[i] === 0x09)) i++;
  return i;
}

/** `lat,lon` with both ≥ minDecimals, not one item of a longer number list. */
function barePair(d: Uint8Array, out: CoordPair, minDecimals: number): boolean {
  const a = out.lat;
  if (a.decimals < minDecimals) return false;
  let i = skipSpaces(d, a.end);
  if (i >= d.length || d[i] !== 0x2c) return false;
  i = skipSpaces(d, i + 1);
  if (i >= d.length || !coordAt(d, i, out.lon) || out.lon.decimals < minDecimals) return false;
  let before = a.start - 1;
  while (before >= 0 && (d[before] === 0x20 || d[before] === 0x09)) before--;
  if (before >= 0 && d[before] === 0x2c) return false; // ...,x,lat,lon
  const after = skipSpaces(d, out.lon.end);
  if (after + 1 < d.length && d[after] === 0x2c && (isDigit(d[after + 1]) || d[after + 1] === 0x2d))
    return false;
  return plausiblePair(a.value, out.lon.value);
}

/** The other keyed coordinate within KEYED_WINDOW bytes after `from`, parsed into `into`. */
function keyedPartner(d: Uint8Array, from: number, want: LocationAxis, into: Coord): boolean {
  const stop = Math.min(d.length, from + KEYED_WINDOW);
  for (let i = from; i < stop; i++) {
    if (!numberStartsAt(d, i)) continue;
    if (!coordAt(d, i, into)) return false;
    return hintAxis(hintsBefore(d, i)) === want;
  }
  return false;
}

/**
 * A coordinate pair whose first number starts at `at` (where numberStartsAt holds): keyed pairs need
 * ≥ minKeyed decimals, bare `lat,lon` pairs ≥ minBare. Fills `out` and returns true when found.
 */
export function pairAt(
  d: Uint8Array,
  at: number,
  minBare: number,
  minKeyed: number,
  out: CoordPair,
): boolean {
  if (!coordAt(d, at, out.lat)) return false;
  const axis = hintAxis(hintsBefore(d, at));
  if (axis === "lat" || axis === "lon") {
    const first = out.lat;
    const second = out.lon;
    if (first.decimals < minKeyed) return false;
    if (!keyedPartner(d, first.end, axis === "lat" ? "lon" : "lat", second)) return false;
    if (second.decimals < minKeyed) return false;
    if (axis === "lon") {
      out.lat = second;
      out.lon = first;
    }
    out.keyed = true;
    return plausiblePair(out.lat.value, out.lon.value);
  }
  out.keyed = axis === "pair";
  return barePair(d, out, out.keyed ? minKeyed : minBare);
}

/** Mean Earth radius (IUGG), metres. */
const EARTH_R = 6371008.8;

/** Great-circle distance in metres (haversine). */
export function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_R * Math.asin(Math.min(1, Math.sqrt(h)));
}
