// `analyze --format html`: one self-contained HTML file that opens with no network and runs no script —
// alert banner, offline world map, timeline, a table per destination, evidence per finding, endpoints,
// the run's counts, method notes and data credits. The page is locked by a Content-Security-Policy that
// allows only its own stylesheet, by hash.

import type { AnalysisReport } from "../report-types.ts";
import { renderDestinations } from "./destinations.ts";
import { html, type SafeHtml, styleText } from "./escape.ts";
import { renderEvidence } from "./evidence.ts";
import { renderAlert, renderHeader } from "./header.ts";
import { renderQuietEndpoints, renderRun } from "./inventory.ts";
import { renderMapSection } from "./map-section.ts";
import { renderCredits, renderMethod } from "./notes.ts";
import { contentSecurityPolicy, REPORT_STYLE } from "./style.ts";
import { renderTimeline } from "./timeline.ts";

/** The links at the top of the page (fixed anchors; nothing from the traffic). */
const NAV = html`<nav aria-label="Sections"><p class="meta"><a href="#map">Map</a> &middot; <a href="#timeline">Timeline</a> &middot; <a href="#destinations">What went where</a> &middot; <a href="#evidence">Evidence</a> &middot; <a href="#quiet-endpoints">Other endpoints</a> &middot; <a href="#run">Run</a> &middot; <a href="#method">Method</a> &middot; <a href="#credits">Credits</a></p></nav>`;

/** The timeline section. */
function timelineSection(report: AnalysisReport): SafeHtml {
  return html`<section id="timeline" aria-labelledby="timeline-h">
<h2 id="timeline-h">Timeline</h2>
${renderTimeline(report.connections ?? [], report.findings)}
</section>`;
}

/** The page title: tool, device, level. */
function titleOf(report: AnalysisReport): string {
  const device = typeof report.profile?.device === "string" ? ` — ${report.profile.device}` : "";
  return `phonehome report${device} — alert ${String(report.alert?.level ?? "info")}`;
}

/** The whole report as one HTML document. */
export function renderHtmlReport(report: AnalysisReport): string {
  const safe: AnalysisReport = {
    ...report,
    findings: Array.isArray(report.findings) ? report.findings : [],
    endpoints: Array.isArray(report.endpoints) ? report.endpoints : [],
    connections: Array.isArray(report.connections) ? report.connections : [],
  };
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(REPORT_STYLE)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="phonehome">
<title>${titleOf(safe)}</title>
<style>${styleText(REPORT_STYLE)}</style>
</head>
<body>
${renderHeader(safe)}
${NAV}
<main>
${renderAlert(safe)}
${renderMapSection(safe)}
${timelineSection(safe)}
${renderDestinations(safe)}
${renderEvidence(safe)}
${renderQuietEndpoints(safe)}
${renderRun(safe)}
${renderMethod(safe)}
${renderCredits(safe)}
</main>
</body>
</html>
`;
  return doc.html;
}
