// `diff --format html`: the diff as one self-contained page under the same rules as the report — no script,
// the stylesheet allowed by hash, every string from the traffic escaped by the one `html` tag.

import type { DiffReport, DiffRow } from "../../app/diff.ts";
import { SEVERITIES, type Severity } from "../../model/judgement.ts";
import { html, type SafeHtml, styleText } from "./escape.ts";
import { contentSecurityPolicy, REPORT_STYLE } from "./style.ts";

/** A level from a saved document, or info when it is not one of ours. */
function level(s: unknown): Severity {
  return SEVERITIES.includes(s as Severity) ? (s as Severity) : "info";
}

function row(r: DiffRow): SafeHtml {
  const side = r.after ?? r.before;
  return html`<tr><td>${r.status}</td><td>${r.label}</td><td>${r.host}</td><td>${r.company ?? ""}</td><td>${side?.countries.join(", ") ?? ""}</td><td>${r.before?.transports.join(", ") ?? "—"}</td><td>${r.after?.transports.join(", ") ?? "—"}</td><td>${r.change ?? ""}</td></tr>`;
}

/** The whole diff as one HTML document. */
export function renderDiffHtml(d: DiffReport): string {
  const before = level(d.before.alert.level);
  const after = level(d.after.alert.level);
  const rows = Array.isArray(d.rows) ? d.rows : [];
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(REPORT_STYLE)}">
<meta name="referrer" content="no-referrer">
<title>phonehome diff &mdash; alert ${before} &rarr; ${after}</title>
<style>${styleText(REPORT_STYLE)}</style>
</head>
<body>
<h1>phonehome diff</h1>
<p class="meta">Before: ${d.before.inputs.join(", ")} &middot; After: ${d.after.inputs.join(", ")}</p>
<main>
<section class="banner sev-${after}" aria-label="Verdict"><h2>Alert ${before} &rarr; ${after}</h2><p>${d.verdict}</p></section>
<section id="rows" aria-labelledby="rows-h"><h2 id="rows-h">Identifier &times; destination</h2>
<table><thead><tr><th scope="col">Status</th><th scope="col">Identifier</th><th scope="col">Destination</th><th scope="col">Company</th><th scope="col">Country</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Change</th></tr></thead>
<tbody>${rows.map(row)}</tbody></table></section>
<section id="endpoints" aria-labelledby="ep-h"><h2 id="ep-h">Destinations</h2>
<p>New: ${d.endpoints.added.join(", ") || "none"}</p><p>No longer contacted: ${d.endpoints.removed.join(", ") || "none"}</p></section>
</main>
</body>
</html>
`.html;
}
