// An organisation's policy file: rules that raise, lower, set or silence severities by identifier kind,
// country, host, company, purpose, transport, party or border crossing, plus the home country. Checked field
// by field: a bad file gives one line per bad field (file, line, field path, what is wrong).
//
//   home_country: DE
//   rules:
//     - when: { country: [CN] }              # any identifier going to a server in CN
//       severity: critical
//       reason: "identifiers sent to China are critical under our policy"
//     - when: { kind: [imei] }
//       min_severity: high
//     - when: { kind: [none], country: [CN] } # a connection to CN with no identifier (endpoint)
//       min_severity: medium
//     - when: { host: ["*.example.org"] }    # glob on the host name
//       ignore: true
//
// A rule without `kind` judges findings of every kind; `kind: [none]` judges endpoints contacted with no
// identifier. An `ignore` rule without `kind` silences endpoints too. Rules apply in order.

import { PURPOSES, type Purpose, TRANSPORTS, type Transport } from "../model/destination.ts";
import { IDENTIFIER_KINDS } from "../model/finding.ts";
import { SEVERITIES, type Severity, severityRank } from "../model/judgement.ts";
import {
  Checker,
  countryCode,
  DataFileError,
  fileText,
  type PathSeg,
  type Problem,
  type YamlSource,
  yamlSource,
} from "./yaml-check.ts";

/** The pseudo-kind of an endpoint contacted with no identifier. */
export const ENDPOINT_KIND = "none";
/** What `when.kind` may list. */
export const POLICY_KINDS = [...IDENTIFIER_KINDS, ENDPOINT_KIND] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** Parties a rule may name. */
export const PARTIES = ["first", "third", "unknown"] as const;
export type PolicyParty = (typeof PARTIES)[number];

/** Keys of `when`. */
export const WHEN_KEYS = [
  "kind",
  "country",
  "company_country",
  "host",
  "company",
  "purpose",
  "transport",
  "party",
  "cross_border",
] as const;

/** Keys of a rule. */
export const RULE_KEYS = ["when", "severity", "min_severity", "max_severity", "ignore", "reason"] as const;

/** Most rules a policy may hold. */
export const MAX_RULES = 10_000;

/** Conditions of a rule; every given key must match (lists match any of their values). */
export interface PolicyWhen {
  /** Identifier kinds; `none` = an endpoint with no identifier. */
  kind?: PolicyKind[];
  /** Country of the receiving server (IP registration), ISO alpha-2. */
  country?: string[];
  /** Country of the receiving company's seat (companies file). */
  company_country?: string[];
  /** Globs on the host name (`*` any run of characters, `?` one), case-insensitive. */
  host?: string[];
  /** Company names, case-insensitive. */
  company?: string[];
  /** Purposes of the endpoint. */
  purpose?: Purpose[];
  /** How the bytes travelled. */
  transport?: Transport[];
  /** First or third party (or unknown). */
  party?: PolicyParty[];
  /** Whether the server is outside the home country. */
  cross_border?: boolean;
}

/** One rule. */
export interface PolicyRule {
  /** 1-based position in the file, for reasons. */
  index: number;
  /** Conditions. */
  when: PolicyWhen;
  /** Sets the severity. */
  severity?: Severity;
  /** Raises the severity to at least this. */
  min_severity?: Severity;
  /** Lowers the severity to at most this. */
  max_severity?: Severity;
  /** Drops the finding or endpoint from the judgement. */
  ignore?: boolean;
  /** The organisation's own reason, printed when the rule changes a severity. */
  reason?: string;
}

/** A checked policy. */
export interface Policy {
  /** The file, as the caller named it. */
  file: string;
  /** Home country: what "cross-border" means under this policy (overrides the run's). */
  home_country?: string;
  /** Rules, in file order. */
  rules: PolicyRule[];
}

/** A policy file that cannot be used; `lines()` gives one line per bad field. */
export class PolicyError extends DataFileError {
  /** Builds the error; its message lists every problem. */
  constructor(file: string, problems: Problem[]) {
    super("policy", file, problems);
    this.name = "PolicyError";
  }
}

/** Reads and checks a policy file; throws PolicyError. */
export function loadPolicy(file: string): Policy {
  return parsePolicy(
    fileText(file, (p) => new PolicyError(file, p)),
    file,
  );
}

/** Checks policy YAML text; `file` names it in errors. */
export function parsePolicy(text: string, file: string): Policy {
  const source = yamlSource(text, (p) => new PolicyError(file, p));
  return policyFromValue(source.value, file, source);
}

