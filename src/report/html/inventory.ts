// The inventory sections: endpoints the device contacted with no identifier seen (what a phone talks to
// by itself), and the run itself (inputs with their hashes, the profile looked for, counts, weird records).

import type { EndpointRecord } from "../../model/endpoint.ts";
import type { AnalysisReport } from "../report-types.ts";
import { countryLabel } from "./country-codes.ts";
import { html, type SafeHtml } from "./escape.ts";
import {
  fmtBytes,
  fmtDuration,
  fmtInt,
  fmtPlain,
  fmtTime,
  kindWords,
  plural,
  sevClass,
  severityOf,
  stringList,
  transportWords,
} from "./format.ts";

/** Endpoint rows at most. */
export const MAX_ENDPOINT_ROWS = 2000;
/** Weird names listed at most. */
const MAX_WEIRD = 200;

/** One endpoint row. */
function endpointRow(e: EndpointRecord): SafeHtml {
  const sev = severityOf(e.severity);
  const as = e.asn !== undefined ? `AS${fmtPlain(e.asn)}` : "";
  const reasons = stringList(e.reasons, 3).join("; ");
  return html`<tr><th scope="row">${e.host}</th><td class="mono">${stringList(e.ips, 3).join(", ")}</td><td>${countryLabel(e.country)}</td><td>${as}${as && e.as_org ? " " : ""}${e.as_org ?? ""}</td><td>${e.company ?? ""}${e.purpose ? ` (${e.purpose})` : ""}</td><td>${stringList(e.transports, 6).map(transportWords).join(", ")}</td><td class="num">${fmtInt(e.connections)}</td><td class="num">${fmtBytes(e.bytes_sent)} / ${fmtBytes(e.bytes_received)}</td><td>${fmtTime(e.first_ts)}</td><td><span class="badge ${sevClass(sev)}">${sev}</span>${reasons ? html` ${reasons}` : ""}</td></tr>`;
}

/** Endpoints contacted with no identifier seen going to them. */
export function renderQuietEndpoints(report: AnalysisReport): SafeHtml {
  const quiet = report.endpoints.filter((e) => !(e.findings > 0) && stringList(e.kinds).length === 0);
  const rows = quiet.slice(0, MAX_ENDPOINT_ROWS);
  const more =
    quiet.length > rows.length
      ? html`<p>${plural(quiet.length - rows.length, "more endpoint")} not listed.</p>`
      : "";
  const body = quiet.length
    ? html`<table id="quiet-endpoints-table"><caption>${plural(quiet.length, "endpoint")} with no identifier seen</caption>
<thead><tr><th scope="col">Host</th><th scope="col">Addresses</th><th scope="col">Country</th><th scope="col">AS</th><th scope="col">Company</th><th scope="col">Transport</th><th scope="col" class="num">Connections</th><th scope="col" class="num">Sent / received</th><th scope="col">First seen</th><th scope="col">Severity</th></tr></thead>
<tbody>${rows.map(endpointRow)}</tbody></table>${more}`
    : html`<p>Every endpoint contacted received at least one identifier.</p>`;
  return html`<section id="quiet-endpoints" aria-labelledby="quiet-h">
<h2 id="quiet-h">Endpoints contacted with no identifier</h2>
<p>The device opened these connections, but no identifier was seen in them. Encrypted connections that were not decrypted may still carry identifiers.</p>
${body}
</section>`;
}

/** The inputs table. */
function inputs(report: AnalysisReport): SafeHtml {
  const rows = (Array.isArray(report.inputs) ? report.inputs : [])
    .slice(0, 100)
    .map(
      (i) =>
        html`<tr><th scope="row">${i.file}</th><td>${i.format}</td><td class="num">${fmtInt(i.packets)}</td><td class="num">${fmtBytes(i.bytes)}</td><td>${fmtTime(i.first_ts)} &ndash; ${fmtTime(i.last_ts)}</td><td class="mono">${i.sha256}</td></tr>`,
    );
  return html`<table id="inputs-table"><caption>Inputs</caption><thead><tr><th scope="col">File</th><th scope="col">Format</th><th scope="col" class="num">Packets</th><th scope="col" class="num">Bytes</th><th scope="col">Time span</th><th scope="col">SHA-256</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The profile's values as the report shows them (masked unless revealed). */
function profile(report: AnalysisReport): SafeHtml {
  const p = report.profile;
  if (!p) return html`<p>No device profile was given: findings come from the generic detectors alone.</p>`;
  const values = (Array.isArray(p.values) ? p.values : []).slice(0, 200);
  return html`<table id="profile-table"><caption>Profile values looked for (${plural(p.needles, "search pattern")} after encoding)</caption><thead><tr><th scope="col">Label</th><th scope="col">Kind</th><th scope="col">Value</th></tr></thead><tbody>${values.map(
    (v) =>
      html`<tr><th scope="row">${v.label}</th><td>${kindWords(v.kind)}</td><td><code>${v.value_masked}</code></td></tr>`,
  )}</tbody></table>`;
}

/** Counts and weird records. */
function counts(report: AnalysisReport): SafeHtml {
  const s = report.stats;
  const weird = Object.entries(report.weird ?? {})
    .filter(([, n]) => typeof n === "number")
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const weirdTable = weird.length
    ? html`<table id="weird-table"><caption>Weird records (malformed or unusual traffic, counted by name)</caption><thead><tr><th scope="col">Name</th><th scope="col" class="num">Count</th></tr></thead><tbody>${weird
        .slice(0, MAX_WEIRD)
        .map(
          ([name, n]) =>
            html`<tr><th scope="row"><code>${name}</code></th><td class="num">${fmtInt(n)}</td></tr>`,
        )}</tbody></table>`
    : html`<p>No weird records: every packet decoded cleanly.</p>`;
  return html`<table id="stats-table"><caption>Counts</caption><tbody>
<tr><th scope="row">Packets</th><td class="num">${fmtInt(s?.packets)}</td></tr>
<tr><th scope="row">Bytes</th><td class="num">${fmtBytes(s?.bytes)}</td></tr>
<tr><th scope="row">Connections</th><td class="num">${fmtInt(s?.connections)}</td></tr>
<tr><th scope="row">Findings</th><td class="num">${fmtInt(s?.findings)}</td></tr>
<tr><th scope="row">Endpoints</th><td class="num">${fmtInt(s?.endpoints)}</td></tr>
<tr><th scope="row">Analysis time</th><td class="num">${fmtDuration(s?.elapsed_s)}</td></tr>
</tbody></table>
${weirdTable}`;
}

/** The "About this run" section. */
export function renderRun(report: AnalysisReport): SafeHtml {
  return html`<section id="run" aria-labelledby="run-h">
<h2 id="run-h">About this run</h2>
${inputs(report)}
${profile(report)}
${counts(report)}
</section>`;
}
