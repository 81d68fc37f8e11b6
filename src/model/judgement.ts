// Severity of a finding and alert level of a run: a closed scale shared by the rubric (data/severity.yaml),
// policy files, `--fail-on`, and every output.

/** Severity levels, lowest first. */
export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank of a level (info 0 … critical 4), for comparisons. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The judgement of one finding. */
export interface Judgement {
  /** Severity level. */
  severity: Severity;
  /** Why, strongest first, each a short sentence fragment (`IMEI is a permanent device identifier`). */
  reasons: string[];
  /** Numeric score behind the level (rubric points), for ordering findings of the same level. */
  score: number;
}

/** The alert level of a run. */
export interface Alert {
  /** Highest severity among the run's findings and endpoints (`info` when nothing was found). */
  level: Severity;
  /** The three strongest reasons. */
  reasons: string[];
  /** One sentence, as an agency would phrase an alert to its people. */
  summary: string;
}
