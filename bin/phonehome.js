#!/usr/bin/env node
// Entry point. Runs a bundle of src/ built by esbuild (direct ES module bindings, no loader hooks: faster
// start-up and hot paths than on-the-fly transpiling). The bundle is rebuilt whenever a source file is newer.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { leanFlags, relaunch } from "./launch.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "src", "cli", "main.ts");
const bundle = join(root, "dist", "phonehome.mjs");

/** Newest modification time of any file below `dir` (a few hundred files: a few milliseconds). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function builtAt() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return -1;
  }
}

// Large inputs run in a second process with memory-lean V8 settings (bin/launch.js).
const lean = leanFlags(process.argv.slice(2), process.env);
if (lean.length > 0)
  process.exit(await relaunch(lean, fileURLToPath(import.meta.url), process.argv.slice(2)));

const inputs = [join(root, "package.json"), fileURLToPath(import.meta.url)].map((f) => statSync(f).mtimeMs);
if (builtAt() < Math.max(newest(join(root, "src")), ...inputs)) {
  const { buildSync } = await import("esbuild");
  const out = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Dependencies go into the bundle too: one file to parse instead of a few hundred modules to resolve,
    // read and link halves the start-up time. CommonJS dependencies (commander, yaml) need a `require`.
    banner: {
      js: 'import { createRequire as __phonehomeRequire } from "node:module";\nconst require = __phonehomeRequire(import.meta.url);',
    },
    outfile: bundle,
    // No comments or indentation: V8 keeps the whole source in memory for lazy compilation, and a source
    // with only ASCII characters (the HTML templates use entities) is stored one byte per character.
    minifyWhitespace: true,
    // A linked map, not an inline one: the bundle V8 parses at every start stays a quarter of the size.
    sourcemap: "linked",
    logLevel: "error",
    write: false,
  });
  // Written aside then renamed, so processes starting together never import a half-written bundle.
  // The map goes first, so a bundle is never newer than the map it names.
  mkdirSync(dirname(bundle), { recursive: true });
  const files = [...out.outputFiles].sort(
    (a, b) => Number(b.path.endsWith(".map")) - Number(a.path.endsWith(".map")),
  );
  for (const f of files) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
}
await import(pathToFileURL(bundle).href);
