// Builders of realistic AnalysisReport documents for tests of the report outputs (HTML, terminal, JSON,
// diff): the 2014 Redmi 1S story (identifiers in clear HTTP to Xiaomi in Beijing, an idle connection to a
// CNNIC address), and a hostile variant whose every traffic-borne string carries an injection payload.

import { maskValue } from "../../src/detect/mask.ts";
import type { EndpointRecord } from "../../src/model/endpoint.ts";
import type { FindingRecord, IdentifierKind } from "../../src/model/finding.ts";
import type { AnalysisReport, ReportConnection } from "../../src/report/report-types.ts";
import { REPORT_SCHEMA } from "../../src/report/report-types.ts";

/** 2014-08-10 09:00:00 UTC, the sample capture's start. */
export const SAMPLE_T0 = Date.UTC(2014, 7, 10, 9, 0, 0) / 1000;

/** The sample device's planted values (a test IMEI with a valid Luhn digit, Finnish test numbers). */
export const SAMPLE_VALUES = {
  imei: "861234567890127",
  phone: "+358401234567",
  carrier: "Elisa",
  contact: "+358407654321",
  sms: "+358409876543",
} as const;

/** A finding to `api.account.xiaomi.com` (cleartext, CN); override any field. */
export function sampleFinding(over: Partial<FindingRecord> = {}): FindingRecord {
  return {
    type: "finding",
    ts: SAMPLE_T0 + 12.5,
    uid: "CxR3mi1",
    community_id: "1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
    orig_h: "192.168.43.101",
    orig_p: 40312,
    resp_h: "42.62.48.10",
    resp_p: 80,
    kind: "imei",
    label: "IMEI",
    value_masked: maskValue(SAMPLE_VALUES.imei),
    chain: ["http.body", "form imei", "exact"],
    generic: false,
    confidence: 1,
    frames: [17, 18],
    field: "form:imei",
    direction: "to_server",
    host: "api.account.xiaomi.com",
    url: "http://api.account.xiaomi.com/pass/v3/activate",
    variant: "exact",
    transport: "cleartext",
    excerpt: `…POST body: sid=passport&imei=${maskValue(SAMPLE_VALUES.imei)}&phone=…`,
    dest: {
      host: "api.account.xiaomi.com",
      host_source: "http",
      ip: "42.62.48.10",
      port: 80,
      ip_class: "public",
      country: "CN",
      asn: 4808,
      as_org: "China Unicom Beijing Province Network",
      domain: "xiaomi.com",
      company: "Xiaomi",
      company_country: "CN",
      purpose: "vendor",
      party: "first",
      transport: "cleartext",
      cross_border: true,
    },
    severity: "critical",
    reasons: [
      "IMEI is a permanent device identifier",
      "sent unencrypted",
      "sent to China, outside the home country",
    ],
    filter: "tcp.stream == 3 && frame.number >= 17 && frame.number <= 18",
    ...over,
  };
}

/** A finding of another kind to the same request, masked like the real output. */
function planted(
  kind: IdentifierKind,
  label: string,
  value: string,
  field: string,
  extra = {},
): FindingRecord {
  return sampleFinding({
    kind,
    label,
    value_masked: maskValue(value),
    field,
    chain: ["http.body", `form ${field.slice(5)}`, "e164"],
    variant: "e164",
    excerpt: `…&${field.slice(5)}=${maskValue(value)}&…`,
    reasons: [
      `the ${label} identifies a person`,
      "sent unencrypted",
      "sent to China, outside the home country",
    ],
    ...extra,
  });
}

