// The lookups and rules an analysis run uses, built once from the user's options: offline IP tables,
// the companies file (ours, plus the user's), the severity rubric and an organisation's policy.

import { loadCompaniesFile } from "../attribute/company/companies-file.ts";
import { CompanyDb } from "../attribute/company/company-db.ts";
import { GEO_CREDITS } from "../attribute/geo/geo-credits.ts";
import { IpLookup } from "../attribute/geo/ip-lookup.ts";
import { loadPolicy, type Policy } from "../judge/policy.ts";
import { loadRubric, type Rubric } from "../judge/rubric.ts";
import type { ReportCredit } from "../report/report-types.ts";
import type { AnalyzeRunOptions } from "./analyze-run.ts";
import { makeRunJudge } from "./run-judge.ts";

/** Files that change the defaults. */
export interface ServiceFiles {
  /** Policy YAML. */
  policy?: string;
  /** Rubric override YAML. */
  rubric?: string;
  /** Extra companies YAML (wins over ours). */
  companies?: string;
}

/** The services part of AnalyzeRunOptions, plus the policy's home country. */
export type RunServices = Pick<AnalyzeRunOptions, "ip" | "companies" | "judge" | "credits"> & {
  /** Home country the policy sets, if any. */
  policyHome?: string;
};

/** Our own companies data, credited beside the licensed sources. */
const OWN_DATA: ReportCredit = {
  source: "phonehome companies and severity data (written by the phonehome project)",
  licence: "MIT or CC0",
  url: "data/companies.yaml, data/severity.yaml",
  what: "domain → company and purpose; severity rubric",
};

/** Loaded rules, reusable across runs (the judge itself is per run). */
export interface LoadedRules {
  ip: IpLookup;
  companies: CompanyDb;
  rubric: Rubric;
  policy?: Policy;
}

/** Loads the files once. Throws PolicyError / RubricError / CompaniesError with a line per bad field. */
export function loadRules(files: ServiceFiles = {}): LoadedRules {
  const extra = files.companies ? loadCompaniesFile(files.companies) : undefined;
  return {
    ip: new IpLookup(),
    companies: new CompanyDb(extra ? { extra } : {}),
    rubric: loadRubric(files.rubric),
    policy: files.policy ? loadPolicy(files.policy) : undefined,
  };
}

/** Services for one run (a fresh judge, so each run's alert is its own). */
export function runServices(rules: LoadedRules): RunServices {
  const s: RunServices = {
    ip: rules.ip,
    companies: rules.companies,
    judge: makeRunJudge(rules.rubric, rules.policy),
    credits: [...GEO_CREDITS, OWN_DATA],
  };
  if (rules.policy?.home_country) s.policyHome = rules.policy.home_country;
  return s;
}
