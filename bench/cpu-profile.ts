// Where a run's CPU time went: reads a V8 CPU profile (`node --cpu-prof`) and prints the functions with the
// most self time and the most inclusive time, and self time per source folder. Frames of the CLI bundle are
// named by their TypeScript source through the bundle's source map (dist/phonehome.mjs.map), so a profile of
// `bin/phonehome.js` reads as src/ functions. A script, not a test.
// Usage: node --cpu-prof --cpu-prof-dir=DIR bin/phonehome.js analyze F --profile P --format jsonl > /dev/null
//        npx tsx bench/cpu-profile.ts DIR/<largest>.cpuprofile [--top 30]
// (A large input runs in a second, lean process that inherits --cpu-prof: its profile is the larger file.)

import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

/** The parts of a .cpuprofile this script reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Milliseconds per function name, largest first. */
export type Ranking = [name: string, ms: number][];

/** What the profile says. */
export interface ProfileSummary {
  /** Sampled milliseconds in all. */
  totalMs: number;
  /** Self time per function. */
  self: Ranking;
  /** Time with callees per function (a recursive function counted once per sample). */
  inclusive: Ranking;
  /** Self time per source folder (`src/detect/matcher`), or per script for code outside the bundle. */
  folders: Ranking;
}

/** Summarises a profile; `maps` gives a script URL's source map, when it has one. */
export function summarize(p: CpuProfile, maps: (url: string) => SourceMap | undefined): ProfileSummary {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nameOf = new Map<number, [fn: string, folder: string]>();
  for (const n of p.nodes) nameOf.set(n.id, frameName(n.callFrame, maps));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const folders = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const leaf = p.samples[i];
    const [fn, folder] = nameOf.get(leaf) ?? ["(unknown)", "(unknown)"];
    add(self, fn, ms);
    add(folders, folder, ms);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const name = nameOf.get(id)?.[0] ?? "(unknown)";
      if (!seen.has(name)) add(inclusive, name, ms);
      seen.add(name);
    }
  }
  return { totalMs: total, self: ranked(self), inclusive: ranked(inclusive), folders: ranked(folders) };
}

/** `function file:line` (the TypeScript source when mapped) and the folder its time counts to. */
function frameName(
  cf: CpuProfile["nodes"][number]["callFrame"],
  maps: (url: string) => SourceMap | undefined,
): [string, string] {
  const fn = cf.functionName || "(anonymous)";
  if (!cf.url) return [fn, fn]; // (garbage collector), (idle), (program)
  const entry = maps(cf.url)?.findEntry(cf.lineNumber, cf.columnNumber);
  if (entry && "originalSource" in entry && entry.originalSource) {
    const src = entry.originalSource.replace(/^.*?\/(src|node_modules)\//, "$1/");
    return [`${fn} ${src}:${entry.originalLine + 1}`, src.slice(0, src.lastIndexOf("/"))];
  }
  const script = cf.url.replace(/^.*\//, "");
  return [`${fn} ${script}:${cf.lineNumber + 1}`, cf.url.startsWith("node:") ? "node:*" : script];
}

function add(m: Map<string, number>, k: string, v: number): void {
  m.set(k, (m.get(k) ?? 0) + v);
}

function ranked(m: Map<string, number>): Ranking {
  return [...m].sort((a, b) => b[1] - a[1]);
}

/** The source map of a `file:` script URL from its `.map` file beside it, read once. */
export function mapLoader(): (url: string) => SourceMap | undefined {
  const cache = new Map<string, SourceMap | undefined>();
  return (url) => {
    if (!cache.has(url)) {
      let map: SourceMap | undefined;
      if (url.startsWith("file:")) {
        const file = `${fileURLToPath(url)}.map`;
        if (existsSync(file)) map = new SourceMap(JSON.parse(readFileSync(file, "utf8")));
      }
      cache.set(url, map);
    }
    return cache.get(url);
  };
}

/** The summary as text: the top `top` rows of each ranking. */
export function formatSummary(s: ProfileSummary, top: number): string {
  const rows = (title: string, r: Ranking) =>
    [`${title}`, ...r.slice(0, top).map(([k, ms]) => `${ms.toFixed(0).padStart(8)}  ${k}`)].join("\n");
  return [
    `sampled ${s.totalMs.toFixed(0)} ms`,
    rows("self ms, by function", s.self),
    rows("inclusive ms, by function", s.inclusive),
    rows("self ms, by source folder", s.folders),
  ].join("\n\n");
}

function main(argv: string[]): void {
  const file = argv.find((a) => !a.startsWith("--"));
  const i = argv.indexOf("--top");
  const top = i >= 0 ? Number(argv[i + 1]) : 30;
  if (!file || !Number.isInteger(top) || top <= 0) {
    process.stderr.write("usage: npx tsx bench/cpu-profile.ts FILE.cpuprofile [--top N]\n");
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  process.stdout.write(`${formatSummary(summarize(profile, mapLoader()), top)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