/** The sample's findings, most severe first (as the report orders them). */
export function sampleFindings(): FindingRecord[] {
  const mistat = {
    ...sampleFinding().dest!,
    host: "data.mistat.xiaomi.com",
    ip: "42.62.48.20",
    port: 443,
    transport: "tls-decrypted" as const,
    purpose: "oem-telemetry" as const,
  };
  const adjust = {
    host: "app.adjust.com",
    host_source: "sni" as const,
    ip: "185.151.204.10",
    port: 443,
    ip_class: "public" as const,
    country: "DE",
    asn: 61273,
    as_org: "adeven GmbH",
    domain: "adjust.com",
    company: "Adjust",
    company_country: "DE",
    purpose: "analytics" as const,
    party: "third" as const,
    transport: "tls-decrypted" as const,
    cross_border: true,
  };
  return [
    sampleFinding(),
    planted("phone_number", "phone number", SAMPLE_VALUES.phone, "form:phone", { frames: [18, 18] }),
    planted("contact_phone", 'contact "Li Wei" phone', SAMPLE_VALUES.contact, "form:contacts", {
      ts: SAMPLE_T0 + 13,
    }),
    planted("sms_number", "SMS number", SAMPLE_VALUES.sms, "form:sms", { ts: SAMPLE_T0 + 13.2 }),
    sampleFinding({
      ts: SAMPLE_T0 + 40,
      uid: "CmSt4t2",
      resp_h: "42.62.48.20",
      resp_p: 443,
      host: "data.mistat.xiaomi.com",
      url: "https://data.mistat.xiaomi.com/mistats/v2",
      chain: ["http.body", "gzip", "json $.d", "base64", "md5(imei)"],
      variant: "md5-hex",
      field: "json:$.d",
      transport: "tls-decrypted",
      frames: [41, 44],
      dest: mistat,
      severity: "high",
      reasons: ["IMEI is a permanent device identifier", "hashing does not hide a stable identifier"],
      filter: "tcp.stream == 7",
      excerpt: '…{"v":2,"d":"••••••••••••••••••••••••","t":1407661240}…',
    }),
    planted("carrier", "carrier", SAMPLE_VALUES.carrier, "form:carrier", {
      chain: ["http.body", "form carrier", "exact"],
      variant: "exact",
      severity: "medium",
      reasons: ["carrier name narrows down the subscriber", "sent unencrypted"],
    }),
    sampleFinding({
      ts: SAMPLE_T0 + 95,
      uid: "CAdj5t3",
      resp_h: "185.151.204.10",
      resp_p: 443,
      kind: "aaid",
      label: "advertising ID (generic)",
      value_masked: "38400•••••••••••••••••••••••••••0b7d",
      generic: true,
      confidence: 0.8,
      host: "app.adjust.com",
      url: "https://app.adjust.com/session",
      chain: ["http.body", "form gps_adid", "exact"],
      field: "form:gps_adid",
      transport: "tls-decrypted",
      frames: [90, 92],
      dest: adjust,
      severity: "medium",
      reasons: ["advertising ID tracks the user across apps", "third party"],
      filter: "tcp.stream == 11",
      excerpt: "…gps_adid=38400•••••••••••••••••••••••••••0b7d&…",
    }),
  ];
}

/** An endpoint record; override any field. */
export function sampleEndpoint(over: Partial<EndpointRecord> = {}): EndpointRecord {
  return {
    type: "endpoint",
    host: "connectivitycheck.gstatic.com",
    host_source: "dns",
    ips: ["142.250.74.3"],
    ports: [80],
    ip_class: "public",
    country: "US",
    countries: ["US"],
    asn: 15169,
    as_org: "GOOGLE",
    domain: "gstatic.com",
    company: "Google",
    company_country: "US",
    purpose: "connectivity-check",
    party: "third",
    transports: ["cleartext"],
    cross_border: true,
    connections: 1,
    bytes_sent: 220,
    bytes_received: 180,
    first_ts: SAMPLE_T0 + 2,
    last_ts: SAMPLE_T0 + 2.3,
    kinds: [],
    findings: 0,
    severity: "info",
    reasons: [],
    ...over,
  };
}

