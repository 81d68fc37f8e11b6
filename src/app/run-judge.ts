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
  return {
    finding(f, dest) {
      const input = { ...f, transport: dest.transport, dest };
      const j = judgeFinding(input, rubric, policy);
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
