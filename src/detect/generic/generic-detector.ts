// Generic identifier guesses in one view, with no device profile behind them: IMEI/IMSI/ICCID-like digit
// runs, MAC addresses, emails, phone numbers, advertising IDs, Android IDs and GPS pairs. One pass over the
// bytes classifies tokens without building strings; only candidates that pass the cheap byte checks are
// turned into text. Findings are marked generic by the engine and carry a confidence below 1.

import type { CountryCode } from "libphonenumber-js/max";
import type { GenericHit, View } from "../detect-types.ts";
import { type CoordPair, newPair, numberStartsAt, pairAt, plausiblePair } from "./coords.ts";
import { emailAt } from "./email.ts";
import { advertisingUuid, bareHexId, hexValue, isUuidAt, separatedMac } from "./hex-ids.ts";
import { latin1 } from "./id-tables.ts";
import { hintAxis, hintsBefore, hintWeight, type KeyHint, lookupKey, NO_HINTS } from "./key-names.ts";
import { numberIds } from "./number-ids.ts";
import { keyedPhone, plusPhoneAt } from "./phone.ts";
import { SiblingPairs } from "./sibling-pairs.ts";

/** Optional context for the guesses. */
export interface GenericContext {
  /** The device's home country, to read national phone numbers under phone-like keys. */
  homeCountry?: string;
}

/** Byte classes: 0 other, 1 digit, 2 hex letter, 3 other letter, 4 trigger (`@ % +`). */
const CLASS = new Uint8Array(256);
for (let b = 0x30; b <= 0x39; b++) CLASS[b] = 1;
for (let b = 0x41; b <= 0x5a; b++) CLASS[b] = CLASS[b | 0x20] = hexValue(b) >= 0 ? 2 : 3;
CLASS[0x40] = CLASS[0x25] = CLASS[0x2b] = 4;

/** Coordinates: bare `lat,lon` pairs need 3 decimals, keyed ones 2 (both well below city precision). */
const BARE_DECIMALS = 3;
const KEYED_DECIMALS = 2;

/** Sibling latitude/longitude leaves; detectGeneric has no end-of-payload call, so waiting ones age out. */
const siblings = new SiblingPairs(8);

/** Per-call state, reused between calls (detectGeneric is synchronous and never re-entered). */
const pair: CoordPair = newPair();
let curView: View | undefined;
let curHints: readonly KeyHint[] = NO_HINTS;

/** Hints for a candidate at `start`: a key written just before it, else (for a leaf) the view's key. */
function hintsAt(d: Uint8Array, start: number): readonly KeyHint[] {
  const h = hintsBefore(d, start);
  return h.length > 0 ? h : curHints;
}

function gpsAt(d: Uint8Array, at: number, emit: (h: GenericHit) => void): number {
  // A leaf under a `location`-like key holding "lat,lon" is keyed by the view's key.
  const leafPair = at <= 1 && hintAxis(curHints) === "pair";
  if (!pairAt(d, at, leafPair ? KEYED_DECIMALS : BARE_DECIMALS, KEYED_DECIMALS, pair)) return -1;
  if (leafPair) pair.keyed = true;
  const { lat, lon } = pair;
  const precision = Math.min(lat.decimals, lon.decimals);
  const value = `${latin1(d, lat.start, lat.end)},${latin1(d, lon.start, lon.end)}`;
  const confidence = pair.keyed ? (precision >= 3 ? 0.85 : 0.7) : 0.5;
  const reason = `${pair.keyed ? "latitude/longitude keys" : "lat,lon pair"}, ${precision} decimals`;
  emit({ kind: "location", value, confidence, reason, precision });
  return Math.max(lat.end, lon.end);
}

/** Cheap length test: only these token shapes can start an identifier (most tokens are skipped here). */
function mayMatter(d: Uint8Array, s: number, e: number, digits: boolean): boolean {
  const len = e - s;
  if (len === 2 || len === 8 || len === 12 || len === 16) return true;
  if (!digits) return false;
  return (len <= 3 && e < d.length && d[e] === 0x2e) || (len >= 8 && len <= 20);
}

/** One alphanumeric token `d[s..e)`; returns where scanning resumes. */
function token(d: Uint8Array, s: number, e: number, digits: boolean, emit: (h: GenericHit) => void): number {
  const len = e - s;
  const sep = e < d.length ? d[e] : 0;
  if (len === 2 && (sep === 0x3a || sep === 0x2d)) {
    const end = separatedMac(d, s, hintsAt(d, s), emit);
    if (end > 0) return end;
  }
  if (len === 8 && sep === 0x2d && isUuidAt(d, s)) {
    const end = advertisingUuid(d, s, hintsAt(d, s), emit);
    return end > 0 ? end : s + 36;
  }
  if (digits && len <= 3 && sep === 0x2e) {
    const at = s > 0 && d[s - 1] === 0x2d ? s - 1 : s;
    if (numberStartsAt(d, at)) {
      const end = gpsAt(d, at, emit);
      if (end > 0) return end;
    }
  }
  if (digits && len >= 8 && len <= 20) digitToken(d, s, len, emit);
  if (len === 12 || len === 16) bareHexId(d, s, len, hintsAt(d, s), emit);
  return e;
}

