// Finds and loads the data files (`data/*.yaml` at the repository root) for every part that reads one:
// detectors, attribution, judgement and reports. The source may run from src/ (tsx) or from a bundle in
// dist/, so the folder is found by walking up from this module.

import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** How many parent folders to try before giving up (src/data → root is 2). */
const MAX_UP = 6;

let dataDir: string | undefined;

/** The repository's `data/` folder, found once and remembered. Throws a clear message if it is missing. */
export function dataFolder(): string {
  if (dataDir !== undefined) return dataDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i <= MAX_UP; i++) {
    const candidate = join(dir, "data");
    if (existsSync(join(candidate, "key-names.yaml"))) {
      dataDir = candidate;
      return candidate;
    }
    dir = dirname(dir);
  }
  throw new Error("phonehome: data folder with key-names.yaml not found beside the program");
}

/**
 * Parses one YAML data file from `data/`; throws naming the file when it is not a mapping. The parsed form is
 * cached as JSON under `dist/data-cache/` (keyed by the file's size and time), because parsing YAML costs
 * far more at start-up than reading JSON; an unwritable folder only means no cache.
 */
export function loadDataFile(name: string): Record<string, unknown> {
  const file = join(dataFolder(), name);
  const st = statSync(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const cacheFile = join(dataFolder(), "..", "dist", "data-cache", `${name}.json`);
  const cached = readCache(cacheFile, key);
  if (cached) return cached;
  const doc: unknown = parse(readFileSync(file, "utf8"));
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new Error(`phonehome: data/${name} must be a YAML mapping`);
  }
  writeCache(cacheFile, key, doc);
  return doc as Record<string, unknown>;
}

function readCache(file: string, key: string): Record<string, unknown> | undefined {
  try {
    const c = JSON.parse(readFileSync(file, "utf8")) as { key?: string; doc?: Record<string, unknown> };
    return c.key === key && c.doc && typeof c.doc === "object" ? c.doc : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, key: string, doc: unknown): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, doc }));
    renameSync(tmp, file);
  } catch {
    // A read-only install runs without the cache.
  }
}

/** A mapping field of a data file as string → string pairs; throws naming the file and field otherwise. */
export function stringMap(doc: Record<string, unknown>, field: string, name: string): Map<string, string> {
  const v = doc[field];
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new Error(`phonehome: data/${name}: "${field}" must be a mapping`);
  }
  const out = new Map<string, string>();
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) out.set(k, String(val));
  return out;
}
