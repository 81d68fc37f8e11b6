// Benchmark harness: makes sure the synthetic capture exists, runs each stage as a child process under
// /usr/bin/time, and prints throughput, peak memory and CPU beside tshark's on the same file.
// Usage: npm run bench [-- --size 1G] [--runs N]   (see bench/README.md)

import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadProfile } from "../src/detect/profile/profile-load.ts";
import { needlesFromProfile } from "../src/detect/variants/needles.ts";
import type { FindingRecord } from "../src/model/finding.ts";
import { type CaptureSet, ensureCapture } from "./gen-capture.ts";
import { tlsStages } from "./tls-stage.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "bin", "phonehome.js");
const NODE = process.execPath;
const TIME = "/usr/bin/time";

/** One measured command. */
export interface Stage {
  /** Label in the table. */
  name: string;
  /** The command line for a capture. */
  argv: (c: CaptureSet) => string[];
  /** The stage every other one is compared with (tshark). */
  reference?: boolean;
  /** A goal to report as met or missed. */
  target?: { mbps?: number; rssMB?: number };
  /** Extra result text from the stage's stdout (saved to a file only when this is given), e.g. recall. */
  check?: (stdoutFile: string, c: CaptureSet) => string;
}

/**
 * The arguments of `analyze` with a profile (the capture's own by default), writing every record and finding
 * unmasked (for the recall check).
 */
export function analyzeArgs(c: CaptureSet, profile = c.profileFile): string[] {
  return ["analyze", c.file, "--profile", profile, "--format", "jsonl", "--reveal"];
}

function analyzeArgv(c: CaptureSet): string[] {
  return [NODE, CLI, ...analyzeArgs(c)];
}

/** The stages, in order. Later issues add theirs here, one line each. */
export const STAGES: Stage[] = [
  { name: "phonehome info", argv: (c) => [NODE, CLI, "info", c.file] },
  {
    name: "phonehome logs --log conn",
    argv: (c) => [NODE, CLI, "logs", c.file, "--log", "conn"],
    target: { mbps: 1000, rssMB: 128 },
  },
  {
    name: "phonehome logs (all decoders)",
    argv: (c) => [NODE, CLI, "logs", c.file],
    target: { mbps: 600, rssMB: 128 },
  },
  {
    name: "phonehome analyze --profile",
    argv: (c) => analyzeArgv(c),
    target: { mbps: 300, rssMB: 128 },
    check: analyzeRecall,
  },
  {
    name: "phonehome analyze --threads 2",
    argv: (c) => [...analyzeArgv(c), "--threads", "2"],
    target: { mbps: 300 },
    check: analyzeRecall,
  },
  {
    name: "tshark -q -z conv,tcp",
    argv: (c) => ["tshark", "-r", c.file, "-q", "-z", "conv,tcp"],
    reference: true,
  },
  ...tlsStages({ node: NODE, cli: CLI, recall: analyzeRecall }),
];

/** One planted value of the truth file (bench/gen-plants.ts TruthWriter). */
interface TruthPlant {
  kind: string;
  value: string;
  conn: { orig_h: string; orig_p: number; resp_h: string; resp_p: number };
}

/**
 * Recall of `analyze --reveal` against the truth file: a plant is found when a profile (non-generic) finding
 * in the same connection (4-tuple) has its kind and value. Also names the profile's needle count.
 */
export function analyzeRecall(stdoutFile: string, c: CaptureSet): string {
  const key = (k: string, v: string, x: TruthPlant["conn"]) =>
    `${k}|${v}|${x.orig_h}|${x.orig_p}|${x.resp_h}|${x.resp_p}`;
  const found = new Set<string>();
  let findings = 0;
  for (const line of readFileSync(stdoutFile, "utf8").split("\n")) {
    if (!line.startsWith('{"type":"finding"')) continue;
    const f = JSON.parse(line) as FindingRecord;
    findings++;
    if (!f.generic) found.add(key(f.kind, f.value_masked, f));
  }
  const truth = JSON.parse(readFileSync(c.truthFile, "utf8")) as { plants: TruthPlant[] };
  const hit = truth.plants.filter((p) => found.has(key(p.kind, p.value, p.conn))).length;
  const needles = needlesFromProfile(loadProfile(c.profileFile)).length;
  const pct = truth.plants.length ? (100 * hit) / truth.plants.length : 100;
  return `recall ${pct.toFixed(1)}% (${hit}/${truth.plants.length}), ${findings} findings, ${needles} needles`;
}

/** What one run of a stage measured. */
export interface Measure {
  ok: boolean;
  /** Wall, user and system seconds; peak resident set in KiB. */
  wall: number;
  user: number;
  sys: number;
  rssKB: number;
  /** First line of stderr when the stage failed. */
  error?: string;
  /** The stage's `check` text. */
  note?: string;
}

