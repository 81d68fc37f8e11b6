// The report's timeline as inline SVG: one row per destination, a bar per connection coloured by how it
// travelled, a dot per finding coloured by severity, and a UTC time axis. Rows and marks are bounded so a
// long capture still gives a small file; what was left out is said in words under the chart.

import type { FindingRecord } from "../../model/finding.ts";
import { type Severity, severityRank } from "../../model/judgement.ts";
import type { ReportConnection } from "../report-types.ts";
import { clip, html, type SafeHtml } from "./escape.ts";
import {
  fmtBytes,
  fmtClock,
  fmtCoord,
  fmtPlain,
  fmtTime,
  isTime,
  plural,
  sevClass,
  severityOf,
  transportClass,
  transportWords,
} from "./format.ts";
import { findingHost, worse } from "./groups.ts";
import { timelineLegend } from "./legend.ts";

const WIDTH = 960;
const LABEL_W = 240;
const RIGHT = 20;
const TOP = 26;
const ROW_H = 22;
/** Rows drawn at most; the worst destinations are kept. */
export const MAX_ROWS = 40;
/** Connection bars and finding dots drawn per row at most. */
const MAX_MARKS = 200;
const LABEL_CHARS = 36;
/** Tick steps in seconds, from one second to a day. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

interface Row {
  host: string;
  first: number;
  conns: ReportConnection[];
  findings: FindingRecord[];
  worst?: Severity;
}

/** Rows by destination, holding only marks with usable times. */
function collectRows(conns: ReportConnection[], findings: FindingRecord[]): Row[] {
  const rows = new Map<string, Row>();
  const row = (host: string): Row => {
    let r = rows.get(host);
    if (!r) {
      r = { host, first: Number.POSITIVE_INFINITY, conns: [], findings: [] };
      rows.set(host, r);
    }
    return r;
  };
  for (const c of conns) {
    if (!isTime(c.ts)) continue;
    const r = row(String(c.host));
    if (r.conns.length < MAX_MARKS) r.conns.push(c);
    r.first = Math.min(r.first, c.ts);
  }
  for (const f of findings) {
    if (!isTime(f.ts)) continue;
    const r = row(findingHost(f));
    if (r.findings.length < MAX_MARKS) r.findings.push(f);
    r.first = Math.min(r.first, f.ts);
    r.worst = worse(r.worst, severityOf(f.severity));
  }
  return [...rows.values()];
}

/** The MAX_ROWS most important rows (findings first, worst first), then shown in order of first contact. */
function pickRows(rows: Row[]): Row[] {
  const rank = (r: Row): number => (r.worst ? severityRank(r.worst) : -1);
  const kept = [...rows]
    .sort((a, b) => rank(b) - rank(a) || b.findings.length - a.findings.length || a.first - b.first)
    .slice(0, MAX_ROWS);
  return kept.sort((a, b) => a.first - b.first || a.host.localeCompare(b.host));
}

/** Earliest and latest time over the rows (a zero span is widened to one second). */
function domainOf(rows: Row[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    for (const c of r.conns) {
      lo = Math.min(lo, c.ts);
      hi = Math.max(hi, isTime(c.last_ts) ? c.last_ts : c.ts);
    }
    for (const f of r.findings) [lo, hi] = [Math.min(lo, f.ts), Math.max(hi, f.ts)];
  }
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** Axis ticks: whole multiples of a step giving at most eight ticks. */
function ticks(lo: number, hi: number): number[] {
  const step = STEPS.find((s) => (hi - lo) / s <= 8) ?? Math.ceil((hi - lo) / 8 / 86400) * 86400;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi && out.length < 12; t += step) out.push(t);
  return out;
}

