// Groupings of a report's findings the HTML sections share: by destination, and by destination country,
// each with its worst severity. Strings stay as the report holds them; escaping happens at rendering.

import type { EndpointRecord } from "../../model/endpoint.ts";
import type { FindingRecord } from "../../model/finding.ts";
import { type Severity, severityRank } from "../../model/judgement.ts";
import { isAlpha2 } from "./country-codes.ts";
import { severityOf } from "./format.ts";

/** Where a finding went: the attributed host, else the message's host, else the responder address. */
export function findingHost(f: FindingRecord): string {
  return String(f.dest?.host ?? f.host ?? f.resp_h ?? "");
}

/** The worse of two severities. */
export function worse(a: Severity | undefined, b: Severity): Severity {
  return a === undefined || severityRank(b) > severityRank(a) ? b : a;
}

/** The findings sent to one destination. */
export interface DestinationGroup {
  /** Host name (or IP) of the destination. */
  host: string;
  /** Findings, in report order (most severe first). */
  findings: FindingRecord[];
  /** Index of each finding in the report's list, for evidence anchors. */
  indexes: number[];
  /** Worst severity among them. */
  severity: Severity;
  /** The endpoint record of the same host, when the report has one. */
  endpoint?: EndpointRecord;
}

/** Findings grouped by destination host, worst group first, then by host name. */
export function groupByDestination(
  findings: FindingRecord[],
  endpoints: EndpointRecord[],
): DestinationGroup[] {
  const byHost = new Map<string, DestinationGroup>();
  findings.forEach((f, i) => {
    const host = findingHost(f);
    let g = byHost.get(host);
    if (!g) {
      g = { host, findings: [], indexes: [], severity: "info" };
      byHost.set(host, g);
    }
    g.findings.push(f);
    g.indexes.push(i);
    g.severity = worse(g.severity, severityOf(f.severity));
  });
  const endpointOf = new Map(endpoints.map((e) => [String(e.host), e]));
  for (const g of byHost.values()) g.endpoint = endpointOf.get(g.host);
  return [...byHost.values()].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.host.localeCompare(b.host),
  );
}

/** One destination country. */
export interface CountryGroup {
  /** alpha-2 code. */
  cc: string;
  /** Worst severity of the findings sent there (absent when none). */
  severity?: Severity;
  /** Findings sent there. */
  findings: number;
  /** Endpoints located there. */
  endpoints: number;
  /** Host names located there (at most a few, for the legend). */
  hosts: string[];
}

const HOSTS_PER_COUNTRY = 6;

/** Countries of findings (their destination's country) and of endpoints (all their countries). */
export function groupByCountry(findings: FindingRecord[], endpoints: EndpointRecord[]): CountryGroup[] {
  const byCc = new Map<string, CountryGroup>();
  const get = (cc: string): CountryGroup => {
    let g = byCc.get(cc);
    if (!g) {
      g = { cc, findings: 0, endpoints: 0, hosts: [] };
      byCc.set(cc, g);
    }
    return g;
  };
  for (const f of findings) {
    const cc = f.dest?.country;
    if (!isAlpha2(cc)) continue;
    const g = get(cc);
    g.findings++;
    g.severity = worse(g.severity, severityOf(f.severity));
  }
  for (const e of endpoints) {
    const ccs = new Set([e.country, ...(Array.isArray(e.countries) ? e.countries : [])].filter(isAlpha2));
    for (const cc of ccs) {
      const g = get(cc);
      g.endpoints++;
      if (g.hosts.length < HOSTS_PER_COUNTRY) g.hosts.push(String(e.host));
    }
  }
  return [...byCc.values()].sort(
    (a, b) =>
      (b.severity ? severityRank(b.severity) : -1) - (a.severity ? severityRank(a.severity) : -1) ||
      b.findings - a.findings ||
      a.cc.localeCompare(b.cc),
  );
}
