// `--format csv`: one row per finding, for spreadsheets. Cells are quoted per RFC 4180, and a cell that a
// spreadsheet would run as a formula (starting with = + - @ or a tab/CR) is prefixed with an apostrophe:
// hosts, URLs and labels come from the traffic.

import type { FindingRecord } from "../model/finding.ts";
import type { AnalysisReport } from "./report-types.ts";

/** Columns, in order. */
export const CSV_COLUMNS = [
  "ts",
  "severity",
  "kind",
  "label",
  "value_masked",
  "generic",
  "host",
  "host_source",
  "ip",
  "port",
  "country",
  "asn",
  "as_org",
  "company",
  "purpose",
  "party",
  "transport",
  "cross_border",
  "chain",
  "field",
  "direction",
  "frames",
  "uid",
  "url",
  "reasons",
  "filter",
] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** The CSV text (header line first, CRLF line ends as RFC 4180 says). */
export function renderCsv(report: AnalysisReport): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const f of report.findings) lines.push(CSV_COLUMNS.map((c) => csvCell(cellOf(f, c))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

function cellOf(f: FindingRecord, c: Column): string {
  const d = f.dest;
  switch (c) {
    case "ts":
      return new Date(f.ts * 1000).toISOString();
    case "chain":
      return f.chain.join(" › ");
    case "frames":
      return f.frames[0] === f.frames[1] ? String(f.frames[0]) : `${f.frames[0]}-${f.frames[1]}`;
    case "reasons":
      return (f.reasons ?? []).join("; ");
    case "host":
      return d?.host ?? f.host ?? f.resp_h;
    case "kind":
    case "label":
    case "value_masked":
    case "generic":
    case "severity":
    case "transport":
    case "field":
    case "direction":
    case "uid":
    case "url":
    case "filter":
      return String(f[c] ?? "");
    default:
      return String(d?.[c] ?? "");
  }
}

/** One RFC 4180 cell, defused against spreadsheet formulas. */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
