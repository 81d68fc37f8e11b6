// Pairs latitude and longitude sent as two sibling leaves (`$.gps.lat`, `$.gps.lng`; `query:lat`,
// `query:lon`): a leaf waits, bounded in number and age, until the other axis arrives under the same parent.

import type { View } from "../detect-types.ts";
import { type Coord, coordAt } from "./coords.ts";
import { latin1 } from "./id-tables.ts";

/** A latitude or longitude leaf waiting for its sibling. */
export interface PendingCoord {
  /** The field the siblings share. */
  parent: string;
  /** Chain length of the view (siblings sit at the same depth). */
  depth: number;
  /** Numeric value. */
  value: number;
  /** Decimals sent. */
  decimals: number;
  /** The number as sent. */
  text: string;
  /** Leaf count when it arrived. */
  born: number;
}

/** Unpaired leaves kept per axis (the oldest are dropped beyond this). */
const MAX_PENDING = 16;

/** The field a leaf's siblings share: its field without the trailing key (`json:$.gps.lat` → `json:$.gps.`). */
export function parentOf(v: View): string {
  const f = v.field;
  if (v.key !== undefined && f.endsWith(v.key)) return f.slice(0, f.length - v.key.length);
  const cut = Math.max(f.lastIndexOf("."), f.lastIndexOf(":"), f.lastIndexOf("["), f.lastIndexOf("/"));
  return f.slice(0, cut + 1);
}

/** Waiting latitude and longitude leaves. */
export class SiblingPairs {
  private readonly lats: PendingCoord[] = [];
  private readonly lons: PendingCoord[] = [];
  private readonly coord: Coord = { value: 0, decimals: 0, start: 0, end: 0 };
  private leaves = 0;

  /** @param maxAge leaves after which a waiting coordinate is dropped (Infinity: only on clear()). */
  constructor(private readonly maxAge: number) {}

  /** Counts one leaf view (for ageing). */
  tick(): void {
    this.leaves++;
  }

  /**
   * Offers a leaf under a latitude/longitude key. Returns the completed pair `[lat, lon]`, `"waiting"`
   * when it was kept for its sibling, or undefined when the value is not a plain decimal number.
   */
  offer(v: View, axis: "lat" | "lon"): [PendingCoord, PendingCoord] | "waiting" | undefined {
    const d = v.data;
    let s = 0;
    let e = d.length;
    while (s < e && (d[s] === 0x22 || d[s] === 0x20)) s++;
    while (e > s && (d[e - 1] === 0x22 || d[e - 1] === 0x20)) e--;
    if (e - s > 32 || !coordAt(d.subarray(s, e), 0, this.coord) || this.coord.end !== e - s) return undefined;
    const me: PendingCoord = {
      parent: parentOf(v),
      depth: v.chain.length,
      value: this.coord.value,
      decimals: this.coord.decimals,
      text: latin1(d, s, e),
      born: this.leaves,
    };
    const others = axis === "lat" ? this.lons : this.lats;
    const k = others.findIndex(
      (o) => o.parent === me.parent && o.depth === me.depth && this.leaves - o.born <= this.maxAge,
    );
    if (k >= 0) {
      const other = others.splice(k, 1)[0];
      return axis === "lat" ? [me, other] : [other, me];
    }
    const mine = axis === "lat" ? this.lats : this.lons;
    if (mine.length >= MAX_PENDING || (mine.length > 0 && this.leaves - mine[0].born > this.maxAge))
      mine.shift();
    mine.push(me);
    return "waiting";
  }

  /** Drops every waiting leaf. */
  clear(): void {
    this.lats.length = 0;
    this.lons.length = 0;
  }
}
