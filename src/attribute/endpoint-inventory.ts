// The endpoint inventory (issue 5): every destination the device contacted, with or without identifiers —
// bytes each way, connections, first/last seen, identifier kinds sent, countries. Bounded by MAX_ENDPOINTS.

import type { ConnRecord } from "../model/conn.ts";
import type { Destination, Transport } from "../model/destination.ts";
import type { EndpointRecord } from "../model/endpoint.ts";
import type { IdentifierKind } from "../model/finding.ts";
import { type Severity, severityRank } from "../model/judgement.ts";

/** Destinations kept; connections to further ones are counted under `overflow`. */
export const MAX_ENDPOINTS = 50_000;
/** Addresses and ports listed per endpoint. */
const MAX_LISTED = 16;

/** A judgement of an endpoint contacted with no identifier. */
export type EndpointJudge = (dest: Destination) => { severity: Severity; reasons: string[] };

/** Accumulates endpoints over a run (several inputs may share one inventory). */
export class EndpointInventory {
  private readonly byHost = new Map<string, EndpointRecord>();
  /** Connections to destinations beyond the bound. */
  overflow = 0;

  /** Number of endpoints. */
  get size(): number {
    return this.byHost.size;
  }

  /** A finished connection to `dest`. */
  addConn(c: ConnRecord, dest: Destination): void {
    const e = this.entry(dest, c.ts);
    if (!e) return;
    e.connections++;
    e.bytes_sent += c.orig_bytes;
    e.bytes_received += c.resp_bytes;
    e.last_ts = Math.max(e.last_ts, c.last_ts);
  }

  /** An exchange seen without packets (HAR, proxy): one connection per uid is counted by the caller. */
  addExchange(dest: Destination, ts: number, sent: number, received: number, newConn: boolean): void {
    const e = this.entry(dest, ts);
    if (!e) return;
    if (newConn) e.connections++;
    e.bytes_sent += sent;
    e.bytes_received += received;
    e.last_ts = Math.max(e.last_ts, ts);
  }

  /** A finding whose destination is `dest`. */
  addFinding(
    dest: Destination,
    ts: number,
    kind: IdentifierKind,
    severity?: Severity,
    reasons?: string[],
  ): void {
    const e = this.entry(dest, ts);
    if (!e) return;
    e.findings++;
    if (!e.kinds.includes(kind)) e.kinds.push(kind);
    if (severity && (e.findings === 1 || severityRank(severity) > severityRank(e.severity))) {
      e.severity = severity;
      e.reasons = reasons ?? [];
    }
  }

  /** The endpoints, most severe first, then by bytes sent; endpoints with no finding judged by `judge`. */
  records(judge?: EndpointJudge): EndpointRecord[] {
    const list = [...this.byHost.values()];
    if (judge) {
      for (const e of list) {
        if (e.findings > 0) continue;
        const j = judge(destOf(e));
        e.severity = j.severity;
        e.reasons = j.reasons;
      }
    }
    return list.sort(
      (a, b) => severityRank(b.severity) - severityRank(a.severity) || b.bytes_sent - a.bytes_sent,
    );
  }

  private entry(d: Destination, ts: number): EndpointRecord | undefined {
    let e = this.byHost.get(d.host);
    if (!e) {
      if (this.byHost.size >= MAX_ENDPOINTS) {
        this.overflow++;
        return undefined;
      }
      e = newEndpoint(d, ts);
      this.byHost.set(d.host, e);
    }
    merge(e, d, ts);
    return e;
  }
}

function newEndpoint(d: Destination, ts: number): EndpointRecord {
  const e: EndpointRecord = {
    type: "endpoint",
    host: d.host,
    host_source: d.host_source,
    ips: [],
    ports: [],
    ip_class: d.ip_class,
    countries: [],
    party: d.party,
    transports: [],
    connections: 0,
    bytes_sent: 0,
    bytes_received: 0,
    first_ts: ts,
    last_ts: ts,
    kinds: [],
    findings: 0,
    severity: "info",
    reasons: [],
  };
  for (const k of ["country", "asn", "as_org", "domain", "company", "company_country", "purpose"] as const) {
    if (d[k] !== undefined) (e as unknown as Record<string, unknown>)[k] = d[k];
  }
  return e;
}

function merge(e: EndpointRecord, d: Destination, ts: number): void {
  if (d.ip && !e.ips.includes(d.ip) && e.ips.length < MAX_LISTED) e.ips.push(d.ip);
  if (!e.ports.includes(d.port) && e.ports.length < MAX_LISTED) e.ports.push(d.port);
  if (d.country && !e.countries.includes(d.country)) e.countries.push(d.country);
  if (e.country === undefined && d.country) {
    e.country = d.country;
    e.asn = d.asn;
    e.as_org = d.as_org;
  }
  if (!e.transports.includes(d.transport)) e.transports.push(d.transport as Transport);
  if (d.cross_border) e.cross_border = true;
  else if (d.cross_border === false && e.cross_border === undefined) e.cross_border = false;
  e.first_ts = Math.min(e.first_ts, ts);
}

/** An endpoint seen as a destination, for judging it. */
function destOf(e: EndpointRecord): Destination {
  return {
    host: e.host,
    host_source: e.host_source,
    ip: e.ips[0] ?? "",
    port: e.ports[0] ?? 0,
    ip_class: e.ip_class,
    country: e.country,
    asn: e.asn,
    as_org: e.as_org,
    domain: e.domain,
    company: e.company,
    company_country: e.company_country,
    purpose: e.purpose,
    party: e.party,
    transport: e.transports[0] ?? "cleartext",
    cross_border: e.cross_border,
  };
}
