// Legends of the map and the timeline: a swatch drawn with the very class it explains, next to its words,
// so no colour stands without a label.

import { TRANSPORTS } from "../../model/destination.ts";
import { SEVERITIES } from "../../model/judgement.ts";
import { html, type SafeHtml } from "./escape.ts";
import { sevClass, transportClass, transportWords } from "./format.ts";

/** One legend entry. */
export function swatch(cls: string, words: string): SafeHtml {
  return html`<li><svg class="swatch" viewBox="0 0 14 14" aria-hidden="true"><rect class="${cls}" width="14" height="14"/></svg>${words}</li>`;
}

/** Severity swatches, worst first, each with `prefix` before the level's name. */
export function severitySwatches(prefix: string): SafeHtml[] {
  return [...SEVERITIES].reverse().map((s) => swatch(sevClass(s), `${prefix}${s}`));
}

/** The map's legend. */
export function mapLegend(): SafeHtml {
  return html`<ul class="legend" aria-label="Map legend">${severitySwatches("identifiers sent, worst ")}${swatch("contacted", "contacted, no identifier")}${swatch("home", "home country")}</ul>`;
}

/** The timeline's legend: how the drawn connections travelled (bars) and finding severities (dots). */
export function timelineLegend(drawn: ReadonlySet<unknown>): SafeHtml {
  const transports = TRANSPORTS.filter((t) => drawn.has(t));
  return html`<ul class="legend" aria-label="Timeline legend">${transports.map((t) => swatch(transportClass(t), `connection, ${transportWords(t)}`))}${severitySwatches("finding, ")}</ul>`;
}
