// `phonehome analyze <capture>... [--profile F] [--home CC] [--policy F] [--keylog F] [--format
// text|json|jsonl|csv|html] [--out F] [--evidence F.pcapng] [--reveal] [--fail-on LEVEL]`: which identifiers
// left the device, how encoded, to whom, how bad — in the terminal, as data, or as an HTML report.

import { type AnalyzeRunOptions, analyzeFiles, type OutputRecord } from "../app/analyze-run.ts";
import { keyLogText, writeEvidence } from "../app/evidence.ts";
import { type LoadedRules, loadRules, runServices, type ServiceFiles } from "../app/run-services.ts";
import { loadKeyLogFile } from "../decrypt/key-log-file.ts";
import { loadProfile, problemText } from "../detect/profile/profile-load.ts";
import type { Profile } from "../detect/profile/profile-types.ts";
import { SEVERITIES, type Severity, severityRank } from "../model/judgement.ts";
import { renderCsv } from "../report/csv-report.ts";
import { renderHtmlReport } from "../report/html/html-report.ts";
import type { AnalysisReport } from "../report/report-types.ts";
import { renderText } from "../report/text-report.ts";
import { useColor } from "./color.ts";
import { EXIT_ALERT } from "./exit-codes.ts";
import { LineWriter } from "./line-writer.ts";
import { recordLine } from "./logs-command.ts";
import { Progress } from "./progress.ts";
import { checkThreads } from "./threads-option.ts";
import { UsageError } from "./usage-error.ts";

/** Output formats of analyze. */
export const ANALYZE_FORMATS = ["text", "json", "jsonl", "csv", "html"] as const;
export type AnalyzeFormat = (typeof ANALYZE_FORMATS)[number];

/** Options of the analyze command (and of diff, which runs it twice). */
export interface AnalyzeCommandOptions extends ServiceFiles {
  profile?: string;
  home?: string;
  keylog?: string;
  reveal?: boolean;
  generic?: boolean;
  format?: string;
  out?: string;
  evidence?: string;
  failOn?: string;
  progress?: boolean;
  /** `--threads`: 1, 2 or auto. */
  threads?: string;
}

/** Runs analyze and writes the chosen format; returns the exit code (EXIT_ALERT when --fail-on is reached). */
export async function analyzeCommand(files: string[], o: AnalyzeCommandOptions): Promise<number> {
  const format = checkFormat(o.format);
  const failOn = checkLevel(o.failOn);
  const w = new LineWriter(o.out ?? 1);
  let report: AnalysisReport;
  const clientRandoms = new Map<string, string>();
  try {
    const line = format === "jsonl" ? recordLine(readProfile(o.profile), o.reveal) : undefined;
    const onRecord = (r: OutputRecord) => {
      if (line) w.line(line(r));
      if (o.evidence && r.type === "tls" && r.client_random) clientRandoms.set(r.uid, r.client_random);
    };
    report = await runAnalysis(files, o, {
      onRecord,
      hashInputs: format === "json" || format === "html",
      // The record stream already carries every finding; the evidence writer needs the document's.
      keepFindings: format === "jsonl" && !o.evidence ? 0 : undefined,
    });
    if (format !== "jsonl") w.line(formatReport(report, format, useColor(o.out !== undefined)));
  } finally {
    w.close();
  }
  for (const i of report.inputs) {
    for (const p of i.problems ?? [])
      process.stderr.write(`phonehome: warning: ${i.file}: offset ${p.offset}: ${p.detail}\n`);
  }
  if (o.evidence) {
    const res = await writeEvidence(files, report, o.evidence, {
      clientRandoms,
      keyLogText: keyLogText(o.keylog),
    });
    process.stderr.write(
      `phonehome: evidence: ${res.packets} packets of ${res.connections} connections, ${res.keyLines} key lines → ${o.evidence}\n`,
    );
  }
  return failOn && severityRank(report.alert.level) >= severityRank(failOn) ? EXIT_ALERT : 0;
}

/**
 * The run behind analyze and diff: profile, rules, keys and progress from the command's options (`rules`
 * loaded once when several runs share them, as diff's two sides do).
 */
export async function runAnalysis(
  files: string[],
  o: AnalyzeCommandOptions,
  extra: Pick<AnalyzeRunOptions, "onRecord" | "hashInputs" | "keepFindings"> = {},
  rules: LoadedRules = loadRules(o),
): Promise<AnalysisReport> {
  const profile = readProfile(o.profile);
  const threads = checkThreads(o.threads);
  const services = runServices(rules);
  const home = checkHome(o.home) ?? services.policyHome;
  const keys = o.keylog
    ? loadKeyLogFile(o.keylog, (m) => process.stderr.write(`phonehome: warning: ${m}\n`))
    : undefined;
  const progress = o.progress === false ? undefined : new Progress();
  try {
    return await analyzeFiles(files, {
      ...services,
      ...extra,
      profile,
      home,
      keys,
      reveal: o.reveal,
      generic: o.generic,
      threads,
      onProgress: progress ? (f, n) => progress.update(f, n) : undefined,
    });
  } finally {
    progress?.done();
  }
}

/** The report in a non-streaming format. */
export function formatReport(report: AnalysisReport, format: AnalyzeFormat, color: boolean): string {
  switch (format) {
    case "json":
      return JSON.stringify(report, null, 2);
    case "csv":
      return renderCsv(report).replace(/\r\n$/, "");
    case "html":
      return renderHtmlReport(report);
    default:
      return renderText(report, { color });
  }
}

const profiles = new Map<string, Profile>();

/** Loads a profile once per process, printing its warnings once. */
function readProfile(file: string | undefined): Profile | undefined {
  if (!file) return undefined;
  let p = profiles.get(file);
  if (!p) {
    p = loadProfile(file);
    for (const w of p.warnings) process.stderr.write(`phonehome: warning: ${problemText(file, w)}\n`);
    profiles.set(file, p);
  }
  return p;
}

function checkFormat(f: string | undefined): AnalyzeFormat {
  const format = (f ?? "text") as AnalyzeFormat;
  if (!ANALYZE_FORMATS.includes(format)) {
    throw new UsageError(`unknown format '${f}' (known: ${ANALYZE_FORMATS.join(", ")})`);
  }
  return format;
}

/** A --fail-on level. */
export function checkLevel(level: string | undefined): Severity | undefined {
  if (level === undefined) return undefined;
  const l = level.toLowerCase() as Severity;
  if (!SEVERITIES.includes(l))
    throw new UsageError(`unknown level '${level}' (known: ${SEVERITIES.join(", ")})`);
  return l;
}

function checkHome(cc: string | undefined): string | undefined {
  if (cc === undefined) return undefined;
  if (!/^[A-Za-z]{2}$/.test(cc)) throw new UsageError(`--home takes a two-letter country code, not '${cc}'`);
  return cc.toUpperCase();
}
