// The severity rubric as data: data/severity.yaml, optionally with a user's override merged over it, checked
// field by field into typed rules. Judging (judge.ts) only adds up the rules that apply.

import { loadDataFile } from "../data/data-files.ts";
import { PURPOSES, type Purpose, TRANSPORTS, type Transport } from "../model/destination.ts";
import { IDENTIFIER_KINDS, type IdentifierKind } from "../model/finding.ts";
import {
  Checker,
  DataFileError,
  fileText,
  type PathSeg,
  type Problem,
  type YamlSource,
  yamlSource,
} from "./yaml-check.ts";

/** One rule: points added when it applies, and the reason printed then. */
export interface RubricRule {
  /** Points added (negative lowers). */
  points: number;
  /** Reason template (see PLACEHOLDERS). */
  reason: string;
}

/** A confidence band: applies when confidence < `below` (the lowest matching band only). */
export interface ConfidenceBand extends RubricRule {
  /** Upper bound, exclusive, 0..1. */
  below: number;
}

/** A location precision band: applies when decimals ≤ `max_decimals` (the lowest matching band only). */
export interface PrecisionBand extends RubricRule {
  /** Most decimal places this band covers. */
  max_decimals: number;
}

/** Levels above info that have a threshold. */
export const THRESHOLD_LEVELS = ["critical", "high", "medium", "low"] as const;
export type ThresholdLevel = (typeof THRESHOLD_LEVELS)[number];

/** Placeholders a reason may use. */
export const PLACEHOLDERS = [
  "label",
  "receiver",
  "host",
  "company",
  "country",
  "purpose",
  "hash",
  "decimals",
  "confidence",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** A checked rubric. */
export interface Rubric {
  /** Where it came from (`data/severity.yaml`, or that plus the user's file). */
  source: string;
  /** Base points per identifier kind. */
  kinds: Record<IdentifierKind, RubricRule>;
  /** Modifier per transport. */
  transport: Record<Transport, RubricRule>;
  /** Hashed values: kinds a hash does not protect, and the rule for them and for the others. */
  hashing: { stable_kinds: IdentifierKind[]; stable: RubricRule; other: RubricRule };
  /** Receiver modifiers. */
  destination: {
    /** Receiver is the vendor or the app's own. */
    first_party: RubricRule;
    /** Receiver is anyone else. */
    third_party: RubricRule;
    /** Receiver's server is outside the home country. */
    cross_border: RubricRule;
    /** Per purpose of the receiving endpoint (only those listed apply). */
    purposes: Partial<Record<Purpose, RubricRule>>;
  };
  /** A generic detector's guess. */
  generic: RubricRule;
  /** Confidence bands, lowest `below` first. */
  confidence: ConfidenceBand[];
  /** Location precision bands, lowest `max_decimals` first. */
  precision: PrecisionBand[];
  /** An endpoint contacted with no identifier. */
  endpoint: RubricRule;
  /** Lowest score of each level. */
  thresholds: Record<ThresholdLevel, number>;
}

/** A rubric that cannot be used. */
export class RubricError extends DataFileError {
  /** Builds the error; its message lists every problem. */
  constructor(file: string, problems: Problem[]) {
    super("rubric", file, problems);
    this.name = "RubricError";
  }
}

const OURS = "data/severity.yaml";
const TOP_KEYS = [
  "version",
  "kinds",
  "transport",
  "hashing",
  "destination",
  "generic",
  "confidence",
  "precision",
  "endpoint",
  "thresholds",
] as const;
const MAX_POINTS = 1000;
const MAX_BANDS = 50;

let ours: Rubric | undefined;
let oursValue: unknown;

function oursRaw(): unknown {
  oursValue ??= loadDataFile("severity.yaml");
  return oursValue;
}

/** phonehome's rubric, loaded on first use and kept. */
export function defaultRubric(): Rubric {
  ours ??= rubricFromValue(oursRaw(), OURS);
  return ours;
}

/** Ours, or ours with a user's override file merged over it; throws RubricError naming file and field. */
export function loadRubric(file?: string): Rubric {
  if (file === undefined) return defaultRubric();
  return parseRubric(
    fileText(file, (p) => new RubricError(file, p)),
    file,
  );
}

/** Checks override text merged over our rubric; `file` names it in errors. */
export function parseRubric(text: string, file: string): Rubric {
  const source = yamlSource(text, (p) => new RubricError(file, p));
  const merged = mergeOver(oursRaw(), source.value ?? {});
  const r = rubricFromValue(merged, file, source);
  r.source = `${OURS} + ${file}`;
  return r;
}

/** Mappings merge key by key; anything else in `over` replaces what `base` had. */
export function mergeOver(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeOver(base[k], v) : v;
  return out;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Checks a complete rubric value; throws RubricError listing every bad field. */
export function rubricFromValue(value: unknown, file: string, source?: YamlSource): Rubric {
  const c = new Checker(source);
  const f = c.mapping(value, [], TOP_KEYS) ?? {};
  const r = {
    source: file,
    kinds: ruleTable(c, f.kinds, ["kinds"], IDENTIFIER_KINDS, true),
    transport: ruleTable(c, f.transport, ["transport"], TRANSPORTS, true),
    hashing: readHashing(c, f.hashing),
    destination: readDestination(c, f.destination),
    generic: rule(c, f.generic, ["generic"]),
    confidence: bands(c, f.confidence, "confidence", "below", 0, 1),
    precision: bands(c, f.precision, "precision", "max_decimals", 0, 20),
    endpoint: rule(c, f.endpoint, ["endpoint"]),
    thresholds: readThresholds(c, f.thresholds),
  };
  if (c.problems.length > 0) throw new RubricError(file, c.problems);
  return r as Rubric;
}

const MISSING: RubricRule = { points: 0, reason: "" };

function rule(c: Checker, v: unknown, path: PathSeg[]): RubricRule {
  if (v === undefined) {
    c.error(path, "missing");
    return MISSING;
  }
  const f = c.mapping(v, path, ["points", "reason"]);
  if (!f) return MISSING;
  const points = c.number(f.points, [...path, "points"], -MAX_POINTS, MAX_POINTS);
  const reason = c.text(f.reason, [...path, "reason"]);
  if (reason !== undefined) checkPlaceholders(c, reason, [...path, "reason"]);
  return { points: points ?? 0, reason: reason ?? "" };
}

function checkPlaceholders(c: Checker, reason: string, path: PathSeg[]): void {
  for (const m of reason.matchAll(/\{([^}]*)\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]))
      c.error(path, `unknown placeholder {${m[1]}}; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}`);
  }
}