/** Runs a stage once under /usr/bin/time; never throws for a failing command. */
export function measure(stage: Stage, c: CaptureSet, work: string): Measure {
  const timeFile = join(work, "time.txt");
  const errFile = join(work, "stderr.txt");
  const outFile = join(work, "stdout.txt");
  const err = openSync(errFile, "w");
  const out = stage.check ? openSync(outFile, "w") : "ignore";
  const argv = stage.argv(c);
  const r = spawnSync(TIME, ["-f", "%e %U %S %M", "-o", timeFile, ...argv], { stdio: ["ignore", out, err] });
  closeSync(err);
  if (typeof out === "number") closeSync(out);
  const timeLines = existsSync(timeFile) ? readFileSync(timeFile, "utf8").trim().split("\n") : [];
  // GNU time writes "Command exited with non-zero status N" before the format line when the command fails.
  const [wall, user, sys, rssKB] = (timeLines[timeLines.length - 1] ?? "").split(" ").map(Number);
  const ok = r.status === 0 && Number.isFinite(wall);
  const m: Measure = { ok, wall, user, sys, rssKB };
  if (!ok) m.error = firstLine(errFile) || r.error?.message || timeLines[0] || `exit status ${r.status}`;
  else if (stage.check) m.note = stage.check(outFile, c);
  return m;
}

/** The first meaningful line of a file (tshark's "Running as root" warning skipped), read boundedly. */
function firstLine(file: string): string {
  const fd = openSync(file, "r");
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const lines = buf.subarray(0, n).toString("utf8").split("\n");
  return (lines.find((l) => l.trim() && !/^Running as user/.test(l)) ?? "").trim();
}

/** Best (shortest wall time) of `runs` runs. */
function best(stage: Stage, c: CaptureSet, work: string, runs: number): Measure {
  let top: Measure | undefined;
  for (let i = 0; i < runs; i++) {
    const m = measure(stage, c, work);
    if (!m.ok) return m;
    if (!top || m.wall < top.wall) top = m;
  }
  return top!;
}

/** Formats the results as an aligned table. */
export function table(c: CaptureSet, rows: [Stage, Measure][]): string {
  const mb = c.bytes / 1e6;
  const ref = rows.find(([s, m]) => s.reference && m.ok)?.[1];
  const refRate = ref ? mb / ref.wall : undefined;
  const head = ["stage", "MB/s", "peak RSS MB", "CPU s", "vs tshark", "target", "note"];
  const body = rows.map(([s, m]) => {
    if (!m.ok) return [s.name, "failed", "", "", "", "", m.error ?? ""];
    const rate = mb / m.wall;
    const rss = m.rssKB / 1024;
    const t = s.target;
    const met = t && (t.mbps === undefined || rate >= t.mbps) && (t.rssMB === undefined || rss <= t.rssMB);
    const wants = [
      t?.mbps === undefined ? "" : `≥${t.mbps} MB/s`,
      t?.rssMB === undefined ? "" : `≤${t.rssMB} MB`,
    ];
    const goal = t ? `${met ? "met" : "missed"} (${wants.filter(Boolean).join(", ")})` : "";
    const vs = refRate && !s.reference ? `${(rate / refRate).toFixed(2)}×` : "";
    return [s.name, rate.toFixed(0), rss.toFixed(0), (m.user + m.sys).toFixed(2), vs, goal, m.note ?? ""];
  });
  return alignRows([head, ...body], (i) => i > 0 && i < 5).join("\n");
}

/** Rows of cells as lines of aligned columns, two spaces apart; `right(i)` right-aligns column i (numbers). */
export function alignRows(rows: string[][], right: (col: number) => boolean): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((v, i) => (right(i) ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd(),
  );
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (!existsSync(TIME)) {
    process.stderr.write(`bench: ${TIME} is missing (Debian package "time")\n`);
    process.exit(1);
  }
  const size = arg("--size") ?? "1G";
  const runs = Math.max(1, Number(arg("--runs") ?? 1));
  const c = await ensureCapture(size, { log: true });
  const truth = JSON.parse(readFileSync(c.truthFile, "utf8")) as { frames: number; plants_count: number };
  process.stdout.write(
    `capture: ${c.file}${c.cached ? " (cached)" : ""}\n` +
      `         ${(c.bytes / 1e6).toFixed(0)} MB, ${truth.frames} frames, ${truth.plants_count} planted values\n` +
      `machine: ${process.platform} ${process.arch}, node ${process.version}, best of ${runs} run(s)\n\n`,
  );
  // The CLI rebuilds its bundle when a source file is newer: done here, not inside the first stage's time.
  spawnSync(NODE, [CLI, "--version"], { stdio: "ignore" });
  const work = mkdtempSync(join(tmpdir(), "phonehome-bench-"));
  try {
    const rows: [Stage, Measure][] = STAGES.map((s) => [s, best(s, c, work, runs)]);
    process.stdout.write(`${table(c, rows)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
