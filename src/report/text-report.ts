// The terminal face of a run: the alert in one line with its reasons, findings grouped by destination,
// endpoints contacted with no identifier, then weird counts, inputs and data credits. Every string that came
// from the traffic goes through oneLine (no control characters reach the terminal).

import { createColors } from "picocolors";
import type { Destination } from "../model/destination.ts";
import type { EndpointRecord } from "../model/endpoint.ts";
import type { FindingRecord } from "../model/finding.ts";
import type { Severity } from "../model/judgement.ts";
import { connectionFilter } from "./display-filter.ts";
import { oneLine } from "./one-line.ts";
import type { AnalysisReport } from "./report-types.ts";
import { formatBytes } from "./units.ts";

/** How to render. */
export interface TextOptions {
  /** ANSI colours (a TTY). */
  color: boolean;
  /** Finding lines listed per destination before "… and N more". */
  perDestination?: number;
  /** Endpoints without identifiers listed before "… and N more". */
  maxEndpoints?: number;
}

type Paint = ReturnType<typeof createColors>;

/** The whole terminal report. */
export function renderText(report: AnalysisReport, o: TextOptions): string {
  const c = createColors(o.color);
  const out: string[] = [];
  out.push(alertLine(report, c), ...report.alert.reasons.map((r) => `  · ${oneLine(r)}`), "");
  out.push(...findingsSection(report, c, o.perDestination ?? 12));
  out.push(...endpointsSection(report, c, o.maxEndpoints ?? 25));
  out.push(...weirdSection(report, c));
  out.push(...inputsSection(report, c));
  return out.join("\n");
}

/** `ALERT HIGH: summary`, coloured by level. */
export function alertLine(report: AnalysisReport, c: Paint): string {
  const level = report.alert.level;
  return `${levelPaint(level, c)(`ALERT ${level.toUpperCase()}`)}: ${oneLine(report.alert.summary)}`;
}

/** Colour of a severity level. */
export function levelPaint(level: Severity, c: Paint): (s: string) => string {
  switch (level) {
    case "critical":
      return (s) => c.bold(c.red(s));
    case "high":
      return c.red;
    case "medium":
      return c.yellow;
    case "low":
      return c.cyan;
    default:
      return c.dim;
  }
}

/** `host · company · country · transport`. */
export function destLine(d: Destination | undefined, fallback: string): string {
  if (!d) return oneLine(fallback);
  const parts = [d.host, d.company ?? d.as_org ?? "unknown owner", d.country ?? d.ip_class, d.transport];
  return parts.map((p) => oneLine(String(p))).join(" · ");
}

function findingsSection(report: AnalysisReport, c: Paint, per: number): string[] {
  const total = report.stats.findings;
  if (total === 0) return [c.bold("No identifier was seen leaving the device."), ""];
  const groups = new Map<string, FindingRecord[]>();
  for (const f of report.findings) {
    const key = f.dest ? `${f.dest.host}|${f.dest.transport}` : (f.host ?? f.resp_h);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out = [
    c.bold(`Identifiers sent (${plural(total, "finding")}, ${plural(groups.size, "destination")})`),
  ];
  for (const list of groups.values()) {
    const first = list[0];
    const sev = first.severity ?? "info";
    out.push(
      `  ${levelPaint(sev, c)(`[${sev}]`)} ${c.bold(destLine(first.dest, first.host ?? first.resp_h))}`,
    );
    const lines = kindLines(list);
    for (const line of lines.slice(0, per)) out.push(`    ${line}`);
    if (lines.length > per) out.push(`    … and ${lines.length - per} more`);
    for (const filter of connectionFilters(list)) out.push(c.dim(`    wireshark: ${filter}`));
  }
  if (report.findings.length < total)
    out.push(`  (${total - report.findings.length} more findings in the JSON output)`);
  out.push("");
  return out;
}

/** One line per (label, value, chain) with a count and the frames that carried it. */
function kindLines(list: FindingRecord[]): string[] {
  const groups = new Map<string, number[]>();
  for (const f of list) {
    const gen = f.generic ? " (generic)" : "";
    const key = `${f.label}${gen} ${f.value_masked} via ${f.chain.join(" › ")}`;
    const frames = groups.get(key) ?? [];
    frames.push(f.frames[1] || f.frames[0]);
    groups.set(key, frames);
  }
  return [...groups].map(([k, frames]) => {
    const n = frames.length > 1 ? ` ×${frames.length}` : "";
    const known = [...new Set(frames.filter((x) => x > 0))];
    const where =
      known.length === 0 ? "" : ` (frame ${known.slice(0, 5).join(", ")}${known.length > 5 ? ", …" : ""})`;
    return `${oneLine(k)}${n}${where}`;
  });
}

/** One display filter per connection of a destination's findings (at most three). */
function connectionFilters(list: FindingRecord[]): string[] {
  const byConn = new Map<string, FindingRecord[]>();
  for (const f of list) byConn.set(f.uid, [...(byConn.get(f.uid) ?? []), f]);
  const out: string[] = [];
  for (const fs of byConn.values()) {
    const filter = connectionFilter(fs);
    if (filter && out.length < 3) out.push(filter);
  }
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function endpointsSection(report: AnalysisReport, c: Paint, max: number): string[] {
  const quiet = report.endpoints.filter((e) => e.findings === 0);
  if (quiet.length === 0) return [];
  const out = [c.bold(`Endpoints contacted with no identifier seen (${quiet.length})`)];
  for (const e of quiet.slice(0, max)) out.push(`  ${endpointLine(e, c)}`);
  if (quiet.length > max) out.push(`  … and ${quiet.length - max} more`);
  out.push("");
  return out;
}

function endpointLine(e: EndpointRecord, c: Paint): string {
  const owner = e.company ?? e.as_org ?? "unknown owner";
  const where = e.countries.length > 0 ? e.countries.join("/") : e.ip_class;
  const parts = [e.host, owner, where, e.transports.join("/")].map((p) => oneLine(p));
  const traffic = `${e.connections} conn, ${formatBytes(e.bytes_sent)} sent, ${formatBytes(e.bytes_received)} received`;
  const sev = e.severity !== "info" ? ` ${levelPaint(e.severity, c)(`[${e.severity}]`)}` : "";
  return `${parts.join(" · ")}  ${c.dim(traffic)}${sev}`;
}

function weirdSection(report: AnalysisReport, c: Paint): string[] {
  const names = Object.entries(report.weird);
  if (names.length === 0) return [];
  const shown = names.slice(0, 8).map(([n, k]) => `${oneLine(n)} ${k}`);
  const more = names.length > 8 ? `, … ${names.length - 8} more` : "";
  return [`${c.bold("Weird")}: ${shown.join(", ")}${more}`, ""];
}

function inputsSection(report: AnalysisReport, c: Paint): string[] {
  const out = report.inputs.map((i) =>
    c.dim(`${oneLine(i.file)}: ${i.format}, ${i.packets} packets, ${formatBytes(i.bytes)}`),
  );
  const s = report.stats;
  out.push(c.dim(`${s.connections} connections, ${s.endpoints} endpoints, ${s.elapsed_s.toFixed(2)} s`));
  if (!report.revealed) out.push(c.dim("Values are masked; --reveal shows them."));
  const credits = report.credits.map((x) => `${x.source.split(/[:(]/)[0].trim()} (${x.licence})`);
  out.push(c.dim(`Data: ${[...new Set(credits)].join("; ")}`));
  return out;
}