/** One connection bar. */
function bar(c: ReportConnection, x: (t: number) => number, y: number): SafeHtml {
  const x0 = x(c.ts);
  const x1 = x(isTime(c.last_ts) ? Math.max(c.ts, c.last_ts) : c.ts);
  const service = typeof c.service === "string" ? ` ${c.service}` : "";
  const title = `${c.host}:${fmtPlain(c.port)} ${c.proto}${service}, ${transportWords(c.transport)}, ${fmtTime(c.ts)}; sent ${fmtBytes(c.bytes_sent)}, received ${fmtBytes(c.bytes_received)}`;
  const found = typeof c.findings === "number" && c.findings > 0 ? " carried" : "";
  return html`<rect class="bar ${transportClass(c.transport)}${found}" x="${fmtCoord(x0)}" y="${fmtCoord(y + 6)}" width="${fmtCoord(Math.max(3, x1 - x0))}" height="10"><title>${title}</title></rect>`;
}

/** One finding dot, with its severity as a letter too. */
function dot(f: FindingRecord, x: (t: number) => number, y: number): SafeHtml {
  const sev = severityOf(f.severity);
  const title = `${f.label}: ${sev}, ${fmtTime(f.ts)}`;
  return html`<circle class="dot ${sevClass(sev)}" cx="${fmtCoord(x(f.ts))}" cy="${fmtCoord(y + 11)}" r="5"><title>${title}</title></circle>`;
}

/** Findings least severe first, so the worst dot is painted on top. */
function byRank(list: FindingRecord[]): FindingRecord[] {
  return [...list].sort(
    (a, b) => severityRank(severityOf(a.severity)) - severityRank(severityOf(b.severity)),
  );
}

/** One destination row: label, bars, dots. */
function rowMarks(r: Row, i: number, x: (t: number) => number): SafeHtml {
  const y = TOP + i * ROW_H;
  const worst = r.worst ? ` (${r.worst})` : "";
  return html`<g class="row${i % 2 ? " odd" : ""}"><rect class="band" x="0" y="${fmtCoord(y)}" width="${String(WIDTH)}" height="${String(ROW_H)}"/><text class="host" x="${String(LABEL_W - 8)}" y="${fmtCoord(y + 15)}" text-anchor="end">${clip(r.host, LABEL_CHARS)}${worst}</text>${r.conns.map((c) => bar(c, x, y))}${byRank(r.findings).map((f) => dot(f, x, y))}</g>`;
}

/** Time axis: grid lines and clock labels. */
function axis(lo: number, hi: number, x: (t: number) => number, height: number): SafeHtml {
  return html`<g class="axis">${ticks(lo, hi).map(
    (t) =>
      html`<line x1="${fmtCoord(x(t))}" x2="${fmtCoord(x(t))}" y1="${String(TOP - 4)}" y2="${String(height)}"/><text x="${fmtCoord(x(t))}" y="${String(TOP - 8)}" text-anchor="middle">${fmtClock(t)}</text>`,
  )}</g>`;
}

/** The timeline section body: the SVG and a sentence on what it spans and what was left out. */
export function renderTimeline(conns: ReportConnection[], findings: FindingRecord[]): SafeHtml {
  const all = collectRows(conns, findings);
  if (all.length === 0) return html`<p>No connection or finding with a time stamp to draw.</p>`;
  const rows = pickRows(all);
  const [lo, hi] = domainOf(rows);
  const x = (t: number): number => LABEL_W + ((t - lo) / (hi - lo)) * (WIDTH - LABEL_W - RIGHT);
  const height = TOP + rows.length * ROW_H + 4;
  const left = all.length - rows.length;
  const more = left > 0 ? ` ${plural(left, "more destination")} not drawn (the worst are kept).` : "";
  return html`<svg class="timeline" viewBox="0 0 ${String(WIDTH)} ${String(height)}" role="img" aria-labelledby="timeline-title" xmlns="http://www.w3.org/2000/svg">
<title id="timeline-title">Timeline of connections and findings per destination</title>
${axis(lo, hi, x, height)}
${rows.map((r, i) => rowMarks(r, i, x))}
</svg>
${timelineLegend(new Set(rows.flatMap((r) => r.conns.map((c) => c.transport))))}
<p class="caption">From ${fmtTime(lo)} to ${fmtTime(hi)}, one row per destination; bars are connections (colour: how they travelled), dots are findings (colour: severity).${more}</p>`;
}
