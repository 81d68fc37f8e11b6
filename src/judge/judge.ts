// Severity of one finding (or of one endpoint contacted with no identifier): the points of every rubric rule
// that applies, turned into a level by the rubric's thresholds, then the organisation's policy on top. Each
// applied rule contributes its reason, so the level always comes with the why.

import type { Destination, Transport } from "../model/destination.ts";
import type { IdentifierKind } from "../model/finding.ts";
import type { Judgement, Severity } from "../model/judgement.ts";
import type { Policy } from "./policy.ts";
import { applyPolicy, crossBorder } from "./policy-match.ts";
import { defaultRubric, fillReason, type Placeholder, type Rubric, type RubricRule } from "./rubric.ts";
import { countryName, KIND_NAMES } from "./words.ts";

/** What judging a finding needs (the finding record's fields plus its destination). */
export interface FindingInput {
  /** Identifier kind. */
  kind: IdentifierKind;
  /** Label for `{label}` (custom identifiers); the kind's name when absent. */
  label?: string;
  /** A generic detector's guess. */
  generic: boolean;
  /** 0..1. */
  confidence: number;
  /** Variant that matched (`md5-hex`, `e164`, `generic`, ...). */
  variant: string;
  /** Encoding chain, outermost first (`sha256(imei)` marks a hash). */
  chain: string[];
  /** How the bytes travelled. */
  transport: Transport;
  /** Who received it. */
  dest: Destination;
  /** Decimal places, for locations. */
  precision?: number;
}

/** Digest names as they appear in variants (`md5-hex`) and chain steps (`md5(imei)`). */
const HASH_NAMES: Record<string, string> = {
  md5: "MD5",
  sha1: "SHA-1",
  sha224: "SHA-224",
  sha256: "SHA-256",
  sha384: "SHA-384",
  sha512: "SHA-512",
};

interface Applied {
  points: number;
  reason: string;
}

/** Judges one finding; "ignored" when a policy rule says so. Never throws on odd input. */
export function judgeFinding(
  input: FindingInput,
  rubric: Rubric = defaultRubric(),
  policy?: Policy,
): Judgement | "ignored" {
  const cross = crossBorder(input.dest, policy);
  const vars = reasonVars(input, input.dest);
  const [base, ...mods] = findingRules(input, rubric, cross === true);
  const applied = [base, ...mods.sort((a, b) => b.points - a.points)].map(
    (r): Applied => ({ points: r.points, reason: fillReason(r.reason, vars) }),
  );
  const judgement = fromApplied(applied, rubric);
  return applyPolicy(
    policy,
    { kind: input.kind, dest: input.dest, transport: input.transport, cross_border: cross },
    judgement,
  );
}

/** Judges an endpoint contacted with no identifier: the rubric's endpoint rule (info), then the policy. */
export function judgeEndpoint(
  dest: Destination,
  policy?: Policy,
  rubric: Rubric = defaultRubric(),
): Judgement | "ignored" {
  const cross = crossBorder(dest, policy);
  const rule = rubric.endpoint;
  const judgement = fromApplied(
    [{ points: rule.points, reason: fillReason(rule.reason, reasonVars(undefined, dest)) }],
    rubric,
  );
  return applyPolicy(policy, { dest, transport: dest.transport, cross_border: cross }, judgement);
}

/** The rules that apply to a finding; the kind's rule first. */
function findingRules(input: FindingInput, rubric: Rubric, cross: boolean): RubricRule[] {
  const out: RubricRule[] = [rubric.kinds[input.kind] ?? rubric.kinds.custom];
  const t = rubric.transport[input.transport];
  if (t) out.push(t);
  if (hashName(input) !== undefined)
    out.push(rubric.hashing.stable_kinds.includes(input.kind) ? rubric.hashing.stable : rubric.hashing.other);
  const d = input.dest;
  if (d.party === "first") out.push(rubric.destination.first_party);
  else if (d.party === "third") out.push(rubric.destination.third_party);
  if (cross) out.push(rubric.destination.cross_border);
  const p = d.purpose && rubric.destination.purposes[d.purpose];
  if (p) out.push(p);
  if (input.generic) out.push(rubric.generic);
  if (Number.isFinite(input.confidence)) {
    const band = rubric.confidence.find((b) => input.confidence < b.below);
    if (band) out.push(band);
  }
  if (input.kind === "location" && Number.isFinite(input.precision)) {
    const band = rubric.precision.find((b) => (input.precision as number) <= b.max_decimals);
    if (band) out.push(band);
  }
  return out;
}

function fromApplied(applied: Applied[], rubric: Rubric): Judgement {
  const score = applied.reduce((s, a) => s + a.points, 0);
  return { severity: levelFor(score, rubric), reasons: applied.map((a) => a.reason), score };
}

/** Level of a score under the rubric's thresholds. */
export function levelFor(score: number, rubric: Rubric): Severity {
  const t = rubric.thresholds;
  if (score >= t.critical) return "critical";
  if (score >= t.high) return "high";
  if (score >= t.medium) return "medium";
  if (score >= t.low) return "low";
  return "info";
}

/** The digest a finding was sent as (from its variant or chain), e.g. `SHA-256`. */
export function hashName(input: Pick<FindingInput, "variant" | "chain">): string | undefined {
  const v = /^(md5|sha1|sha224|sha256|sha384|sha512)-/.exec(String(input.variant ?? "").toLowerCase());
  if (v) return HASH_NAMES[v[1]];
  for (const step of Array.isArray(input.chain) ? input.chain : []) {
    const m = /^(md5|sha1|sha224|sha256|sha384|sha512)\(/.exec(String(step).toLowerCase());
    if (m) return HASH_NAMES[m[1]];
  }
  return undefined;
}

function reasonVars(input: FindingInput | undefined, d: Destination): Partial<Record<Placeholder, string>> {
  const vars: Partial<Record<Placeholder, string>> = {
    receiver: d.company ?? d.domain ?? d.host,
    host: d.host,
    company: d.company ?? "an unknown company",
    country: countryName(d.country) ?? "another country",
    purpose: d.purpose ?? "an unknown purpose",
  };
  if (!input) return vars;
  vars.label = input.label ?? KIND_NAMES[input.kind] ?? String(input.kind);
  const hash = hashName(input);
  if (hash) vars.hash = hash;
  if (Number.isFinite(input.precision)) vars.decimals = String(input.precision);
  if (Number.isFinite(input.confidence)) vars.confidence = input.confidence.toFixed(2);
  return vars;
}
