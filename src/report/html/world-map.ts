// The report's world map as inline SVG, drawn at generation time so the page needs no script and no
// network: land and borders, destination countries filled by the worst severity of what reached them (or
// lightly shaded when contacted with no identifier), and a great-circle arc from the home country to each.

import { countryName } from "../../attribute/geo/country-names.ts";
import { type Severity, severityRank } from "../../model/judgement.ts";
import { isAlpha2 } from "./country-codes.ts";
import { html, type SafeHtml, svgPathData } from "./escape.ts";
import { fmtCoord, plural, sevClass } from "./format.ts";
import { type AtlasCountry, loadAtlas, MAP_WIDTH } from "./world-atlas.ts";

/** One destination country on the map. */
export interface MapCountry {
  /** ISO 3166-1 alpha-2 code. */
  cc: string;
  /** Worst severity of the findings sent there; absent when only contacted. */
  severity?: Severity;
  /** Findings sent there. */
  findings: number;
  /** Endpoints located there. */
  endpoints: number;
}

/** What the map shows. */
export interface MapInput {
  /** Home country (alpha-2), the arcs' origin. */
  home?: string;
  /** Destination countries. */
  countries: MapCountry[];
}

/** True when the map can place the country (a shape or a point). */
export function mapCanPlace(cc: string): boolean {
  return isAlpha2(cc) && loadAtlas().countries.has(cc);
}

/** What a country's fill, arc and marker say, for `<title>`s. */
function describe(c: MapCountry): string {
  const what = c.severity ? `${plural(c.findings, "finding")}, ${c.severity}` : "contacted, no identifier";
  return `${countryName(c.cc)} (${c.cc}): ${what}; ${plural(c.endpoints, "endpoint")}`;
}

/** Class of a destination: its severity, or `contacted` when nothing was found. */
function toneOf(c: MapCountry): string {
  return c.severity ? sevClass(c.severity) : "contacted";
}

/** Least important first, so the worst country is painted last (on top). */
function paintOrder(a: MapCountry, b: MapCountry): number {
  const ra = a.severity ? severityRank(a.severity) : -1;
  const rb = b.severity ? severityRank(b.severity) : -1;
  return ra - rb || a.cc.localeCompare(b.cc);
}

/** The filled shapes of destination and home countries. */
function shapes(list: MapCountry[], home: AtlasCountry | undefined, homeCc: string | undefined): SafeHtml {
  const out: SafeHtml[] = [];
  if (home?.d && !list.some((c) => c.cc === homeCc)) {
    out.push(html`<path class="country home" d="${svgPathData(home.d)}"><title>home country</title></path>`);
  }
  for (const c of list) {
    const shape = loadAtlas().countries.get(c.cc);
    if (!shape?.d) continue;
    const homeClass = c.cc === homeCc ? " home" : "";
    out.push(
      html`<path class="country ${toneOf(c)}${homeClass}" d="${svgPathData(shape.d)}"><title>${describe(c)}</title></path>`,
    );
  }
  return html`<g class="countries">${out}</g>`;
}

/** Great-circle arcs from home to every other destination country. */
function arcs(list: MapCountry[], home: AtlasCountry | undefined, homeCc: string | undefined): SafeHtml {
  if (!home) return html``;
  const atlas = loadAtlas();
  const out: SafeHtml[] = [];
  for (const c of list) {
    const dest = atlas.countries.get(c.cc);
    if (!dest || c.cc === homeCc) continue;
    const d = svgPathData(atlas.line(home.lonlat, dest.lonlat));
    out.push(html`<path class="arc ${toneOf(c)}" d="${d}"><title>${describe(c)}</title></path>`);
  }
  return html`<g class="arcs">${out}</g>`;
}

/** A marker and the country code beside it (colour is never the only cue). */
function marker(c: MapCountry, at: AtlasCountry): SafeHtml {
  const [x, y] = at.xy;
  return html`<g class="marker ${toneOf(c)}"><circle cx="${fmtCoord(x)}" cy="${fmtCoord(y)}" r="4.5"><title>${describe(c)}</title></circle><text x="${fmtCoord(x + 7)}" y="${fmtCoord(y + 4)}">${c.cc}</text></g>`;
}

/** The home marker. */
function homeMarker(cc: string, at: AtlasCountry): SafeHtml {
  const [x, y] = at.xy;
  const title = `home: ${countryName(cc)} (${cc})`;
  return html`<g class="marker home"><rect x="${fmtCoord(x - 5)}" y="${fmtCoord(y - 5)}" width="10" height="10"><title>${title}</title></rect><text x="${fmtCoord(x - 7)}" y="${fmtCoord(y - 8)}" text-anchor="end">home ${cc}</text></g>`;
}

/** The map as an `<svg>` element, titled for screen readers. */
export function renderWorldMap(input: MapInput): SafeHtml {
  const atlas = loadAtlas();
  const list = input.countries.filter((c) => isAlpha2(c.cc) && atlas.countries.has(c.cc)).sort(paintOrder);
  const homeCc = isAlpha2(input.home) ? input.home : undefined;
  const home = homeCc ? atlas.countries.get(homeCc) : undefined;
  const markers = list.flatMap((c) => {
    const at = atlas.countries.get(c.cc);
    return at && c.cc !== homeCc ? [marker(c, at)] : [];
  });
  const sent = list.filter((c) => c.severity).length;
  const desc = `${plural(sent, "country", "countries")} received identifiers; ${plural(list.length - sent, "other country", "other countries")} were contacted with no identifier.`;
  const h = String(atlas.height);
  return html`<svg class="map" viewBox="0 0 ${String(MAP_WIDTH)} ${h}" role="img" aria-labelledby="map-title map-desc" xmlns="http://www.w3.org/2000/svg">
<title id="map-title">World map of where the device's traffic went</title>
<desc id="map-desc">${desc}</desc>
<rect class="sea" x="0" y="0" width="${String(MAP_WIDTH)}" height="${h}"/>
<path class="land" d="${svgPathData(atlas.land)}"/>
${shapes(list, home, homeCc)}
<path class="borders" d="${svgPathData(atlas.borders)}"/>
${arcs(list, home, homeCc)}
<g class="markers">${markers}${homeCc && home ? homeMarker(homeCc, home) : ""}</g>
</svg>`;
}
