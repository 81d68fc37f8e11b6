// Counts the machine instructions `analyze` executes, with valgrind's callgrind. Wall time on this machine
// drifts by tens of percent within minutes, so a change worth 2% cannot be seen in `npm run bench`; an
// instruction count repeats to within a few tenths of a percent on a quiet machine when V8 runs
// single-threaded with fixed seeds (no concurrent compiler or GC threads racing the main one), ~2% with
// other work beside it (the collector's heuristics read the clock): compare bundles in one run. Instructions are not seconds (cache
// misses cost more than they count), so this is for comparing two builds, not for the MB/s.
//
// Usage: npx tsx bench/instructions.ts [--size 100M] [--base 20M] [BUNDLE ...]
// Each bundle (default dist/phonehome.mjs, rebuilt first when a source is newer) runs `analyze` with the
// capture's profile on the `--base` capture and on the `--size` one; the difference, divided by the
// difference in size, is the per-megabyte cost of the steady state: start-up and V8 compiling the hot code
// happen in both runs (a 1M base would leave the compiler's work in the difference). A bundle to compare must sit in dist/
// beside the default one (it finds its data files relative to itself).

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type CaptureSet, ensureCapture } from "./gen-capture.ts";
import { alignRows, analyzeArgs } from "./run.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "bin", "phonehome.js");

/** V8 flags that make a run repeat its instruction count: one thread, fixed hash and random seeds. */
export const REPEATABLE_FLAGS = ["--single-threaded", "--hash-seed=1", "--random-seed=1"];

/** The flags a large input's lean run has (bin/launch.js), so the heap behaves as in a real run. */
const LEAN_FLAGS = ["--max-semi-space-size=4", "--expose-gc"];

/** The instruction total in callgrind's summary (`==pid== I   refs:      4,429,926,870`), or undefined. */
export function parseRefs(stderr: string): number | undefined {
  const m = /I\s+refs:\s+([\d,]+)/.exec(stderr);
  return m ? Number(m[1].replaceAll(",", "")) : undefined;
}

/** Runs `argv` under callgrind and resolves to the instructions it executed (every thread counted). */
export function countInstructions(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-callgrind-"));
  const args = ["--tool=callgrind", `--callgrind-out-file=${join(dir, "out")}`, ...argv];
  return new Promise<number>((done, fail) => {
    const child = spawn("valgrind", args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (s: string) => {
      stderr = (stderr + s).slice(-64 * 1024);
    });
    child.on("error", fail);
    child.on("close", (code) => {
      rmSync(dir, { recursive: true, force: true });
      const refs = parseRefs(stderr);
      if (code === 0 && refs !== undefined) done(refs);
      else fail(new Error(`valgrind ${argv.join(" ")} exited ${code}: ${stderr.trim().split("\n").pop()}`));
    });
  });
}

/** The command counted for one bundle and capture (the sized capture's profile for both captures). */
export function analyzeArgv(bundle: string, c: CaptureSet, profile: string): string[] {
  return [process.execPath, ...REPEATABLE_FLAGS, ...LEAN_FLAGS, bundle, ...analyzeArgs(c, profile)];
}

/** One bundle's counts. */
export interface Count {
  /** The bundle, as given. */
  bundle: string;
  /** Instructions on the base capture: start-up, compiling the hot code, and the first megabytes. */
  base: number;
  /** Instructions on the sized capture. */
  sized: number;
}

/** A capture's size label and bytes. */
export interface Sized {
  label: string;
  bytes: number;
}

/** Millions of instructions per megabyte (10^6 bytes) of capture beyond the base one. */
export function perMB(c: Count, sizedBytes: number, baseBytes: number): number {
  return (c.sized - c.base) / ((sizedBytes - baseBytes) / 1e6) / 1e6;
}

/** The result table: one row per bundle, and each row's difference from the first. */
export function table(counts: Count[], sized: Sized, base: Sized): string {
  const [sizedBytes, baseBytes] = [sized.bytes, base.bytes];
  const first = perMB(counts[0], sizedBytes, baseBytes);
  const rows = counts.map((c) => {
    const p = perMB(c, sizedBytes, baseBytes);
    const vs = c === counts[0] ? "" : `${p >= first ? "+" : ""}${(((p - first) / first) * 100).toFixed(1)}%`;
    return [c.bundle, (c.base / 1e9).toFixed(3), (c.sized / 1e9).toFixed(3), p.toFixed(2), vs];
  });
  const head = ["bundle", `${base.label} G`, `${sized.label} G`, "M instr/MB", "vs first"];
  return alignRows([head, ...rows], (i) => i > 0).join("\n");
}

async function main(argv: string[]): Promise<void> {
  const opt = (name: string, def: string): string => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv.splice(i, 2)[1] : def;
  };
  const sizeLabel = opt("--size", "100M");
  const baseLabel = opt("--base", "20M");
  if (spawnSync("valgrind", ["--version"]).status !== 0) {
    process.stderr.write('instructions: valgrind is missing (Debian package "valgrind")\n');
    process.exit(1);
  }
  const sized = await ensureCapture(sizeLabel, { log: true });
  const base = await ensureCapture(baseLabel, { log: true });
  // The CLI rebuilds dist/phonehome.mjs when a source file is newer.
  spawnSync(process.execPath, [CLI, "--version"], { stdio: "ignore" });
  const bundles = argv.length > 0 ? argv : [join(ROOT, "dist", "phonehome.mjs")];
  const counts: Count[] = [];
  for (const b of bundles) {
    const bundle = resolve(b);
    if (!existsSync(bundle)) throw new Error(`no bundle ${b}`);
    // The two runs share nothing: one per core.
    const [nBase, nSized] = await Promise.all(
      [base, sized].map((c) => countInstructions(analyzeArgv(bundle, c, sized.profileFile))),
    );
    counts.push({ bundle: relative(ROOT, bundle), base: nBase, sized: nSized });
    process.stderr.write(`counted ${relative(ROOT, bundle)}\n`);
  }
  process.stdout.write(
    `analyze, ${sizeLabel} against ${baseLabel} (instructions, every thread):\n` +
      `${table(counts, { label: sizeLabel, bytes: sized.bytes }, { label: baseLabel, bytes: base.bytes })}\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
