// The attribution stage: watches the records of a run and says who received each finding and connection —
// name (with its evidence), address owner (country, AS), company and purpose, first or third party, how the
// bytes travelled and whether they crossed the border. Lookups are injected so tests and faces choose them.

import type { PipelineRecord } from "../app/record-sink.ts";
import { NameTable } from "../decode/dns/name-table.ts";
import type { ConnId, ConnRecord } from "../model/conn.ts";
import type { CompanyInfo, Destination, HostSource, IpInfo, Transport } from "../model/destination.ts";
import type { FindingRecord } from "../model/finding.ts";
import type { HttpRecord } from "../model/http.ts";
import { type FirstParty, partyOf } from "./company/party.ts";
import { type ConnEvidence, certHost, chooseHost, hostFromHeader } from "./host-evidence.ts";

/** IP → class, country, AS. */
export interface IpResolver {
  /** Never throws; unknown parts are left out. */
  lookup(ip: string): IpInfo;
}

/** Host → company and registrable domain. */
export interface CompanyResolver {
  /** Company and purpose of a host name, when known. */
  lookup(host: string): CompanyInfo | undefined;
  /** Registrable domain of a host name; undefined for IPs. */
  domainOf(host: string): string | undefined;
}

/** How the attributor is set up. */
export interface AttributorOptions {
  /** Address lookups. */
  ip: IpResolver;
  /** Domain lookups. */
  companies: CompanyResolver;
  /** Home country (ISO alpha-2) for the cross-border flag. */
  home?: string;
  /** First-party definition. */
  firstParty?: FirstParty;
}

/** Connections whose evidence is kept at once; the oldest is dropped beyond this. */
const MAX_LIVE = 200_000;
/** Destinations cached by (host, ip). */
const MAX_CACHED = 20_000;
/** Names listed in `other_names`. */
const MAX_OTHER_NAMES = 10;

/** One run's attribution. */
export type { FirstParty };

/** One run's attribution. */
export class Attributor {
  private readonly names = new NameTable();
  private readonly queried = new Set<string>();
  private readonly live = new Map<string, ConnEvidence>();
  private readonly cache = new Map<string, Omit<Destination, "port" | "transport">>();

  constructor(private readonly opts: AttributorOptions) {}

  /** Learns from a record: DNS answers, SNI, certificate names, HTTP hosts, decryption. */
  observe(r: PipelineRecord): void {
    switch (r.type) {
      case "dns":
        this.names.add(r);
        if (r.query && this.queried.size < MAX_CACHED) this.queried.add(r.query.toLowerCase());
        return;
      case "tls": {
        const ev = this.evidence(r.uid);
        ev.tls = true;
        ev.decrypted = r.decrypted;
        if (r.server_name) ev.sni ??= r.server_name.toLowerCase();
        ev.cert ??= certHost(r.cert_subject_cn, r.cert_san);
        return;
      }
      case "quic": {
        const ev = this.evidence(r.uid);
        ev.quic = true;
        if (r.server_name) ev.sni ??= r.server_name.toLowerCase();
        return;
      }
      case "http":
        this.http(r);
        return;
    }
  }

  /** The receiver of a finding: its request's host when it had one, else the connection's best name. */
  findingDest(f: FindingRecord): Destination {
    const ev = this.live.get(f.uid);
    const hinted = f.host !== undefined ? hostFromHeader(f.host, f.resp_h) : undefined;
    let choice: { host: string; source: HostSource } | undefined;
    if (hinted) choice = { host: hinted, source: hinted === ev?.sni && !ev?.http ? "sni" : "http" };
    const dest = this.destination(f, f.ts, choice, ev);
    dest.transport = f.transport !== "cleartext" ? f.transport : this.connTransport(ev, false);
    if (f.transport === "cleartext" && f.chain[0]?.startsWith("tls.")) dest.transport = "cleartext";
    return dest;
  }

  /** The receiver of a finished connection; its evidence is forgotten afterwards. */
  connDest(c: ConnRecord): Destination {
    const ev = this.live.get(c.uid);
    const dest = this.destination(c, c.ts, undefined, ev);
    dest.transport = this.connTransport(ev, c.service === "quic");
    this.live.delete(c.uid);
    return dest;
  }

  /** The receiver of a HAR exchange (no conn record): the URL's host. */
  httpDest(r: HttpRecord): Destination {
    const host = hostFromHeader(r.host, r.resp_h);
    const dest = this.destination(r, r.ts, host ? { host, source: "http" } : undefined, undefined);
    dest.transport = r.transport === "har" || r.transport === "proxy" ? r.transport : "cleartext";
    return dest;
  }

  private http(r: HttpRecord): void {
    if (r.transport === "har") return;
    const host = hostFromHeader(r.host, r.resp_h);
    if (!host) return;
    const ev = this.evidence(r.uid);
    ev.http ??= host;
    if (r.transport === "tls-decrypted") ev.decrypted = true;
  }

  private evidence(uid: string): ConnEvidence {
    let ev = this.live.get(uid);
    if (!ev) {
      if (this.live.size >= MAX_LIVE) this.live.delete(this.live.keys().next().value!);
      ev = {};
      this.live.set(uid, ev);
    }
    return ev;
  }

  private connTransport(ev: ConnEvidence | undefined, quic: boolean): Transport {
    if (ev?.decrypted) return "tls-decrypted";
    if (ev?.quic || quic) return "quic";
    if (ev?.tls) return "tls";
    return "cleartext";
  }

  private destination(
    c: ConnId,
    ts: number,
    hint: { host: string; source: HostSource } | undefined,
    ev: ConnEvidence | undefined,
  ): Destination {
    const ip = c.resp_h;
    const dnsNames = ip ? this.dnsNames(ip, ts) : [];
    const choice = hint ?? chooseHost(ip, ev, dnsNames);
    const others = dnsNames.filter((n) => n !== choice.host).slice(0, MAX_OTHER_NAMES);
    const base = this.base(choice.host, choice.source, ip);
    const dest: Destination = { ...base, port: c.resp_p, transport: "cleartext" };
    if (others.length > 0) dest.other_names = others;
    return dest;
  }

  /** DNS names for an IP at a time, the names the phone asked for first. */
  private dnsNames(ip: string, ts: number): string[] {
    const names = this.names.namesFor(ip, ts);
    if (names.length < 2) return names;
    return [...names.filter((n) => this.queried.has(n)), ...names.filter((n) => !this.queried.has(n))];
  }

  private base(host: string, source: HostSource, ip: string): Omit<Destination, "port" | "transport"> {
    const key = `${host}|${ip}|${source}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const info: IpInfo = ip ? this.opts.ip.lookup(ip) : { ip_class: "unspecified" };
    const named = source !== "ip";
    const company = named ? this.opts.companies.lookup(host) : undefined;
    const domain = named ? this.opts.companies.domainOf(host) : undefined;
    const b: Omit<Destination, "port" | "transport"> = {
      host,
      host_source: source,
      ip,
      ...info,
      party: "unknown",
    };
    if (domain) b.domain = domain;
    if (company) {
      b.company = company.company;
      if (company.company_country) b.company_country = company.company_country;
      b.purpose = company.purpose;
    } else if (info.as_org) b.company = info.as_org;
    b.party = partyOf(b.company, domain, this.opts.firstParty ?? {});
    const home = this.opts.home;
    if (home && info.country) b.cross_border = info.country !== home;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, b);
    return b;
  }
}
