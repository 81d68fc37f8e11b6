// `diff`: two runs side by side (before and after an update, two phones, two apps): which identifier went
// to which destination by which transport, row by row added / removed / unchanged / changed, the alert
// before and after, and one sentence saying what changed.

import type { Transport } from "../model/destination.ts";
import type { FindingRecord, IdentifierKind } from "../model/finding.ts";
import { type Alert, type Severity, severityRank } from "../model/judgement.ts";
import type { AnalysisReport } from "../report/report-types.ts";

/** Row states. */
export const DIFF_STATUSES = ["added", "removed", "changed", "unchanged"] as const;
export type DiffStatus = (typeof DIFF_STATUSES)[number];

/** One side of a row. */
export interface DiffSide {
  /** Findings behind it. */
  count: number;
  /** Transports seen. */
  transports: Transport[];
  /** Countries seen. */
  countries: string[];
  /** Highest severity. */
  severity: Severity;
}

/** Identifier × destination. */
export interface DiffRow {
  /** Identifier kind. */
  kind: IdentifierKind;
  /** Its label (e.g. `IMEI`). */
  label: string;
  /** Destination host. */
  host: string;
  /** Company of the destination. */
  company?: string;
  /** What happened. */
  status: DiffStatus;
  /** The change in words, e.g. `cleartext → tls-decrypted`, `new country CN`, `no longer sent`. */
  change?: string;
  /** Before, when it was seen before. */
  before?: DiffSide;
  /** After, when it is seen after. */
  after?: DiffSide;
}

/** The diff document. */
export interface DiffReport {
  /** Layout version. */
  schema: "phonehome.diff/1";
  /** Inputs and alert of each run. */
  before: { inputs: string[]; alert: Alert };
  /** The later run. */
  after: { inputs: string[]; alert: Alert };
  /** Rows, changes first. */
  rows: DiffRow[];
  /** Destinations contacted only after / only before. */
  endpoints: { added: string[]; removed: string[] };
  /** One sentence. */
  verdict: string;
}

/** Compares two runs. */
export function diffReports(before: AnalysisReport, after: AnalysisReport): DiffReport {
  const a = sides(before.findings);
  const b = sides(after.findings);
  const afterHosts = new Map(after.endpoints.map((e) => [e.host, e]));
  const rows: DiffRow[] = [];
  for (const [key, s] of a) rows.push(rowOf(s, b.get(key), afterHosts));
  for (const [key, s] of b) if (!a.has(key)) rows.push({ ...meta(s), status: "added", after: s.side });
  rows.sort((x, y) => DIFF_STATUSES.indexOf(x.status) - DIFF_STATUSES.indexOf(y.status));
  const hostsBefore = new Set(before.endpoints.map((e) => e.host));
  const hostsAfter = new Set(after.endpoints.map((e) => e.host));
  const endpoints = {
    added: [...hostsAfter].filter((h) => !hostsBefore.has(h)),
    removed: [...hostsBefore].filter((h) => !hostsAfter.has(h)),
  };
  return {
    schema: "phonehome.diff/1",
    before: { inputs: before.inputs.map((i) => i.file), alert: before.alert },
    after: { inputs: after.inputs.map((i) => i.file), alert: after.alert },
    rows,
    endpoints,
    verdict: verdictOf(rows, before.alert, after.alert),
  };
}

interface Acc {
  kind: IdentifierKind;
  label: string;
  host: string;
  company?: string;
  side: DiffSide;
}

function sides(findings: readonly FindingRecord[]): Map<string, Acc> {
  const m = new Map<string, Acc>();
  for (const f of findings) {
    const host = f.dest?.host ?? f.host ?? f.resp_h;
    const key = `${f.kind}|${f.label}|${host}`;
    let acc = m.get(key);
    if (!acc) {
      const side: DiffSide = { count: 0, transports: [], countries: [], severity: "info" };
      acc = { kind: f.kind, label: f.label, host, company: f.dest?.company, side };
      m.set(key, acc);
    }
    const s = acc.side;
    s.count++;
    const t = f.dest?.transport ?? f.transport;
    if (!s.transports.includes(t)) s.transports.push(t);
    const country = f.dest?.country;
    if (country && !s.countries.includes(country)) s.countries.push(country);
    if (f.severity && severityRank(f.severity) > severityRank(s.severity)) s.severity = f.severity;
  }
  return m;
}

function meta(s: Acc): Pick<DiffRow, "kind" | "label" | "host" | "company"> {
  return s.company === undefined
    ? { kind: s.kind, label: s.label, host: s.host }
    : { kind: s.kind, label: s.label, host: s.host, company: s.company };
}

function rowOf(
  s: Acc,
  other: Acc | undefined,
  afterHosts: Map<string, { transports: Transport[] }>,
): DiffRow {
  if (!other) {
    const ep = afterHosts.get(s.host);
    const hidden = ep?.transports.some((t) => t === "tls" || t === "quic");
    const change = hidden ? `not visible: now ${ep!.transports.join("/")} without keys` : "no longer sent";
    return { ...meta(s), status: "removed", change, before: s.side };
  }
  const changes: string[] = [];
  const t0 = s.side.transports.slice().sort().join("/");
  const t1 = other.side.transports.slice().sort().join("/");
  if (t0 !== t1) changes.push(`${t0} → ${t1}`);
  const newCountries = other.side.countries.filter((c) => !s.side.countries.includes(c));
  if (newCountries.length > 0) changes.push(`new country ${newCountries.join("/")}`);
  const status: DiffStatus = changes.length > 0 ? "changed" : "unchanged";
  const row: DiffRow = { ...meta(s), status, before: s.side, after: other.side };
  if (changes.length > 0) row.change = changes.join("; ");
  return row;
}

/** One sentence: what a reader of the two runs should take away. */
export function verdictOf(rows: readonly DiffRow[], before: Alert, after: Alert): string {
  const count = (st: DiffStatus) => rows.filter((r) => r.status === st).length;
  const encrypted = rows.filter(
    (r) =>
      r.status === "changed" &&
      r.before?.transports.includes("cleartext") &&
      !r.after?.transports.includes("cleartext"),
  ).length;
  const parts: string[] = [];
  if (encrypted > 0) {
    const all = encrypted === rows.filter((r) => r.status !== "added").length;
    parts.push(
      `${all ? "the same identifiers still go to the same destinations" : `${encrypted} identifier flows still go to the same destinations`}, now encrypted (TLS) instead of in clear text`,
    );
  }
  const other = count("changed") - encrypted;
  if (other > 0) parts.push(`${other} flows changed destination country or transport`);
  if (count("added") > 0) parts.push(`${count("added")} new identifier flows appeared`);
  const gone = rows.filter((r) => r.status === "removed");
  const hidden = gone.filter((r) => r.change?.startsWith("not visible")).length;
  if (gone.length - hidden > 0) parts.push(`${gone.length - hidden} identifier flows are no longer sent`);
  if (hidden > 0) parts.push(`${hidden} flows can no longer be inspected (encrypted, no keys)`);
  if (parts.length === 0)
    parts.push(rows.length === 0 ? "neither run sent any identifier" : "nothing changed");
  const level =
    before.level === after.level
      ? `alert level stays ${after.level}`
      : `alert level ${before.level} → ${after.level}`;
  const text = `${parts.join("; ")} (${level}).`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
