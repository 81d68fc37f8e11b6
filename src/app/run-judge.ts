// The judgement stage as the analysis run sees it: a severity for each finding, one for each endpoint that
// received no identifier, and the run's alert level. Built from the rubric, the companies file and a policy.

import type { Destination } from "../model/destination.ts";
import type { EndpointRecord } from "../model/endpoint.ts";
import type { FindingRecord } from "../model/finding.ts";
import type { Alert, Judgement, Severity } from "../model/judgement.ts";

/** What the run asks of the judge. */
export interface RunJudge {
  /** Severity of a finding whose destination is set, or "ignored" when a policy says so. */
  finding(f: FindingRecord, dest: Destination): Judgement | "ignored";
  /** Severity of an endpoint that received no identifier. */
  endpoint(dest: Destination): { severity: Severity; reasons: string[] };
  /** The alert level of the run. */
  alert(findings: readonly FindingRecord[], endpoints: readonly EndpointRecord[]): Alert;
}
