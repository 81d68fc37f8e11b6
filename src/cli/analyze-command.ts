// `phonehome analyze <capture>... [--profile F] [--reveal] [--format text|json|jsonl] [--out F]`: which
// identifiers left the device, how they were encoded, where they went. (Issue 6 grows the report.)

import { type AnalyzeResult, analyzeCapture } from "../app/analyze.ts";
import type { PipelineRecord } from "../app/record-sink.ts";
import { loadProfile, problemText } from "../detect/profile/profile-load.ts";
import type { Profile } from "../detect/profile/profile-types.ts";
import type { FindingRecord } from "../model/finding.ts";
import { LineWriter } from "./line-writer.ts";
import { recordLine } from "./logs-command.ts";
import { oneLine } from "./one-line.ts";
import { UsageError } from "./usage-error.ts";

/** Output formats of analyze. */
export const ANALYZE_FORMATS = ["text", "json", "jsonl"] as const;
export type AnalyzeFormat = (typeof ANALYZE_FORMATS)[number];

/** Options of the analyze command. */
export interface AnalyzeCommandOptions {
  profile?: string;
  reveal?: boolean;
  generic?: boolean;
  format?: string;
  out?: string;
}

/** Runs analyze over every input and writes the chosen format. */
export async function analyzeCommand(files: string[], o: AnalyzeCommandOptions): Promise<void> {
  const format = (o.format ?? "text") as AnalyzeFormat;
  if (!ANALYZE_FORMATS.includes(format)) {
    throw new UsageError(`unknown format '${o.format}' (known: ${ANALYZE_FORMATS.join(", ")})`);
  }
  const profile = o.profile ? loadProfile(o.profile) : undefined;
  for (const w of profile?.warnings ?? [])
    process.stderr.write(`phonehome: warning: ${problemText(o.profile!, w)}\n`);
  const line = recordLine(profile, o.reveal);
  const w = new LineWriter(o.out ?? 1);
  try {
    const results: { file: string; result: AnalyzeResult }[] = [];
    for (const file of files) {
      const onRecord = format === "jsonl" ? (r: PipelineRecord) => w.line(line(r)) : undefined;
      const result = await analyzeCapture(file, { profile, reveal: o.reveal, generic: o.generic, onRecord });
      results.push({ file, result });
    }
    if (format === "json") w.line(JSON.stringify(jsonDocument(results, profile), null, 2));
    if (format === "text") for (const r of results) w.line(textSummary(r.file, r.result));
  } finally {
    w.close();
  }
}

function jsonDocument(results: { file: string; result: AnalyzeResult }[], profile: Profile | undefined) {
  return {
    schema: 1,
    profile: profile ? { device: profile.device ?? null } : null,
    inputs: results.map(({ file, result: r }) => ({
      file,
      format: r.stats.format,
      packets: r.stats.packets,
      bytes: r.stats.bytes,
      needles: r.needles,
      findings: r.findingCount,
    })),
    findings: results.flatMap((r) => r.result.findings),
  };
}

/** Findings grouped by destination host, then by identifier kind. */
function textSummary(file: string, r: AnalyzeResult): string {
  const lines = [`${file}: ${r.stats.packets} packets, ${r.findingCount} findings (${r.needles} needles)`];
  const byHost = new Map<string, FindingRecord[]>();
  for (const f of r.findings) {
    const k = `${f.host ?? f.resp_h}`;
    byHost.set(k, [...(byHost.get(k) ?? []), f]);
  }
  for (const [host, fs] of byHost) {
    lines.push(`  ${oneLine(host)}`);
    for (const f of fs) {
      const gen = f.generic ? " [generic]" : "";
      lines.push(
        `    ${f.label}${gen} ${oneLine(f.value_masked)}  via ${oneLine(f.chain.join(" › "))}  (frame ${f.frames[0]})`,
      );
    }
  }
  return lines.join("\n");
}
