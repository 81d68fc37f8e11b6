// The "Where it went" section: the offline world map, its legend, and the same facts as a table (the text
// equivalent for screen readers and for countries too small or unknown to draw).

import type { AnalysisReport } from "../report-types.ts";
import { countryLabel, isAlpha2 } from "./country-codes.ts";
import { html, type SafeHtml } from "./escape.ts";
import { fmtInt, sevClass } from "./format.ts";
import { type CountryGroup, groupByCountry } from "./groups.ts";
import { mapLegend } from "./legend.ts";
import { mapCanPlace, renderWorldMap } from "./world-map.ts";

/** One row of the countries table. */
function countryRow(c: CountryGroup): SafeHtml {
  const sev = c.severity ? html`<span class="badge ${sevClass(c.severity)}">${c.severity}</span>` : "none";
  const placed = mapCanPlace(c.cc) ? "" : " (not on the map)";
  return html`<tr><th scope="row">${countryLabel(c.cc)}${placed}</th><td class="num">${fmtInt(c.findings)}</td><td>${sev}</td><td class="num">${fmtInt(c.endpoints)}</td><td>${c.hosts.join(", ")}</td></tr>`;
}

/** The section. */
export function renderMapSection(report: AnalysisReport): SafeHtml {
  const countries = groupByCountry(report.findings, report.endpoints);
  const home = isAlpha2(report.home_country) ? report.home_country : report.profile?.home_country;
  const map = renderWorldMap({
    home,
    countries: countries.map((c) => ({ ...c })),
  });
  const table = countries.length
    ? html`<table id="countries-table"><caption>Destination countries</caption><thead><tr><th scope="col">Country</th><th scope="col" class="num">Findings</th><th scope="col">Worst severity</th><th scope="col" class="num">Endpoints</th><th scope="col">Hosts (first few)</th></tr></thead><tbody>${countries.map(countryRow)}</tbody></table>`
    : html`<p>No destination has a known country.</p>`;
  return html`<section id="map" aria-labelledby="map-h">
<h2 id="map-h">Where it went</h2>
<figure>${map}<figcaption class="caption">Countries are those the destination addresses are registered in (IP tables), which is not always where a server stands. Arcs run from the home country.</figcaption></figure>
${mapLegend()}
${table}
</section>`;
}
