// Locates the shared public corpus that sits beside the repository; tests skip with a message when absent.

import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root. */
export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** The corpus folder (`../shared/corpus` from the repository root). */
export const CORPUS_DIR = resolve(REPO_ROOT, "..", "shared", "corpus");

/** True when the corpus is present. */
export const HAS_CORPUS = existsSync(CORPUS_DIR);

/** Message for `test(..., { skip })` when the corpus is absent. */
export const NO_CORPUS = HAS_CORPUS ? false : "../shared/corpus is absent";

/** Absolute path of a corpus file. */
export function corpusPath(...parts: string[]): string {
  return join(CORPUS_DIR, ...parts);
}

/** Every file below a corpus folder whose name matches `pattern`, sorted. */
export function corpusFiles(dir: string, pattern: RegExp): string[] {
  const root = corpusPath(dir);
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(name)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}
