// Applying a policy to one judged finding or endpoint: which rules match it, and what they do to its level.

import type { Destination, Transport } from "../model/destination.ts";
import type { IdentifierKind } from "../model/finding.ts";
import { type Judgement, type Severity, severityRank } from "../model/judgement.ts";
import { globMatch } from "./glob.ts";
import { ENDPOINT_KIND, type Policy, type PolicyRule } from "./policy.ts";

/** What a rule is matched against. */
export interface PolicySubject {
  /** Identifier kind; absent for an endpoint contacted with no identifier. */
  kind?: IdentifierKind;
  /** The receiver. */
  dest: Destination;
  /** How the bytes travelled. */
  transport: Transport;
  /** Cross-border under the policy's home country (see crossBorder). */
  cross_border?: boolean;
}

/** Cross-border flag: the policy's home country wins over the run's flag when both countries are known. */
export function crossBorder(dest: Destination, policy?: Policy): boolean | undefined {
  if (policy?.home_country && dest.country) return dest.country.toUpperCase() !== policy.home_country;
  return dest.cross_border;
}

/** True when every condition of the rule holds for the subject. */
export function ruleMatches(rule: PolicyRule, s: PolicySubject): boolean {
  const w = rule.when;
  if (!kindMatches(rule, s.kind)) return false;
  const d = s.dest;
  if (w.country && !inList(w.country, d.country?.toUpperCase())) return false;
  if (w.company_country && !inList(w.company_country, d.company_country?.toUpperCase())) return false;
  if (w.host && !hostMatches(w.host, d.host)) return false;
  if (w.company && !inList(w.company, d.company?.toLowerCase(), (x) => x.toLowerCase())) return false;
  if (w.purpose && !inList<string>(w.purpose, d.purpose)) return false;
  if (w.transport && !inList<string>(w.transport, s.transport)) return false;
  if (w.party && !inList<string>(w.party, d.party)) return false;
  if (w.cross_border !== undefined && s.cross_border !== w.cross_border) return false;
  return true;
}

/** Endpoints match `kind: [none]`, or an ignore rule with no kind; findings match a listed kind or none. */
function kindMatches(rule: PolicyRule, kind: IdentifierKind | undefined): boolean {
  const kinds = rule.when.kind;
  if (kind === undefined) return kinds ? kinds.includes(ENDPOINT_KIND) : rule.ignore === true;
  return kinds ? (kinds as string[]).includes(kind) : true;
}

function inList<T extends string>(
  list: readonly T[],
  v: T | undefined,
  norm: (x: T) => T = (x) => x,
): boolean {
  return v !== undefined && list.some((x) => norm(x) === v);
}

function hostMatches(globs: readonly string[], host: string | undefined): boolean {
  if (typeof host !== "string") return false;
  const h = host.toLowerCase().replace(/\.+$/, "");
  return globs.some((g) => globMatch(g, h));
}

/**
 * Applies the matching rules in file order: `ignore` drops the subject; `severity` sets, `min_severity`
 * raises, `max_severity` lowers. A rule that changed or set the level adds its reason in front.
 */
export function applyPolicy(
  policy: Policy | undefined,
  s: PolicySubject,
  j: Judgement,
): Judgement | "ignored" {
  if (!policy || policy.rules.length === 0) return j;
  let severity = j.severity;
  const reasons: string[] = [];
  for (const rule of policy.rules) {
    if (!ruleMatches(rule, s)) continue;
    if (rule.ignore) return "ignored";
    const next = ruleLevel(rule, severity);
    if (next === severity && rule.severity === undefined) continue;
    severity = next;
    reasons.unshift(rule.reason ?? defaultReason(rule, next));
  }
  return reasons.length === 0 ? j : { severity, reasons: [...reasons, ...j.reasons], score: j.score };
}

function ruleLevel(rule: PolicyRule, current: Severity): Severity {
  let next = rule.severity ?? current;
  if (rule.min_severity && severityRank(next) < severityRank(rule.min_severity)) next = rule.min_severity;
  if (rule.max_severity && severityRank(next) > severityRank(rule.max_severity)) next = rule.max_severity;
  return next;
}

function defaultReason(rule: PolicyRule, level: Severity): string {
  const what = rule.severity
    ? `sets ${level}`
    : rule.min_severity && level === rule.min_severity
      ? `requires at least ${level}`
      : `caps it at ${level}`;
  return `policy rule ${rule.index} ${what}`;
}
