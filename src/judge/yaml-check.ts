// Checking of the YAML files a user may write (policy, rubric override, companies override): parse with
// positions, walk the plain value collecting one problem per bad field (field path, line), and throw one
// error that lists them all, so a user fixes a file in one go instead of one error per run.

import { readFileSync, statSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";

/** Largest file read (a policy or rubric is a few kB; a companies file a few hundred kB). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** One step of a field path: a mapping key or a list index. */
export type PathSeg = string | number;

/** One problem with a field; `line` is 1-based in the file when known. */
export interface Problem {
  /** Field path, e.g. `rules[0].when.country[1]` (empty for whole-file problems). */
  path: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** Line of the file the field sits on, when known. */
  line?: number;
}

/** A file that cannot be used: every problem found, one per bad field. */
export class DataFileError extends Error {
  /** The file, as the caller named it. */
  readonly file: string;
  /** The problems, in the order found. */
  readonly problems: Problem[];

  /** `what` names the kind of file in the message's first line (`policy`, `rubric`, ...). */
  constructor(what: string, file: string, problems: Problem[]) {
    const sorted = [...problems].sort(byLine);
    super([`invalid ${what} ${file}`, ...sorted.map((p) => problemText(file, p))].join("\n"));
    this.name = "DataFileError";
    this.file = file;
    this.problems = sorted;
  }

  /** One line per bad field, e.g. `policy.yaml:3: rules[0].when.country[0]: ISO country code expected`. */
  lines(): string[] {
    return this.problems.map((p) => problemText(this.file, p));
  }
}

/** Document order (stable; problems without a line last). */
function byLine(a: Problem, b: Problem): number {
  return (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER);
}

/** `file:line: path: message` (line and path when known). */
export function problemText(file: string, p: Problem): string {
  const where = p.line === undefined ? file : `${file}:${p.line}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** `rules[0].when.country[1]` from its segments. */
export function pathText(path: readonly PathSeg[]): string {
  let out = "";
  for (const s of path) out += typeof s === "number" ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

/** A parsed YAML document: its plain value and the line of any field path. */
export interface YamlSource {
  /** The document as plain JSON-like data (null for an empty file). */
  value: unknown;
  /** 1-based line of the node at `path`, when it exists. */
  lineOf(path: readonly PathSeg[]): number | undefined;
}

/** Parses YAML text; syntax errors become problems (and an empty value). */
export function parseYaml(text: string): { source: YamlSource; problems: Problem[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ""), { lineCounter: lc, prettyErrors: true });
  const lineOf = (path: readonly PathSeg[]): number | undefined => {
    const range = nodeAt(doc.contents, path)?.range;
    return range ? lc.linePos(range[0]).line : undefined;
  };
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const p: Problem = { path: "", message: `not valid YAML: ${e.message.split("\n")[0]}` };
      if (e.linePos) p.line = e.linePos[0].line;
      return p;
    });
    return { source: { value: null, lineOf }, problems };
  }
  let value: unknown = null;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { source: { value: null, lineOf }, problems: [{ path: "", message: (e as Error).message }] };
  }
  return { source: { value, lineOf }, problems: [] };
}

/** The node a path names; for a mapping entry, its key (so a problem points at the line naming the field). */
function nodeAt(root: unknown, path: readonly PathSeg[]): Node | undefined {
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return undefined;
      node = last ? pair.key : pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
    } else {
      return undefined;
    }
  }
  return (node ?? undefined) as Node | undefined;
}

/** Reads a file for checking (bounded in size); an unreadable file is one problem. */
export function readTextFile(file: string): { text?: string; problem?: Problem } {
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) return { problem: { path: "", message: `file too large (${size} bytes)` } };
    return { text: readFileSync(file, "utf8") };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    return { problem: { path: "", message: `cannot read the file (${code})` } };
  }
}

/** Collects problems while walking a parsed document; every getter returns undefined for a bad field. */
export class Checker {
  /** Problems found so far. */
  readonly problems: Problem[] = [];

  /** `source` gives line numbers; without it problems carry paths only. */
  constructor(private readonly source?: YamlSource) {}

  /** Records a problem at `path`. */
  error(path: readonly PathSeg[], message: string): void {
    const p: Problem = { path: pathText(path), message };
    const line = this.source?.lineOf(path);
    if (line !== undefined) p.line = line;
    this.problems.push(p);
  }

  /** A mapping whose keys are among `allowed` (when given); unknown keys are problems and are dropped. */
  mapping(v: unknown, path: PathSeg[], allowed?: readonly string[]): Record<string, unknown> | undefined {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      this.error(path, allowed ? `a mapping with keys ${allowed.join(", ")} expected` : "a mapping expected");
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (allowed && !allowed.includes(k))
        this.error([...path, k], `unknown key; expected one of ${allowed.join(", ")}`);
      else out[k] = val;
    }
    return out;
  }

  /** A list (an absent or null value is an empty list). */
  list(v: unknown, path: PathSeg[]): unknown[] {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.error(path, "a list expected");
    return [];
  }

  /** A non-empty text (numbers are taken as their text, so `"360": ...` and `360: ...` both work). */
  text(v: unknown, path: PathSeg[], maxLength = 500): string | undefined {
    const s = typeof v === "number" && Number.isFinite(v) ? String(v) : v;
    if (typeof s !== "string" || s.trim() === "") {
      this.error(path, "a text value expected");
      return undefined;
    }
    if (s.length > maxLength) {
      this.error(path, `text longer than ${maxLength} characters`);
      return undefined;
    }
    return s.trim();
  }

  /** A text or a list of texts, each turned into a value by `check` (undefined: "`expected` expected"). */
  texts<T>(v: unknown, path: PathSeg[], check: (s: string) => T | undefined, expected: string): T[] {
    const items = Array.isArray(v) ? v : [v];
    if (Array.isArray(v) && v.length === 0) this.error(path, "an empty list matches nothing");
    const out: T[] = [];
    items.forEach((item, i) => {
      const at = Array.isArray(v) ? [...path, i] : path;
      const s = this.text(item, at);
      if (s === undefined) return;
      const r = check(s);
      if (r === undefined) this.error(at, `${expected} expected, got ${shown(s)}`);
      else out.push(r);
    });
    return out;
  }

  /** One of a closed set of words. */
  oneOf<T extends string>(v: unknown, path: PathSeg[], allowed: readonly T[]): T | undefined {
    if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as T;
    this.error(path, `one of ${allowed.join(", ")} expected, got ${shown(v)}`);
    return undefined;
  }

  /** A finite number within [min, max]. */
  number(v: unknown, path: PathSeg[], min: number, max: number): number | undefined {
    if (typeof v === "number" && Number.isFinite(v) && v >= min && v <= max) return v;
    this.error(path, `number from ${min} to ${max} expected, got ${shown(v)}`);
    return undefined;
  }

  /** `true` or `false`. */
  boolean(v: unknown, path: PathSeg[]): boolean | undefined {
    if (typeof v === "boolean") return v;
    this.error(path, `true or false expected, got ${shown(v)}`);
    return undefined;
  }
}

/** A value as it appears in a message (bounded, so a huge scalar does not flood the terminal). */
export function shown(v: unknown): string {
  let t: string;
  if (typeof v === "string") t = `"${v}"`;
  else if (v === null || v === undefined) t = "nothing";
  else if (Array.isArray(v)) t = "a list";
  else if (typeof v === "object") t = "a mapping";
  else t = String(v);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/** An ISO 3166-1 alpha-2 code, upper-cased; undefined when `s` is not two letters. */
export function countryCode(s: string): string | undefined {
  const c = s.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(c) ? c : undefined;
}

/** Builds the file kind's error from its problems (PolicyError, RubricError, CompaniesError ...). */
export type FailWith = (problems: Problem[]) => Error;

/** A user's file as text; throws `fail` when it cannot be read. */
export function fileText(file: string, fail: FailWith): string {
  const { text, problem } = readTextFile(file);
  if (text === undefined) throw fail([problem as Problem]);
  return text;
}

/** YAML text parsed with line positions; throws `fail` listing the syntax problems. */
export function yamlSource(text: string, fail: FailWith): YamlSource {
  const { source, problems } = parseYaml(text);
  if (problems.length > 0) throw fail(problems);
  return source;
}