/** Endpoints of the sample: the three receivers of findings and three contacted with no identifier. */
export function sampleEndpoints(): EndpointRecord[] {
  const xiaomi = { ip_class: "public" as const, country: "CN", countries: ["CN"], asn: 4808 };
  const org = { as_org: "China Unicom Beijing Province Network", domain: "xiaomi.com", company: "Xiaomi" };
  return [
    sampleEndpoint({
      ...xiaomi,
      ...org,
      host: "api.account.xiaomi.com",
      host_source: "http",
      ips: ["42.62.48.10"],
      purpose: "vendor",
      party: "first",
      transports: ["cleartext"],
      first_ts: SAMPLE_T0 + 12,
      last_ts: SAMPLE_T0 + 14,
      kinds: ["imei", "phone_number", "contact_phone", "sms_number", "carrier"],
      findings: 5,
      severity: "critical",
      reasons: ["IMEI is a permanent device identifier"],
    }),
    sampleEndpoint({
      ...xiaomi,
      ...org,
      host: "data.mistat.xiaomi.com",
      host_source: "sni",
      ips: ["42.62.48.20"],
      purpose: "oem-telemetry",
      party: "first",
      transports: ["tls-decrypted"],
      first_ts: SAMPLE_T0 + 39,
      last_ts: SAMPLE_T0 + 45,
      kinds: ["imei"],
      findings: 1,
      severity: "high",
    }),
    sampleEndpoint({
      host: "app.adjust.com",
      host_source: "sni",
      ips: ["185.151.204.10"],
      country: "DE",
      countries: ["DE"],
      asn: 61273,
      as_org: "adeven GmbH",
      company: "Adjust",
      purpose: "analytics",
      transports: ["tls-decrypted"],
      first_ts: SAMPLE_T0 + 94,
      last_ts: SAMPLE_T0 + 97,
      kinds: ["aaid"],
      findings: 1,
      severity: "medium",
    }),
    sampleEndpoint(),
    sampleEndpoint({
      host: "1.2.4.8",
      host_source: "ip",
      ips: ["1.2.4.8"],
      ports: [53],
      country: "CN",
      countries: ["CN"],
      asn: 24406,
      as_org: "China Internet Network Information Center",
      domain: undefined,
      company: "China Internet Network Information Center",
      company_country: undefined,
      purpose: undefined,
      party: "unknown",
      transports: ["cleartext"],
      first_ts: SAMPLE_T0 + 60,
      last_ts: SAMPLE_T0 + 61,
      severity: "low",
      reasons: ["contacted by the idle device with no name", "outside the home country (CN)"],
    }),
    sampleEndpoint({
      host: "192.168.43.1",
      host_source: "ip",
      ips: ["192.168.43.1"],
      ports: [53],
      ip_class: "private",
      country: undefined,
      countries: [],
      asn: undefined,
      as_org: undefined,
      domain: undefined,
      company: undefined,
      company_country: undefined,
      purpose: "dns",
      party: "unknown",
      transports: ["cleartext"],
      cross_border: undefined,
      connections: 4,
      first_ts: SAMPLE_T0 + 1,
      last_ts: SAMPLE_T0 + 94,
    }),
  ];
}

/** One timeline connection per endpoint (two for the Xiaomi API), derived from the endpoints. */
export function sampleConnections(endpoints: EndpointRecord[]): ReportConnection[] {
  return endpoints.flatMap((e, i) => {
    const base: ReportConnection = {
      ts: e.first_ts,
      last_ts: e.last_ts,
      uid: `Csample${i}`,
      host: e.host,
      port: e.ports[0] ?? 443,
      proto: e.ports[0] === 53 ? "udp" : "tcp",
      service: e.ports[0] === 53 ? "dns" : e.transports[0] === "cleartext" ? "http" : "tls",
      country: e.country,
      transport: e.transports[0] ?? "tls",
      bytes_sent: e.bytes_sent,
      bytes_received: e.bytes_received,
      findings: e.findings,
    };
    return e.findings > 1
      ? [base, { ...base, uid: `${base.uid}b`, ts: e.last_ts + 30, last_ts: e.last_ts + 31 }]
      : [base];
  });
}

