// `phonehome diff <before> <after> [analyze options]`: two captures (or two saved `analyze --format json`
// runs) compared identifier × destination × transport, with the alert before and after and a verdict.

import { closeSync, openSync, readSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type DiffReport, diffReports } from "../app/diff.ts";
import { type LoadedRules, loadRules } from "../app/run-services.ts";
import { severityRank } from "../model/judgement.ts";
import { csvCell } from "../report/csv-report.ts";
import { renderDiffText } from "../report/diff-text.ts";
import { renderDiffHtml } from "../report/html/diff-html.ts";
import { type AnalysisReport, REPORT_SCHEMA } from "../report/report-types.ts";
import { type AnalyzeCommandOptions, checkLevel, runAnalysis } from "./analyze-command.ts";
import { useColor } from "./color.ts";
import { EXIT_ALERT } from "./exit-codes.ts";
import { LineWriter } from "./line-writer.ts";
import { UsageError } from "./usage-error.ts";

/** Output formats of diff. */
export const DIFF_FORMATS = ["text", "json", "jsonl", "csv", "html"] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Largest saved run read (a JSON report of a long capture stays well below this). */
const MAX_SAVED_BYTES = 512 * 1024 * 1024;

/** Runs diff; returns the exit code (EXIT_ALERT when --fail-on is reached by the after run). */
export async function diffCommand(before: string, after: string, o: AnalyzeCommandOptions): Promise<number> {
  const format = (o.format ?? "text") as DiffFormat;
  if (!DIFF_FORMATS.includes(format)) {
    throw new UsageError(`unknown format '${o.format}' for diff (known: ${DIFF_FORMATS.join(", ")})`);
  }
  const failOn = checkLevel(o.failOn);
  const rules = loadRules(o);
  const d = diffReports(await side(before, o, rules), await side(after, o, rules));
  const w = new LineWriter(o.out ?? 1);
  try {
    for (const line of formatDiff(d, format, useColor(o.out !== undefined))) w.line(line);
  } finally {
    w.close();
  }
  return failOn && severityRank(d.after.alert.level) >= severityRank(failOn) ? EXIT_ALERT : 0;
}

/** The diff's lines in a format. */
export function formatDiff(d: DiffReport, format: DiffFormat, color: boolean): string[] {
  switch (format) {
    case "json":
      return [JSON.stringify(d, null, 2)];
    case "html":
      return [renderDiffHtml(d)];
    case "jsonl":
      return d.rows.map((r) => JSON.stringify({ type: "diff_row", ...r }));
    case "csv": {
      const head =
        "status,kind,label,host,company,change,before_transports,after_transports,before_count,after_count";
      const rows = d.rows.map((r) =>
        [
          r.status,
          r.kind,
          r.label,
          r.host,
          r.company ?? "",
          r.change ?? "",
          r.before?.transports.join("/") ?? "",
          r.after?.transports.join("/") ?? "",
          String(r.before?.count ?? 0),
          String(r.after?.count ?? 0),
        ]
          .map(csvCell)
          .join(","),
      );
      return [head, ...rows];
    }
    default:
      return [renderDiffText(d, { color })];
  }
}

/** One side: a saved JSON run as is, or a capture analysed now. */
async function side(file: string, o: AnalyzeCommandOptions, rules: LoadedRules): Promise<AnalysisReport> {
  if (file !== "-" && startsWithBrace(file)) return readSavedRun(file);
  return runAnalysis([file], o, {}, rules);
}

function startsWithBrace(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return false; // the capture reader gives the clear message
  }
  try {
    const b = Buffer.alloc(64);
    const n = readSync(fd, b, 0, 64, 0);
    return b.subarray(0, n).toString("utf8").trimStart().startsWith("{");
  } finally {
    closeSync(fd);
  }
}

/** A saved `analyze --format json` document; anything else is a one-line error. */
export async function readSavedRun(file: string): Promise<AnalysisReport> {
  const text = await readFile(file, "utf8");
  if (text.length > MAX_SAVED_BYTES)
    throw new UsageError(`${file}: saved run larger than ${MAX_SAVED_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not a capture and not valid JSON (${(e as Error).message})`);
  }
  const r = doc as Partial<AnalysisReport>;
  if (r?.schema !== REPORT_SCHEMA || !Array.isArray(r.findings) || !Array.isArray(r.endpoints) || !r.alert) {
    throw new UsageError(`${file}: JSON but not a saved phonehome run (schema ${REPORT_SCHEMA} expected)`);
  }
  return r as AnalysisReport;
}
