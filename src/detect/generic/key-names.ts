// The key-name dictionary (data/key-names.yaml): which identifier a key like `device_id` or `X-IMEI` hints
// at, and how strongly. Generic detectors raise confidence (or only report at all) when such a key is near.

import { loadDataFile } from "../../data/data-files.ts";
import { IDENTIFIER_KINDS, type IdentifierKind } from "../../model/finding.ts";

/** Axes a location key can name. */
export const LOCATION_AXES = ["lat", "lon", "pair"] as const;
/** One location axis. */
export type LocationAxis = (typeof LOCATION_AXES)[number];

/** What one key hints at. */
export interface KeyHint {
  /** Identifier kind the key suggests. */
  kind: IdentifierKind;
  /** 0..1 strength of the hint. */
  weight: number;
  /** For location keys: which coordinate. */
  axis?: LocationAxis;
}

/** One dictionary entry, compiled. */
interface Entry extends KeyHint {
  exact: Set<string>;
  contains: string[];
}

/** No hints (shared, never mutated). */
export const NO_HINTS: readonly KeyHint[] = Object.freeze([]);

/** Lookups are cached by raw key; the cache is cleared when it reaches this size (bounded memory). */
const CACHE_MAX = 2048;
const cache = new Map<string, readonly KeyHint[]>();
let entries: Entry[] | undefined;

/** Lower-cases a key and drops everything but a–z and 0–9 (`Device-ID` → `deviceid`). */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function words(v: unknown, field: string, i: number): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v))
    throw new Error(`phonehome: data/key-names.yaml entry ${i}: "${field}" must be a list`);
  return v.map((w) => normaliseKey(String(w))).filter((w) => w.length > 0);
}

/** Compiles the dictionary's entries; throws naming the entry when one is malformed. */
export function compileKeyNames(doc: Record<string, unknown>): Entry[] {
  const list = doc.entries;
  if (!Array.isArray(list)) throw new Error('phonehome: data/key-names.yaml: "entries" must be a list');
  return list.map((raw: Record<string, unknown>, i) => {
    const kind = raw?.kind as IdentifierKind;
    if (!IDENTIFIER_KINDS.includes(kind))
      throw new Error(`phonehome: data/key-names.yaml entry ${i}: bad kind`);
    const weight = Number(raw.weight ?? 1);
    if (!(weight >= 0 && weight <= 1))
      throw new Error(`phonehome: data/key-names.yaml entry ${i}: bad weight`);
    const axis = raw.axis as LocationAxis | undefined;
    if (axis !== undefined && !LOCATION_AXES.includes(axis)) {
      throw new Error(`phonehome: data/key-names.yaml entry ${i}: bad axis`);
    }
    const e: Entry = { kind, weight, exact: new Set(words(raw.exact, "exact", i)), contains: [] };
    e.contains = words(raw.contains, "contains", i);
    if (axis !== undefined) e.axis = axis;
    return e;
  });
}

function dictionary(): Entry[] {
  entries ??= compileKeyNames(loadDataFile("key-names.yaml"));
  return entries;
}

/** Every hint a key gives (strongest per kind/axis first as listed in the file); cached. */
export function lookupKey(key: string): readonly KeyHint[] {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const norm = normaliseKey(key);
  let out: KeyHint[] | undefined;
  if (norm.length > 0 && norm.length <= 64) {
    for (const e of dictionary()) {
      if (!e.exact.has(norm) && !e.contains.some((c) => norm.includes(c))) continue;
      if (out?.some((h) => h.kind === e.kind && h.axis === e.axis)) continue;
      const h: KeyHint = { kind: e.kind, weight: e.weight };
      if (e.axis !== undefined) h.axis = e.axis;
      if (out === undefined) out = [];
      out.push(h);
    }
  }
  const result = out ?? NO_HINTS;
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, result);
  return result;
}

/** The weight a set of hints gives a kind (0 when absent). */
export function hintWeight(hints: readonly KeyHint[], kind: IdentifierKind): number {
  for (const h of hints) if (h.kind === kind && h.axis === undefined) return h.weight;
  return 0;
}

/** The location axis a set of hints names, if any. */
export function hintAxis(hints: readonly KeyHint[]): LocationAxis | undefined {
  for (const h of hints) if (h.axis !== undefined) return h.axis;
  return undefined;
}

/** Bytes that may sit between a key and its value in text (`"imei": "`, `imei=`, `<imei>`). */
function isKeySeparator(b: number): boolean {
  return b === 0x22 || b === 0x27 || b === 0x3a || b === 0x3d || b === 0x20 || b === 0x09 || b === 0x3e;
}

function isKeyChar(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x5f ||
    b === 0x2d
  );
}

/**
 * The key written just before `start` in text (`imei=`, `"imei": "`, `<imei>`), or undefined. Looks back
 * over at most 6 separator bytes and a 40-byte key, so the cost per candidate is bounded.
 */
export function keyBefore(data: Uint8Array, start: number): string | undefined {
  let i = start - 1;
  const sepStop = Math.max(0, start - 6);
  while (i >= sepStop && isKeySeparator(data[i])) i--;
  if (i === start - 1 || i < 0) return undefined; // a key must be separated from its value
  const end = i + 1;
  const stop = Math.max(0, end - 40);
  while (i >= stop && isKeyChar(data[i])) i--;
  if (i + 1 === end) return undefined;
  let s = "";
  for (let j = i + 1; j < end; j++) s += String.fromCharCode(data[j]);
  return s;
}

/** Hints of the key written before `start` in text (NO_HINTS when none). */
export function hintsBefore(data: Uint8Array, start: number): readonly KeyHint[] {
  const k = keyBefore(data, start);
  return k === undefined ? NO_HINTS : lookupKey(k);
}
