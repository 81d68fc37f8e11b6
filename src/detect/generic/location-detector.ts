// Profile locations: coordinates sent near one of the device profile's places. Three shapes are read:
// a `lat,lon` pair inside one value, latitude/longitude keys written close together in one text, and two
// sibling leaf views (`$.gps.lat` then `$.gps.lng`). A coordinate rounded to p decimals stands for a cell
// ±0.5·10^-p degrees wide, so the match allows that rounding on top of the radius: coarse coordinates of
// the home still give it away, and the finding reports the precision sent.

import type { GenericHit, View } from "../detect-types.ts";
import { type CoordPair, haversine, newPair, numberStartsAt, pairAt, plausiblePair } from "./coords.ts";
import { latin1 } from "./id-tables.ts";
import { hintAxis, lookupKey } from "./key-names.ts";
import { SiblingPairs } from "./sibling-pairs.ts";

/** One profile place. */
export interface ProfileLocation {
  /** Latitude, degrees. */
  lat: number;
  /** Longitude, degrees. */
  lon: number;
  /** Radius around it, metres. */
  radius_m: number;
}

/** Any decimal precision counts, but whole degrees (±55 km) say nothing about a place. */
const MIN_DECIMALS = 1;

/** Distance error that rounding to `decimals` places can introduce at a point (half a cell, diagonal). */
export function roundingSlack(lat: number, lon: number, decimals: number): number {
  const half = 0.5 * 10 ** -decimals;
  return haversine(lat, lon, lat + (lat > 0 ? -half : half), lon + half);
}

/** Profile locations found in the leaf views of one payload. */
export class LocationDetector {
  private readonly places: ProfileLocation[];
  private readonly pair: CoordPair = newPair();
  private readonly siblings = new SiblingPairs(Number.POSITIVE_INFINITY);

  /** Places to look for (invalid entries, outside the coordinate range, are ignored). */
  constructor(locations: { lat: number; lon: number; radius_m: number }[]) {
    this.places = locations.filter((l) => plausiblePair(l.lat, l.lon) && l.radius_m >= 0);
  }

  /** Feed every leaf view of one payload in order; call flush() at the payload's end. */
  view(v: View, emit: (h: GenericHit) => void): void {
    if (this.places.length === 0 || v.data.length === 0) return;
    const axis = v.key === undefined ? undefined : hintAxis(lookupKey(v.key));
    if (v.leaf && (axis === "lat" || axis === "lon") && this.sibling(v, axis, emit)) return;
    this.scanText(v.data, emit);
  }

  /** Ends one payload: unpaired sibling leaves are dropped. */
  flush(_emit: (h: GenericHit) => void): void {
    this.siblings.clear();
  }

  /** Pairs in the text of any view: `lat,lon` values and keyed numbers close together. */
  private scanText(d: Uint8Array, emit: (h: GenericHit) => void): void {
    const p = this.pair;
    for (let i = 0; i < d.length; i++) {
      const b = d[i];
      if (!((b >= 0x30 && b <= 0x39) || b === 0x2d) || !numberStartsAt(d, i)) continue;
      if (!pairAt(d, i, MIN_DECIMALS, MIN_DECIMALS, p)) continue;
      const text = `${latin1(d, p.lat.start, p.lat.end)},${latin1(d, p.lon.start, p.lon.end)}`;
      this.check(p.lat.value, p.lon.value, Math.min(p.lat.decimals, p.lon.decimals), text, emit);
      i = Math.max(p.lat.end, p.lon.end) - 1;
    }
  }

  /** A latitude/longitude leaf: pairs it with a waiting sibling or keeps it. False if not a number. */
  private sibling(v: View, axis: "lat" | "lon", emit: (h: GenericHit) => void): boolean {
    const pair = this.siblings.offer(v, axis);
    if (pair === undefined) return false;
    if (pair === "waiting") return true;
    const [lat, lon] = pair;
    this.check(lat.value, lon.value, Math.min(lat.decimals, lon.decimals), `${lat.text},${lon.text}`, emit);
    return true;
  }

  /** Emits a hit when the point lies within a place's radius (plus rounding slack); the nearest place wins. */
  private check(
    lat: number,
    lon: number,
    precision: number,
    text: string,
    emit: (h: GenericHit) => void,
  ): void {
    if (precision < MIN_DECIMALS || !plausiblePair(lat, lon)) return;
    const slack = roundingSlack(lat, lon, precision);
    let best = -1;
    let bestDist = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.places.length; i++) {
      const pl = this.places[i];
      const dist = haversine(lat, lon, pl.lat, pl.lon);
      if (dist <= pl.radius_m + slack && dist < bestDist) {
        best = i;
        bestDist = dist;
      }
    }
    if (best < 0) return;
    const r = this.places[best].radius_m;
    const reason = `${Math.round(bestDist)} m from profile location ${best + 1} (radius ${r} m), ${precision} decimals`;
    emit({ kind: "location", value: text, confidence: precision >= 3 ? 0.95 : 0.8, reason, precision });
  }
}
