// The CPU profile summary on real profiles: a process that spends its time in one planted function is
// summarised with that function on top, under its own name and line, and through a source map under the
// TypeScript source it was bundled from.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { buildSync } from "esbuild";
import { type CpuProfile, formatSummary, mapLoader, summarize } from "../../bench/cpu-profile.ts";

const work = mkdtempSync(join(tmpdir(), "phonehome-prof-"));
after(() => rmSync(work, { recursive: true, force: true }));

// A function that keeps the CPU busy for ~300 ms, planted on a known line (line 3 of the file).
const SOURCE = [
  "// planted",
  "let sink = 0;",
  "function spinPlanted(ms) { const end = Date.now() + ms; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1); sink += x; }",
  "spinPlanted(300);",
  "console.log(sink > 0);",
].join("\n");

/** Runs `script` under --cpu-prof and returns its profile. */
function profileOf(script: string, dir: string): CpuProfile {
  const r = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, script], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const [file] = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  return JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
}

test("a plain script: the planted function leads the self time, named by its line", () => {
  const script = join(work, "plain.mjs");
  writeFileSync(script, SOURCE);
  const s = summarize(profileOf(script, mkdtempSync(join(work, "p-"))), () => undefined);
  const top = s.self.find(([name]) => !name.startsWith("("));
  assert.ok(top, "some function was sampled");
  assert.equal(top[0], "spinPlanted plain.mjs:3");
  assert.ok(top[1] > 150, `spinPlanted got ${top[1]} ms of the ~300 ms it ran`);
  // Self times add up to the total; a function's inclusive time is at least its self time.
  const selfSum = s.self.reduce((n, [, ms]) => n + ms, 0);
  assert.ok(Math.abs(selfSum - s.totalMs) < 1e-6 * Math.max(1, s.totalMs));
  const incl = s.inclusive.find(([name]) => name === top[0]);
  assert.ok(incl && incl[1] >= top[1]);
  assert.match(formatSummary(s, 5), /self ms, by function\n\s+\d+ {2}spinPlanted plain\.mjs:3/);
});

test("a bundle with a linked source map: the function is named by its TypeScript source", () => {
  const src = join(work, "src", "planted", "spin.ts");
  const ts = SOURCE.replace("function spinPlanted(ms)", "function spinPlanted(ms: number)");
  mkdirSync(join(work, "src", "planted"), { recursive: true });
  writeFileSync(src, ts);
  const out = join(work, "dist", "bundle.mjs");
  buildSync({
    entryPoints: [src],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: out,
    sourcemap: "linked",
    minifyWhitespace: true,
    logLevel: "error",
  });
  const s = summarize(profileOf(out, mkdtempSync(join(work, "b-"))), mapLoader());
  const top = s.self.find(([name]) => !name.startsWith("("));
  assert.ok(top);
  assert.equal(top[0], "spinPlanted src/planted/spin.ts:3");
  assert.ok(s.folders.some(([folder]) => folder === "src/planted"));
});
