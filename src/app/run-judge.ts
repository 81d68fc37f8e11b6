// The judgement stage as the analysis run sees it: a severity for each finding, one for each endpoint that
// received no identifier, and the run's alert level — from the rubric (data/severity.yaml or a user's) and
// an organisation's policy. One per run: it remembers what the alert sentence needs.

import { type AlertItem, alertFor } from "../judge/alert.ts";
import { judgeEndpoint, judgeFinding } from "../judge/judge.ts";
import type { Policy } from "../judge/policy.ts";
import type { Rubric } from "../judge/rubric.ts";
import type { Destination } from "../model/destination.ts";
import type { FindingRecord } from "../model/finding.ts";
import type { Alert, Judgement, Severity } from "../model/judgement.ts";

/** Distinct alert items kept (one per kind × receiver × country × transport). */
const MAX_ITEMS = 10_000;
/** Judgements remembered: a run repeats the same identifier to the same receiver many times. */
const MAX_CACHED = 10_000;

/** What the run asks of the judge. */
export interface RunJudge {
  /** Severity of a finding given its destination, or "ignored" when a policy says so. */
  finding(f: FindingRecord, dest: Destination): Judgement | "ignored";
  /** Severity of an endpoint that received no identifier. */
  endpoint(dest: Destination): { severity: Severity; reasons: string[] };
  /** The alert level of everything judged so far. */
  alert(): Alert;
}

/** A judge over a rubric and an optional policy. */
export function makeRunJudge(rubric: Rubric, policy?: Policy): RunJudge {
  const items = new Map<string, AlertItem>();
  const keep = (key: string, item: AlertItem) => {
    const old = items.get(key);
    if (old ? item.score > old.score : items.size < MAX_ITEMS) items.set(key, item);
  };
  const cache = new Map<string, Judgement | "ignored">();
  const judged = (f: FindingRecord, dest: Destination): Judgement | "ignored" => {
    // Everything judgeFinding reads: the finding's own fields and the whole destination.
    const key = `${f.kind}|${f.label}|${f.generic}|${f.confidence}|${f.variant}|${f.precision}|${f.chain.join("\u203a")}|${JSON.stringify(dest)}`;
    let j = cache.get(key);
    if (j === undefined) {
      j = judgeFinding({ ...f, transport: dest.transport, dest }, rubric, policy);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(key, j);
    }
    return j;
  };
  return {
    finding(f, dest) {
      const j = judged(f, dest);
      if (j === "ignored") return j;
      const item: AlertItem = {
        ...j,
        kind: f.kind,
        label: f.label,
        host: dest.host,
        transport: dest.transport,
      };
      if (dest.company) item.company = dest.company;
      if (dest.country) item.country = dest.country;
      keep(`${f.kind}|${f.label}|${dest.company ?? dest.host}|${dest.country}|${dest.transport}`, item);
      return j;
    },
    endpoint(dest) {
      const j = judgeEndpoint(dest, policy, rubric);
      if (j === "ignored") return { severity: "info", reasons: ["ignored by policy"] };
      if (j.severity !== "info") {
        const item: AlertItem = { ...j, host: dest.host, transport: dest.transport };
        if (dest.company) item.company = dest.company;
        if (dest.country) item.country = dest.country;
        keep(`endpoint|${dest.host}`, item);
      }
      return { severity: j.severity, reasons: j.reasons };
    },
    alert: () => alertFor([...items.values()]),
  };
}
