// The offline world map's geometry: world-atlas's 1:110m Natural Earth countries, projected once per process
// with d3-geo into SVG path data (rounded to one decimal), the land drawn as one merged shape and the borders
// as one mesh so each border is written once, plus a projected anchor point for every country code.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type GeoProjection, geoArea, geoCentroid, geoNaturalEarth1, geoPath } from "d3-geo";
import { feature, merge, mesh } from "topojson-client";
import type { GeometryCollection, MultiPolygon, Polygon, Topology } from "topojson-specification";
import { countryTable } from "./country-codes.ts";

/** Width of the map's coordinate space; the SVG scales to the page. */
export const MAP_WIDTH = 960;
/** Margin around the land, in map units. */
const MARGIN = 6;
/** world-atlas's numeric id for Antarctica, left out: it would take a fifth of the map and no servers. */
const ANTARCTICA = "010";

/** One country the atlas can place. */
export interface AtlasCountry {
  /** Outline path data, when the atlas draws the country (absent for points only). */
  d?: string;
  /** Longitude and latitude of its anchor (centroid of its largest polygon, or the data file's point). */
  lonlat: [number, number];
  /** Projected anchor. */
  xy: [number, number];
}

/** The projected world. */
export interface Atlas {
  /** Height of the coordinate space. */
  height: number;
  /** Path data of all land. */
  land: string;
  /** Path data of the borders between countries. */
  borders: string;
  /** alpha-2 → its shape and anchor. */
  countries: Map<string, AtlasCountry>;
  /** Path data of the great-circle line between two points (antimeridian-clipped by d3). */
  line(from: [number, number], to: [number, number]): string;
}

let atlas: Atlas | undefined;

/** One polygon of a feature's geometry, as d3 takes it. */
type Poly = { type: "Polygon"; coordinates: number[][][] };

/** The polygons of a country shape (world-atlas has only Polygon and MultiPolygon countries). */
function polygonsOf(geometry: { type: string; coordinates?: unknown }): Poly[] {
  if (geometry.type === "Polygon") return [geometry as Poly];
  if (geometry.type !== "MultiPolygon") return [];
  return (geometry.coordinates as number[][][][]).map((coordinates) => ({ type: "Polygon", coordinates }));
}

/** Centroid of the largest polygon, so France's anchor is in Europe, not between it and French Guiana. */
function anchorOf(geometry: { type: string; coordinates?: unknown }): [number, number] | undefined {
  let best: Poly | undefined;
  let bestArea = -1;
  for (const p of polygonsOf(geometry)) {
    const a = geoArea(p);
    if (a > bestArea) [best, bestArea] = [p, a];
  }
  return best ? geoCentroid(best) : undefined;
}

/** One country of world-atlas's collection. */
type CountryGeometry = GeometryCollection<{ name?: string }>["geometries"][number];

/** Reads world-atlas's countries file from the installed package. */
function readTopology(): Topology<{ countries: GeometryCollection<{ name?: string }> }> {
  const file = createRequire(import.meta.url).resolve("world-atlas/countries-110m.json");
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Projects the atlas once; later calls return the same object. */
export function loadAtlas(): Atlas {
  if (atlas) return atlas;
  const topo = readTopology();
  const geometries = topo.objects.countries.geometries.filter((g) => g.id !== ANTARCTICA);
  const kept: GeometryCollection = { type: "GeometryCollection", geometries };
  // merge() takes the list of polygons, not the collection around it.
  const land = merge(topo, geometries as Array<Polygon | MultiPolygon>);
  const projection = geoNaturalEarth1().fitWidth(MAP_WIDTH - 2 * MARGIN, land);
  const [x, y] = projection.translate();
  projection.translate([x + MARGIN, y + MARGIN]);
  const path = geoPath(projection).digits(1);
  const height = Math.ceil(path.bounds(land)[1][1] + MARGIN);
  const countries = placeCountries(topo, geometries, projection, path);
  atlas = {
    height,
    land: path(land) ?? "",
    borders: path(mesh(topo, kept, (a, b) => a !== b)) ?? "",
    countries,
    line: (from, to) => path({ type: "LineString", coordinates: [from, to] }) ?? "",
  };
  return atlas;
}

/** Shapes and anchors by alpha-2: the atlas's shapes first, then the data file's points. */
function placeCountries(
  topo: Topology,
  geometries: CountryGeometry[],
  projection: GeoProjection,
  path: ReturnType<typeof geoPath>,
): Map<string, AtlasCountry> {
  const table = countryTable();
  const byName = new Map([...table.atlasNames].map(([cc, name]) => [name, cc]));
  const out = new Map<string, AtlasCountry>();
  for (const g of geometries) {
    const cc =
      g.id === undefined
        ? byName.get((g.properties as { name?: string } | undefined)?.name ?? "")
        : table.alpha2.get(String(g.id));
    if (!cc || (g.type !== "Polygon" && g.type !== "MultiPolygon")) continue;
    const shape = feature(topo, g as Polygon);
    const lonlat = anchorOf(shape.geometry);
    const xy = lonlat && projection(lonlat);
    if (lonlat && xy) out.set(cc, { d: path(shape) ?? "", lonlat, xy: [xy[0], xy[1]] });
  }
  for (const [cc, lonlat] of table.points) {
    const xy = projection(lonlat);
    if (!out.has(cc) && xy) out.set(cc, { lonlat, xy: [xy[0], xy[1]] });
  }
  return out;
}
