// The top of the report: what was analysed (device, inputs, home country, masking) and the alert banner
// with the run's level, its one-sentence summary and its strongest reasons.

import type { AnalysisReport } from "../report-types.ts";
import { countryLabel } from "./country-codes.ts";
import { html, type SafeHtml } from "./escape.ts";
import { fmtTime, plural, sevClass, severityOf, stringList } from "./format.ts";

/** The page heading and the line saying what was analysed. */
export function renderHeader(report: AnalysisReport): SafeHtml {
  const device = typeof report.profile?.device === "string" ? report.profile.device : undefined;
  const inputs = Array.isArray(report.inputs) ? report.inputs : [];
  const files = inputs.slice(0, 5).map((i) => String(i.file));
  const moreFiles =
    inputs.length > files.length ? ` and ${plural(inputs.length - files.length, "more")}` : "";
  const home = report.home_country ?? report.profile?.home_country;
  const masking = report.revealed
    ? html`<p class="warn"><strong>Values are shown unmasked</strong> (the run was asked to reveal them): handle this file as personal data.</p>`
    : html`<p class="meta">Identifier values are masked (<code>86123&bull;&bull;&bull;&bull;&bull;&bull;&bull;0127</code>): only their first and last characters are shown.</p>`;
  return html`<header>
<h1>phonehome report${device ? html`: ${device}` : ""}</h1>
<p class="meta">Analysed ${files.join(", ")}${moreFiles} &middot; home country ${countryLabel(home)} &middot; written ${fmtTime(Date.parse(String(report.generated)) / 1000)} by phonehome ${String(report.tool?.version ?? "")}</p>
${masking}
</header>`;
}

/** The alert banner: level (colour and word), summary sentence, reasons. */
export function renderAlert(report: AnalysisReport): SafeHtml {
  const level = severityOf(report.alert?.level);
  const reasons = stringList(report.alert?.reasons, 10);
  const summary = typeof report.alert?.summary === "string" ? report.alert.summary : "";
  return html`<section id="alert" class="banner ${sevClass(level)}" aria-labelledby="alert-h">
<h2 id="alert-h">Alert level: ${level.toUpperCase()}</h2>
<p class="summary">${summary}</p>
${reasons.length ? html`<ul class="reasons">${reasons.map((r) => html`<li>${r}</li>`)}</ul>` : ""}
</section>`;
}
