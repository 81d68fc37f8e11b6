#!/usr/bin/env node
// Entry point. Runs a bundle of src/ built by esbuild (direct ES module bindings, no loader hooks: faster
// start-up and hot paths than on-the-fly transpiling). The bundle is rebuilt whenever a source file is newer.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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

if (builtAt() < Math.max(newest(join(root, "src")), statSync(join(root, "package.json")).mtimeMs)) {
  const { buildSync } = await import("esbuild");
  const out = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: bundle,
    sourcemap: "inline",
    logLevel: "error",
    write: false,
  });
  // Written aside then renamed, so processes starting together never import a half-written bundle.
  const tmp = `${bundle}.${process.pid}.tmp`;
  mkdirSync(dirname(bundle), { recursive: true });
  writeFileSync(tmp, out.outputFiles[0].contents);
  renameSync(tmp, bundle);
}
await import(pathToFileURL(bundle).href);