/** The whole sample report; override any top-level field. */
export function sampleReport(over: Partial<AnalysisReport> = {}): AnalysisReport {
  const findings = over.findings ?? sampleFindings();
  const endpoints = over.endpoints ?? sampleEndpoints();
  const connections = over.connections ?? sampleConnections(endpoints);
  return {
    schema: REPORT_SCHEMA,
    tool: { name: "phonehome", version: "0.1.0" },
    generated: "2014-08-10T12:00:00.000Z",
    inputs: [
      {
        file: "redmi-1s-first-test.pcapng",
        sha256: "9f2c4b0e5d7a3c1b8e6f4a2d0c9b7e5f3a1d8c6b4e2f0a9d7c5b3e1f8a6d4c2b",
        format: "pcapng",
        packets: 1204,
        bytes: 412_332,
        first_ts: SAMPLE_T0,
        last_ts: SAMPLE_T0 + 180,
      },
    ],
    profile: {
      device: "Xiaomi Redmi 1S (sample)",
      home_country: "FI",
      values: [
        { kind: "imei", label: "IMEI", value_masked: maskValue(SAMPLE_VALUES.imei) },
        { kind: "phone_number", label: "phone number", value_masked: maskValue(SAMPLE_VALUES.phone) },
        { kind: "carrier", label: "carrier", value_masked: maskValue(SAMPLE_VALUES.carrier) },
        {
          kind: "contact_phone",
          label: 'contact "Li Wei" phone',
          value_masked: maskValue(SAMPLE_VALUES.contact),
        },
        { kind: "sms_number", label: "SMS number", value_masked: maskValue(SAMPLE_VALUES.sms) },
      ],
      needles: 212,
    },
    home_country: "FI",
    revealed: false,
    alert: {
      level: "critical",
      reasons: [
        "IMEI sent unencrypted to Xiaomi in China",
        "phone number sent unencrypted to Xiaomi in China",
        "a contact's phone number sent unencrypted to Xiaomi in China",
      ],
      summary:
        "Critical: this phone sends its IMEI, its phone number and its contacts' numbers unencrypted to Xiaomi in China.",
    },
    findings,
    endpoints,
    connections,
    stats: {
      packets: 1204,
      bytes: 412_332,
      connections: connections.length,
      findings: findings.length,
      endpoints: endpoints.length,
      elapsed_s: 0.42,
    },
    weird: { tcp_retransmission_mismatch: 2, dns_truncated: 1 },
    credits: [
      {
        source: "ip-location-db geo-whois-asn-country",
        licence: "CC0 1.0",
        url: "https://github.com/sapics/ip-location-db",
        what: "IP address → country",
      },
      {
        source: "ip-location-db asn (RouteViews, DB-IP)",
        licence: "CC BY 4.0",
        url: "https://github.com/sapics/ip-location-db",
        what: "IP address → AS number and organisation",
      },
    ],
    ...over,
  };
}

/** Injection payloads a hostile capture can carry in any string (HTML, attribute, URL, CSS, template). */
export const HOSTILE_PAYLOADS = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "</style><style>body{background:url(//evil)}</style>",
  "<svg onload=alert(1)>",
  "{{7*7}}",
  "'><iframe src=//evil></iframe>",
  "</title></textarea><script>alert(2)</script>",
  "<a href=javascript:alert(3)>x</a>",
  "]]><!--<img src=x onerror=alert(4)>-->",
] as const;

/** The payload at position i (cycling), prefixed so every planted copy is distinct and findable. */
function payload(i: number, tag: string): string {
  return `${tag}${HOSTILE_PAYLOADS[i % HOSTILE_PAYLOADS.length]}`;
}

/** A hostile report and every string planted in it. */
export interface HostileSample {
  /** The report. */
  report: AnalysisReport;
  /** Each planted string (tag + payload), in planting order. */
  planted: string[];
}

/** A report whose hosts, URLs, fields, excerpts, labels, companies, AS orgs, etc. all carry payloads. */
export function hostileReport(): AnalysisReport {
  return hostileSample().report;
}

/** The hostile report with the list of what was planted, so tests can look for each string. */
export function hostileSample(): HostileSample {
  const base = sampleReport();
  const planted: string[] = [];
  const p = (tag: string): string => {
    const s = payload(planted.length, tag);
    planted.push(s);
    return s;
  };
  const findings = base.findings.map((f) => {
    const host = p("h");
    return {
      ...f,
      label: p("l"),
      host,
      url: `${p("u")}`,
      field: `header:${p("f")}`,
      excerpt: p("e"),
      chain: [p("c"), "base64"],
      variant: p("v"),
      filter: `http.host == "${p("w")}"`,
      dest: { ...f.dest!, host, company: p("co"), as_org: p("as"), purpose: undefined },
      reasons: [p("r")],
      uid: p("uid"),
    };
  });
  // Receivers of findings keep matching their findings' (now hostile) hosts; the others get their own.
  const renamed = new Map<string, string>();
  base.findings.forEach((f, i) => {
    if (!renamed.has(f.dest!.host)) renamed.set(f.dest!.host, findings[i].dest.host);
  });
  const endpoints = base.endpoints.map((e) => ({
    ...e,
    host: renamed.get(e.host) ?? p("eh"),
    company: p("eco"),
    as_org: p("eas"),
    reasons: e.findings > 0 ? e.reasons : [p("er")],
  }));
  const report = sampleReport({
    findings,
    endpoints,
    profile: {
      ...base.profile!,
      device: p("dev"),
      values: base.profile!.values.map((v) => ({ ...v, label: p("pl") })),
    },
    alert: { ...base.alert, summary: p("sum"), reasons: [p("ar")] },
    inputs: base.inputs.map((i) => ({ ...i, file: p("file") })),
    weird: { [p("weird")]: 3 },
  });
  return { report, planted };
}