function digitToken(d: Uint8Array, s: number, len: number, emit: (h: GenericHit) => void): void {
  if (len >= 14) {
    const hints = hintsAt(d, s);
    numberIds(d, s, len, hints, emit);
  }
  // Keyed phone numbers without `+` in running text; a keyed leaf is handled whole by leafPhone.
  if (len <= 15 && !(curView?.leaf && hintWeight(curHints, "phone_number") > 0)) {
    const hints = hintsBefore(d, s);
    if (hintWeight(hints, "phone_number") === 0) return;
    const hit = keyedPhone(latin1(d, s, s + len), hints, undefined);
    if (hit !== undefined) emit(hit);
  }
}

/** `@`, `%40` or `+` at `i`; returns where scanning resumes. */
function trigger(d: Uint8Array, i: number, emit: (h: GenericHit) => void): number {
  const b = d[i];
  if (b === 0x40)
    return Math.max(
      i + 1,
      emailAt(d, i, 1, (s) => hintsAt(d, s), emit),
    );
  if (b === 0x25) {
    if (i + 2 < d.length && d[i + 1] === 0x34 && d[i + 2] === 0x30) {
      return Math.max(
        i + 3,
        emailAt(d, i, 3, (s) => hintsAt(d, s), emit),
      );
    }
    return i + 1;
  }
  if (i > 0 && (CLASS[d[i - 1]] !== 0 || d[i - 1] === 0x2b)) return i + 1; // `a+b` is form-encoded space
  return Math.max(i + 1, plusPhoneAt(d, i, hintsAt(d, i), emit));
}

/** A leaf under a phone-like key, read whole (spaces, dashes, national form). */
function leafPhone(view: View, ctx: GenericContext | undefined, emit: (h: GenericHit) => void): void {
  const d = view.data;
  if (d.length > 32 || hintWeight(curHints, "phone_number") === 0) return;
  let i = 0;
  while (i < d.length && (d[i] === 0x20 || d[i] === 0x22)) i++;
  if (i < d.length && d[i] === 0x2b) return; // the `+` scan reports it
  const hit = keyedPhone(latin1(d, 0, d.length).replace(/"/g, ""), curHints, ctx?.homeCountry as CountryCode);
  if (hit !== undefined) emit(hit);
}

/** Leaves under phone or latitude/longitude keys; true when the leaf was fully handled. */
function leafByKey(view: View, ctx: GenericContext | undefined, emit: (h: GenericHit) => void): boolean {
  leafPhone(view, ctx, emit);
  const axis = hintAxis(curHints);
  if (axis !== "lat" && axis !== "lon") return false;
  const pair = siblings.offer(view, axis);
  if (pair === undefined) return false;
  if (pair === "waiting") return true;
  const [lat, lon] = pair;
  const precision = Math.min(lat.decimals, lon.decimals);
  if (precision < KEYED_DECIMALS || !plausiblePair(lat.value, lon.value)) return true;
  const reason = `sibling latitude/longitude fields, ${precision} decimals`;
  const confidence = precision >= 3 ? 0.85 : 0.7;
  emit({ kind: "location", value: `${lat.text},${lon.text}`, confidence, reason, precision });
  return true;
}

/** Generic identifier guesses in one view (src/detect/detect-types.ts View: data, key, field, leaf, chain). */
export function detectGeneric(view: View, emit: (h: GenericHit) => void, ctx?: GenericContext): void {
  const d = view.data;
  const n = d.length;
  curView = view;
  curHints = view.leaf && view.key !== undefined ? lookupKey(view.key) : NO_HINTS;
  try {
    if (view.leaf) {
      siblings.tick();
      if (curHints.length > 0 && leafByKey(view, ctx, emit)) return;
    }
    let i = 0;
    while (i < n) {
      const c = CLASS[d[i]];
      if (c === 0) {
        i++;
      } else if (c === 4) {
        i = trigger(d, i, emit);
      } else {
        // `worst` is the highest class in the token: 1 digits only, 2 hex, 3 other letters.
        let e = i;
        let worst = c;
        for (; e < n; e++) {
          const k = CLASS[d[e]];
          if (k === 0 || k === 4) break;
          if (k > worst) worst = k;
        }
        i = worst === 3 || !mayMatter(d, i, e, worst === 1) ? e : token(d, i, e, worst === 1, emit);
      }
    }
  } finally {
    curView = undefined;
    curHints = NO_HINTS;
  }
}

export { LocationDetector } from "./location-detector.ts";
