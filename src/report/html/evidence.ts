// The evidence: a table of every finding, then one block per finding with what an analyst needs to check it
// in Wireshark (frames, connection, display filter) and what a reader needs to believe it (masked value,
// encoding chain, field, URL, the excerpt of the message around the value, the severity's reasons).

import type { FindingRecord } from "../../model/finding.ts";
import type { AnalysisReport } from "../report-types.ts";
import { countryLabel } from "./country-codes.ts";
import { html, type SafeHtml } from "./escape.ts";
import {
  fmtDecimal,
  fmtPlain,
  fmtTime,
  kindWords,
  plural,
  sevClass,
  severityOf,
  stringList,
  transportWords,
} from "./format.ts";
import { findingHost } from "./groups.ts";

/** Rows of the findings table at most. */
export const MAX_FINDING_ROWS = 5000;
/** Evidence blocks at most (each is a few hundred bytes of HTML). */
export const MAX_EVIDENCE = 500;

/** Frame numbers as Wireshark shows them: `17`, or `17–19` for the first and last. */
function frames(f: FindingRecord): string {
  const list = stringList(f.frames, 2).map((n) => fmtPlain(Number(n)));
  return list.length === 2 && list[0] !== list[1] ? `${list[0]}–${list[1]}` : (list[0] ?? "—");
}

/** The transform chain, outermost first. */
function chain(f: FindingRecord): string {
  return stringList(f.chain, 20).join(" › ");
}

/** One row of the findings table. */
function findingRow(f: FindingRecord, i: number): SafeHtml {
  const sev = severityOf(f.severity);
  const n = fmtPlain(i + 1);
  return html`<tr><td class="num"><a href="#f-${n}">${n}</a></td><td><span class="badge ${sevClass(sev)}">${sev}</span></td><td>${f.label}</td><td><code>${f.value_masked}</code></td><td>${findingHost(f)}</td><td>${countryLabel(f.dest?.country)}</td><td>${transportWords(f.transport)}</td><td class="num">${frames(f)}</td></tr>`;
}

/** The sentence a non-expert can read. */
function sentence(f: FindingRecord): string {
  const d = f.dest;
  const who = [d?.company, d?.country ? countryLabel(d.country) : undefined].filter(Boolean).join(", ");
  const where = typeof f.field === "string" ? ` in ${f.field}` : "";
  const guess = f.generic ? " (a generic detector's guess, not a profile value)" : "";
  return `${f.label}${guess} was sent to ${findingHost(f)}${who ? ` (${who})` : ""}, ${transportWords(f.transport)},${where}.`;
}

/** A `<dt>/<dd>` pair, left out when the value is empty. */
function item(term: string, value: SafeHtml | string | undefined): SafeHtml | "" {
  return value === undefined || value === "" ? "" : html`<dt>${term}</dt><dd>${value}</dd>`;
}

/** Who received it, in one line. */
function receiver(f: FindingRecord): string {
  const d = f.dest;
  if (!d) return String(f.resp_h ?? "");
  const as = d.asn !== undefined ? `AS${fmtPlain(d.asn)}${d.as_org ? ` ${d.as_org}` : ""}` : (d.as_org ?? "");
  const extra = [d.purpose ? `purpose ${d.purpose}` : "", d.party !== "unknown" ? `${d.party} party` : ""];
  if (d.cross_border) extra.push("cross-border");
  return [`${d.ip}:${fmtPlain(d.port)}`, countryLabel(d.country), as, d.company ?? "", ...extra]
    .filter((s) => s !== "")
    .join(" · ");
}

/** One evidence block. */
function evidence(f: FindingRecord, i: number): SafeHtml {
  const sev = severityOf(f.severity);
  const n = fmtPlain(i + 1);
  const reasons = stringList(f.reasons, 10);
  const how = f.generic ? `generic detector, confidence ${fmtDecimal(f.confidence)}` : "profile value";
  const conn = `${f.uid} · ${f.community_id} · ${f.orig_h}:${fmtPlain(f.orig_p)} → ${f.resp_h}:${fmtPlain(f.resp_p)}`;
  return html`<article class="finding ${sevClass(sev)}" id="f-${n}" aria-labelledby="f-${n}-h">
<h3 id="f-${n}-h">${n}. ${f.label} &rarr; ${findingHost(f)} <span class="badge ${sevClass(sev)}">${sev}</span></h3>
<p>${sentence(f)}</p>
<dl>
${item("Value", html`<code>${f.value_masked}</code> (${kindWords(f.kind)}, ${how})`)}
${item("Encoding", html`<code>${chain(f)}</code> (variant ${f.variant})`)}
${item("Field", html`<code>${f.field}</code>, ${f.direction === "from_server" ? "from the server" : "to the server"}`)}
${item("When", fmtTime(f.ts))}
${item("Frames", frames(f))}
${item("Connection", html`<span class="mono">${conn}</span>`)}
${item("Wireshark filter", typeof f.filter === "string" ? html`<code>${f.filter}</code>` : undefined)}
${item("URL", typeof f.url === "string" ? html`<code>${f.url}</code>` : undefined)}
${item("Excerpt", typeof f.excerpt === "string" ? html`<pre>${f.excerpt}</pre>` : undefined)}
${item("Receiver", receiver(f))}
${item("Why this severity", reasons.length ? html`<ul>${reasons.map((r) => html`<li>${r}</li>`)}</ul>` : undefined)}
</dl>
</article>`;
}

/** The section. */
export function renderEvidence(report: AnalysisReport): SafeHtml {
  const list = report.findings;
  if (list.length === 0) {
    return html`<section id="evidence" aria-labelledby="evidence-h"><h2 id="evidence-h">Findings and evidence</h2><p>No findings.</p></section>`;
  }
  const rows = list.slice(0, MAX_FINDING_ROWS);
  const blocks = list.slice(0, MAX_EVIDENCE);
  const kept = report.stats?.findings > list.length ? report.stats.findings - list.length : 0;
  const notes = [
    kept > 0 ? `${plural(kept, "more finding")} past the report's bound are counted but not listed.` : "",
    list.length > rows.length ? `The table lists the first ${plural(rows.length, "finding")}.` : "",
    list.length > blocks.length ? `Evidence is given for the first ${plural(blocks.length, "finding")}.` : "",
  ].filter(Boolean);
  return html`<section id="evidence" aria-labelledby="evidence-h">
<h2 id="evidence-h">Findings and evidence</h2>
${notes.map((s) => html`<p>${s}</p>`)}
<table id="findings-table"><caption>Every finding, most severe first</caption>
<thead><tr><th scope="col" class="num">#</th><th scope="col">Severity</th><th scope="col">Identifier</th><th scope="col">Value</th><th scope="col">Destination</th><th scope="col">Country</th><th scope="col">Transport</th><th scope="col" class="num">Frames</th></tr></thead>
<tbody>${rows.map(findingRow)}</tbody></table>
${blocks.map(evidence)}
</section>`;
}
