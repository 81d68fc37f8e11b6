// A reader over a parsed YAML/JSON document that collects one problem per bad field, with its line, instead
// of stopping at the first. The document is parsed with the failsafe schema, so every scalar arrives as the
// text the analyst wrote (an IMEI written as a bare number keeps its leading zero).

import { isMap, isScalar, isSeq, type LineCounter, type Node, Scalar } from "yaml";
import type { ProfileProblem } from "./profile-types.ts";

/** Plain scalars that mean "no value". */
const EMPTY = new Set(["", "~", "null", "Null", "NULL"]);

/** A scalar string found in the document, with where it sits. */
export interface TextAt {
  /** The text as written. */
  text: string;
  /** Profile path, e.g. `imei[1]`. */
  path: string;
  /** Node, for its line. */
  node: Node;
}

/** Collects problems and warnings while reading a profile document. */
export class ProfileReader {
  /** Errors found so far. */
  readonly problems: ProfileProblem[] = [];
  /** Warnings found so far. */
  readonly warnings: ProfileProblem[] = [];

  /** `lc` maps node offsets to lines. */
  constructor(private readonly lc: LineCounter) {}

  /** 1-based line of a node, when it has a position. */
  line(node: unknown): number | undefined {
    const range = (node as Node | null)?.range;
    return range ? this.lc.linePos(range[0]).line : undefined;
  }

  /** Records an error at `path`. */
  error(path: string, node: unknown, message: string): void {
    this.problems.push(withLine({ path, message }, this.line(node)));
  }

  /** Records a warning at `path`. */
  warn(path: string, node: unknown, message: string): void {
    this.warnings.push(withLine({ path, message }, this.line(node)));
  }

  /** True when the node is absent or an empty scalar (`key:`, `~`, `null`). */
  isEmpty(node: unknown): boolean {
    if (node === null || node === undefined) return true;
    return isScalar(node) && node.type === Scalar.PLAIN && EMPTY.has(String(node.value));
  }

  /** A single text value, or undefined (with an error when the node is a list or a mapping). */
  text(node: unknown, path: string): string | undefined {
    if (this.isEmpty(node)) return undefined;
    if (isScalar(node)) return String(node.value);
    this.error(path, node, "a single text value expected");
    return undefined;
  }

  /** A text value or a list of them; list items get `[i]` paths. Empty items are skipped. */
  texts(node: unknown, path: string): TextAt[] {
    if (this.isEmpty(node)) return [];
    if (isScalar(node)) return [{ text: String(node.value), path, node }];
    if (!isSeq(node)) {
      this.error(path, node, "a text value or a list of them expected");
      return [];
    }
    const out: TextAt[] = [];
    node.items.forEach((item, i) => {
      const text = this.text(item, `${path}[${i}]`);
      if (text !== undefined && text.trim() !== "")
        out.push({ text, path: `${path}[${i}]`, node: item as Node });
    });
    return out;
  }

  /** A list of mappings (one mapping alone is not accepted: the profile keys for them are plural). */
  list(node: unknown, path: string): { node: Node; path: string }[] {
    if (this.isEmpty(node)) return [];
    if (!isSeq(node)) {
      this.error(path, node, "a list expected");
      return [];
    }
    return node.items.map((item, i) => ({ node: item as Node, path: `${path}[${i}]` }));
  }

  /** The entries of a mapping whose keys must be among `allowed`; unknown keys are errors. */
  fields(node: unknown, path: string, allowed: readonly string[]): Map<string, Node> | undefined {
    if (!isMap(node)) {
      this.error(path, node, `a mapping with keys ${allowed.join(", ")} expected`);
      return undefined;
    }
    const out = new Map<string, Node>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      const at = path ? `${path}.${key}` : key;
      if (!allowed.includes(key)) {
        this.error(at || path, pair.key, unknownKey(key, allowed));
        continue;
      }
      out.set(key, pair.value as Node);
    }
    return out;
  }

  /** A finite number within [min, max]; undefined (with an error) otherwise. */
  number(node: unknown, path: string, min: number, max: number): number | undefined {
    const text = this.text(node, path);
    if (text === undefined) return undefined;
    const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isFinite(n) && n >= min && n <= max) return n;
    this.error(path, node, `number from ${min} to ${max} expected, got "${text}"`);
    return undefined;
  }
}

function withLine(p: ProfileProblem, line: number | undefined): ProfileProblem {
  return line === undefined ? p : { ...p, line };
}

/** "unknown key", with the nearest allowed key when it is a likely typo. */
function unknownKey(key: string, allowed: readonly string[]): string {
  let best = "";
  let bestDist = 3;
  for (const a of allowed) {
    const d = editDistance(key.toLowerCase(), a);
    if (d < bestDist) [best, bestDist] = [a, d];
  }
  return best
    ? `unknown key (did you mean "${best}"?)`
    : `unknown key; expected one of ${allowed.join(", ")}`;
}

/** Levenshtein distance; keys are short so the quadratic table is fine. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