/** Checks a parsed policy document; throws PolicyError listing every bad field. */
export function policyFromValue(value: unknown, file: string, source?: YamlSource): Policy {
  const c = new Checker(source);
  const policy: Policy = { file, rules: [] };
  const f = c.mapping(value ?? {}, [], ["version", "home_country", "rules"]) ?? {};
  if (f.home_country !== undefined && f.home_country !== null) {
    const home = c.text(f.home_country, ["home_country"]);
    const cc = home === undefined ? undefined : countryCode(home);
    if (home !== undefined && cc === undefined)
      c.error(["home_country"], `two-letter country code expected, got "${home}"`);
    if (cc !== undefined) policy.home_country = cc;
  }
  const rules = c.list(f.rules, ["rules"]);
  if (rules.length > MAX_RULES) c.error(["rules"], `at most ${MAX_RULES} rules`);
  rules.slice(0, MAX_RULES).forEach((item, i) => {
    const rule = readRule(c, item, ["rules", i], i + 1);
    if (rule) policy.rules.push(rule);
  });
  if (c.problems.length > 0) throw new PolicyError(file, c.problems);
  return policy;
}

function readRule(c: Checker, v: unknown, path: PathSeg[], index: number): PolicyRule | undefined {
  const f = c.mapping(v, path, RULE_KEYS);
  if (!f) return undefined;
  // `when:` left empty (null) reads as "always", like an absent `when`.
  const rule: PolicyRule = {
    index,
    when: f.when === undefined || f.when === null ? {} : readWhen(c, f.when, [...path, "when"]),
  };
  for (const key of ["severity", "min_severity", "max_severity"] as const) {
    if (f[key] === undefined) continue;
    const s = c.oneOf(f[key], [...path, key], SEVERITIES);
    if (s !== undefined) rule[key] = s;
  }
  if (f.ignore !== undefined) {
    const b = c.boolean(f.ignore, [...path, "ignore"]);
    if (b) rule.ignore = true;
  }
  if (f.reason !== undefined) {
    const r = c.text(f.reason, [...path, "reason"]);
    if (r !== undefined) rule.reason = r;
  }
  checkActions(c, f, rule, path);
  return rule;
}

/** Exactly one way to act: ignore, or set, or a min and/or a max that do not contradict. */
function checkActions(c: Checker, f: Record<string, unknown>, rule: PolicyRule, path: PathSeg[]): void {
  const given = ["severity", "min_severity", "max_severity", "ignore"].filter((k) => f[k] !== undefined);
  if (given.length === 0) {
    c.error(path, "a rule needs an action: severity, min_severity, max_severity or ignore");
    return;
  }
  if (f.ignore !== undefined && given.length > 1)
    c.error([...path, "ignore"], "ignore cannot be combined with a severity");
  if (f.severity !== undefined && (f.min_severity !== undefined || f.max_severity !== undefined))
    c.error(
      [...path, "severity"],
      "severity sets the level; do not combine it with min_severity or max_severity",
    );
  if (
    rule.min_severity &&
    rule.max_severity &&
    severityRank(rule.min_severity) > severityRank(rule.max_severity)
  )
    c.error(
      [...path, "min_severity"],
      `min_severity ${rule.min_severity} is above max_severity ${rule.max_severity}`,
    );
}

function readWhen(c: Checker, v: unknown, path: PathSeg[]): PolicyWhen {
  const f = c.mapping(v, path, WHEN_KEYS);
  const w: PolicyWhen = {};
  if (!f) return w;
  const word =
    <T extends string>(set: readonly T[]) =>
    (s: string): T | undefined =>
      (set as readonly string[]).includes(s) ? (s as T) : undefined;
  const setOf = (set: readonly string[]) => `one of ${set.join(", ")}`;
  if (f.kind !== undefined)
    w.kind = c.texts(f.kind, [...path, "kind"], word(POLICY_KINDS), setOf(POLICY_KINDS));
  if (f.country !== undefined)
    w.country = c.texts(f.country, [...path, "country"], countryCode, "country code");
  if (f.company_country !== undefined)
    w.company_country = c.texts(f.company_country, [...path, "company_country"], countryCode, "country code");
  if (f.host !== undefined) w.host = c.texts(f.host, [...path, "host"], hostGlob, "host name or glob");
  if (f.company !== undefined) w.company = c.texts(f.company, [...path, "company"], (s) => s, "company name");
  if (f.purpose !== undefined)
    w.purpose = c.texts(f.purpose, [...path, "purpose"], word(PURPOSES), setOf(PURPOSES));
  if (f.transport !== undefined)
    w.transport = c.texts(f.transport, [...path, "transport"], word(TRANSPORTS), setOf(TRANSPORTS));
  if (f.party !== undefined) w.party = c.texts(f.party, [...path, "party"], word(PARTIES), setOf(PARTIES));
  if (f.cross_border !== undefined) {
    const b = c.boolean(f.cross_border, [...path, "cross_border"]);
    if (b !== undefined) w.cross_border = b;
  }
  return w;
}

/** A host glob, lower-cased: name characters, `*`, `?`, and `:`/`[]` for IPv6 literals. */
function hostGlob(s: string): string | undefined {
  const g = s.trim().toLowerCase();
  return g.length <= 253 && /^[a-z0-9_.\-*?:[\]]+$/.test(g) ? g : undefined;
}