/** A mapping of closed-set keys to rules; `complete` requires every key. */
function ruleTable<K extends string>(
  c: Checker,
  v: unknown,
  path: PathSeg[],
  keys: readonly K[],
  complete: boolean,
): Record<K, RubricRule> {
  const out = {} as Record<K, RubricRule>;
  const f = c.mapping(v ?? {}, path, keys);
  if (!f) return out;
  for (const k of keys) {
    if (f[k] !== undefined) out[k] = rule(c, f[k], [...path, k]);
    else if (complete) c.error(path, `no rule for "${k}"`);
  }
  return out;
}

function readHashing(c: Checker, v: unknown): Rubric["hashing"] {
  const f = c.mapping(v, ["hashing"], ["stable_kinds", "stable", "other"]) ?? {};
  const kinds = c.texts(
    f.stable_kinds ?? [],
    ["hashing", "stable_kinds"],
    (s) => ((IDENTIFIER_KINDS as readonly string[]).includes(s) ? (s as IdentifierKind) : undefined),
    `one of ${IDENTIFIER_KINDS.join(", ")}`,
  );
  return {
    stable_kinds: kinds,
    stable: rule(c, f.stable, ["hashing", "stable"]),
    other: rule(c, f.other, ["hashing", "other"]),
  };
}

function readDestination(c: Checker, v: unknown): Rubric["destination"] {
  const path = ["destination"];
  const f = c.mapping(v, path, ["first_party", "third_party", "cross_border", "purposes"]) ?? {};
  return {
    first_party: rule(c, f.first_party, [...path, "first_party"]),
    third_party: rule(c, f.third_party, [...path, "third_party"]),
    cross_border: rule(c, f.cross_border, [...path, "cross_border"]),
    purposes: ruleTable(c, f.purposes, [...path, "purposes"], PURPOSES, false),
  };
}

function bands<K extends "below" | "max_decimals">(
  c: Checker,
  v: unknown,
  name: string,
  key: K,
  min: number,
  max: number,
): (RubricRule & Record<K, number>)[] {
  const items = c.list(v, [name]);
  if (items.length > MAX_BANDS) c.error([name], `at most ${MAX_BANDS} bands`);
  const out: (RubricRule & Record<K, number>)[] = [];
  items.slice(0, MAX_BANDS).forEach((item, i) => {
    const f = c.mapping(item, [name, i], [key, "points", "reason"]);
    if (!f) return;
    const bound = c.number(f[key], [name, i, key], min, max);
    const r = rule(c, { points: f.points, reason: f.reason }, [name, i]);
    if (bound !== undefined) out.push({ ...r, [key]: bound } as RubricRule & Record<K, number>);
  });
  return out.sort((a, b) => a[key] - b[key]);
}

function readThresholds(c: Checker, v: unknown): Record<ThresholdLevel, number> {
  const out = {} as Record<ThresholdLevel, number>;
  const f = c.mapping(v, ["thresholds"], THRESHOLD_LEVELS) ?? {};
  let above = Number.POSITIVE_INFINITY;
  for (const level of THRESHOLD_LEVELS) {
    const n = c.number(f[level], ["thresholds", level], -MAX_POINTS * 10, MAX_POINTS * 10);
    if (n === undefined) continue;
    if (n >= above) c.error(["thresholds", level], `must be lower than the level above it (${above})`);
    out[level] = n;
    above = n;
  }
  return out;
}

/** Fills a reason template; unknown or absent values read as `?`, so a reason is never dropped. */
export function fillReason(template: string, vars: Partial<Record<Placeholder, string>>): string {
  return template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => vars[name as Placeholder] ?? "?");
}
