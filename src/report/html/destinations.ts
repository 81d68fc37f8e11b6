// "What went where": one table per destination (host · company · country · transport), with each
// identifier sent there, how many times, how it travelled, its worst severity and links to the evidence.

import type { FindingRecord } from "../../model/finding.ts";
import type { AnalysisReport } from "../report-types.ts";
import { countryLabel } from "./country-codes.ts";
import { html, type SafeHtml } from "./escape.ts";
import {
  fmtInt,
  fmtPlain,
  kindWords,
  plural,
  sevClass,
  severityOf,
  stringList,
  transportWords,
} from "./format.ts";
import { type DestinationGroup, groupByDestination, worse } from "./groups.ts";

/** Destinations drawn at most (each with its own table). */
export const MAX_DESTINATIONS = 200;
/** Evidence links listed per identifier row. */
const MAX_LINKS = 20;

/** The findings of one identifier (label and kind) at one destination. */
interface IdentifierRow {
  label: string;
  kind: string;
  findings: FindingRecord[];
  indexes: number[];
}

/** The group's findings by identifier, in first-seen order. */
function identifierRows(g: DestinationGroup): IdentifierRow[] {
  const rows = new Map<string, IdentifierRow>();
  g.findings.forEach((f, i) => {
    const key = `${f.kind}\u0000${f.label}`;
    let r = rows.get(key);
    if (!r) {
      r = { label: String(f.label), kind: String(f.kind), findings: [], indexes: [] };
      rows.set(key, r);
    }
    r.findings.push(f);
    r.indexes.push(g.indexes[i]);
  });
  return [...rows.values()];
}

/** Distinct values of a list, in order. */
function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** One identifier row. */
function identifierRow(r: IdentifierRow): SafeHtml {
  const sev = r.findings.reduce((s, f) => worse(s, severityOf(f.severity)), severityOf(undefined));
  const transports = distinct(r.findings.map((f) => transportWords(f.transport))).join(", ");
  const links = r.indexes
    .slice(0, MAX_LINKS)
    .map((i) => html`<a href="#f-${fmtPlain(i + 1)}">#${fmtPlain(i + 1)}</a> `);
  return html`<tr><th scope="row">${r.label}</th><td>${kindWords(r.kind)}</td><td class="num">${fmtInt(r.findings.length)}</td><td>${transports}</td><td><span class="badge ${sevClass(sev)}">${sev}</span></td><td>${links}</td></tr>`;
}

/** The line under a destination's heading: who holds it, where, how it was reached. */
function destinationMeta(g: DestinationGroup): SafeHtml {
  const first = g.findings[0]?.dest;
  const e = g.endpoint;
  const company = e?.company ?? first?.company ?? "unknown company";
  const country = e?.country ?? first?.country;
  const asn = e?.asn ?? first?.asn;
  const org = e?.as_org ?? first?.as_org;
  const as = asn !== undefined ? `AS${fmtPlain(asn)}${org ? ` ${org}` : ""}` : (org ?? "AS unknown");
  const transports = distinct(g.findings.map((f) => transportWords(f.transport))).join(", ");
  const purpose = e?.purpose ?? first?.purpose;
  const party = e?.party ?? first?.party;
  const ips = e ? stringList(e.ips, 4).join(", ") : String(first?.ip ?? "");
  return html`<p class="meta">${company} &middot; ${countryLabel(country)} &middot; ${transports}${purpose ? ` · purpose: ${purpose}` : ""}${party && party !== "unknown" ? ` · ${party} party` : ""}</p>
<p class="meta mono">${ips} &middot; ${as}</p>`;
}

/** One destination: heading, meta line, and its identifiers table. */
function destination(g: DestinationGroup, n: number): SafeHtml {
  return html`<section class="destination" aria-labelledby="d-${fmtPlain(n)}">
<h3 id="d-${fmtPlain(n)}">${g.host} <span class="badge ${sevClass(g.severity)}">${g.severity}</span></h3>
${destinationMeta(g)}
<table class="destination-table"><caption>Identifiers sent to ${g.host}: ${plural(g.findings.length, "finding")}</caption>
<thead><tr><th scope="col">Identifier</th><th scope="col">Kind</th><th scope="col" class="num">Times seen</th><th scope="col">Transport</th><th scope="col">Severity</th><th scope="col">Evidence</th></tr></thead>
<tbody>${identifierRows(g).map(identifierRow)}</tbody></table>
</section>`;
}

/** The section. */
export function renderDestinations(report: AnalysisReport): SafeHtml {
  const groups = groupByDestination(report.findings, report.endpoints);
  const shown = groups.slice(0, MAX_DESTINATIONS);
  const more =
    groups.length > shown.length
      ? html`<p>${plural(groups.length - shown.length, "more destination")} not shown.</p>`
      : "";
  const body = groups.length
    ? html`${shown.map((g, i) => destination(g, i + 1))}${more}`
    : html`<p>No identifier was seen leaving the device.</p>`;
  return html`<section id="destinations" aria-labelledby="destinations-h">
<h2 id="destinations-h">What went where</h2>
${body}
</section>`;
}
