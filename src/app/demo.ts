// `phonehome demo`: copies the bundled example (a profile and captures of the 2014 Redmi 1S test before and
// after its update, and an idle Redmi Note) into a folder, analyses the two tests and diffs them. The
// analysis itself comes in through `DemoAnalyze`, so the face that calls this chooses lookups and judgement.

import { constants, copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createColors } from "picocolors";
import { loadProfile } from "../detect/profile/profile-load.ts";
import type { Profile } from "../detect/profile/profile-types.ts";
import { renderDiffText } from "../report/diff-text.ts";
import type { AnalysisReport } from "../report/report-types.ts";
import { renderText } from "../report/text-report.ts";
import { type DiffReport, diffReports } from "./diff.ts";

/** The example files the demo writes, by role (names as checked in under examples/). */
export const DEMO_FILES = {
  profile: "redmi-1s-2014.profile.yaml",
  before: "redmi-1s-2014-before.pcap",
  after: "redmi-1s-2014-after.pcapng",
  idle: "redmi-note-idle.pcap",
} as const;
export type DemoRole = keyof typeof DEMO_FILES;

/** Roles in the order they are written and listed. */
export const DEMO_ROLES = ["profile", "before", "after", "idle"] as const satisfies readonly DemoRole[];

/** Folder the demo writes into when none is given (relative to the current directory). */
export const DEFAULT_DEMO_DIR = "phonehome-demo";

/** Levels searched above this module for examples/: src/app/ in a checkout, dist/ in the bundle. */
const MAX_LEVELS_UP = 4;

/** The demo cannot run (examples missing, files in the way); the message says what to do. */
export class DemoError extends Error {
  override name = "DemoError";
}

/** Where each demo file was written. */
export type DemoPaths = Record<DemoRole, string>;

/** Runs an analysis of captures with a profile (the CLI passes the real pipeline). */
export type DemoAnalyze = (files: string[], profile: Profile) => Promise<AnalysisReport>;

/** Options of a demo run. */
export interface DemoOptions {
  /** Folder to write into (created when missing). */
  dir: string;
  /** Overwrite demo files already there. */
  force?: boolean;
  /** ANSI colours in the output. */
  color: boolean;
  /** Where the bundled examples are (default: found next to the program). */
  examplesDir?: string;
  /** The analysis. */
  analyze: DemoAnalyze;
  /** Receives the output, one section at a time. */
  write: (text: string) => void;
}

/** What the demo produced. */
export interface DemoResult {
  /** The files written. */
  paths: DemoPaths;
  /** The first test's report. */
  before: AnalysisReport;
  /** The re-test's report. */
  after: AnalysisReport;
  /** Before against after. */
  diff: DiffReport;
}

/** The bundled examples folder above `from`, when there is one. */
export function findExamplesDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from);
  for (let i = 0; i <= MAX_LEVELS_UP; i++) {
    const candidate = join(dir, "examples");
    if (hasExamples(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

function hasExamples(dir: string): boolean {
  return DEMO_ROLES.every((r) => existsSync(join(dir, DEMO_FILES[r])));
}

/**
 * Copies the example files into `dir`. Without `force`, refuses (before writing anything) when any of them
 * is already there, so an analyst's own files of the same name are never replaced.
 */
export function writeDemoFiles(dir: string, o: { force?: boolean; examplesDir?: string } = {}): DemoPaths {
  const src = o.examplesDir ?? findExamplesDir();
  if (!src || !hasExamples(src)) {
    throw new DemoError("the bundled examples (examples/ beside the program) are missing");
  }
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new DemoError(`${dir} exists and is not a folder`);
  const paths = Object.fromEntries(DEMO_ROLES.map((r) => [r, join(dir, DEMO_FILES[r])])) as DemoPaths;
  const existing = DEMO_ROLES.map((r) => paths[r]).filter((p) => existsSync(p));
  if (existing.length > 0 && !o.force) {
    throw new DemoError(
      `${existing.join(", ")} already exist${existing.length === 1 ? "s" : ""}; use --force`,
    );
  }
  mkdirSync(dir, { recursive: true });
  for (const r of DEMO_ROLES) {
    copyFileSync(join(src, DEMO_FILES[r]), paths[r], o.force ? 0 : constants.COPYFILE_EXCL);
  }
  return paths;
}

/** Writes the files, analyses the first test and the re-test, and diffs them, writing each part as it comes. */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const c = createColors(o.color);
  const paths = writeDemoFiles(o.dir, o);
  o.write(`${c.bold("phonehome demo: the 2014 Redmi 1S test, reconstructed")}\n${filesList(paths)}\n`);
  const profile = loadProfile(paths.profile);
  const heading = (n: number, title: string, file: string) => `${c.bold(`${n}. ${title}`)}  ${c.dim(file)}\n`;
  const before = await o.analyze([paths.before], profile);
  o.write(`\n${heading(1, "The first test: a new phone, clear HTTP", paths.before)}\n`);
  o.write(`${renderText(before, { color: o.color })}\n`);
  const after = await o.analyze([paths.after], profile);
  o.write(`\n${heading(2, "The re-test after the system update: TLS", paths.after)}\n`);
  o.write(`${renderText(after, { color: o.color })}\n`);
  const diff = diffReports(before, after);
  o.write(`\n${heading(3, "What the update changed", `${paths.before} → ${paths.after}`)}\n`);
  o.write(`${renderDiffText(diff, { color: o.color })}\n`);
  o.write(`\n${nextSteps(paths, c)}\n`);
  return { paths, before, after, diff };
}

function filesList(p: DemoPaths): string {
  const what: Record<DemoRole, string> = {
    profile: "what the phone knows about itself (fake IMEI, SIM, contact, SMS)",
    before: "first test: clear HTTP to Xiaomi",
    after: "re-test after the update: real TLS, key log embedded",
    idle: "an idle Redmi Note talking to CNNIC",
  };
  return DEMO_ROLES.map((r) => `  ${p[r]}  ${what[r]}`).join("\n");
}

function nextSteps(p: DemoPaths, c: ReturnType<typeof createColors>): string {
  return [
    c.bold("Try next"),
    `  phonehome analyze ${p.idle}`,
    `  phonehome analyze ${p.before} --profile ${p.profile} --format html --out report.html`,
    `  wireshark ${p.after}    (decrypts by itself: the TLS keys are inside the file)`,
  ].join("\n");
}
