// End-to-end attribution (issue 5): captures built here, run through analyzeFiles with the real offline
// tables, companies file and rubric. The oracles are the planted names and public registry facts quoted in
// the issue (1.2.4.x → CN, AS24406 CNNIC; 8.8.8.8 → US, AS15169), never the code's own output.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { analyzeFiles, type OutputRecord } from "../../src/app/analyze-run.ts";
import { loadRules, runServices } from "../../src/app/run-services.ts";
import { parseProfile } from "../../src/detect/profile/profile-load.ts";
import type { ConnRecord } from "../../src/model/conn.ts";
import { severityRank } from "../../src/model/judgement.ts";
import type { AnalysisReport } from "../../src/report/report-types.ts";
import { tlsClientHello, tlsServerHello } from "../helpers/app-messages.ts";
import { writePcap } from "../helpers/capture-writer.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";
import { httpRequest, httpResponse, TrafficSynth } from "../helpers/traffic-synth.ts";

const IMEI = "861234567890127";
const rules = loadRules();

/** A TLS handshake (ClientHello with or without SNI, ServerHello) on a new connection. */
function tls(s: TrafficSynth, server: string, sni: string | undefined, startTs?: number) {
  s.tcpConversation({
    client: "10.0.0.2",
    server,
    clientPort: s.ephemeralPort(),
    serverPort: 443,
    startTs,
    exchanges: [
      { fromClient: true, data: tlsClientHello(sni ? { sni } : {}) },
      { fromClient: false, data: tlsServerHello() },
    ],
  });
}

function buildCapture(): Uint8Array {
  const s = new TrafficSynth({ seed: 7 });
  // A: named by the DNS answer the phone received before connecting.
  s.dnsQuery("data.mistat.xiaomi.com", ["1.2.4.8"]);
  tls(s, "1.2.4.8", undefined);
  // B: the SNI beats the DNS name of the same address.
  s.dnsQuery("dns-name.example.com", ["8.8.8.8"]);
  tls(s, "8.8.8.8", "sni.googleapis.com");
  // C: the HTTP Host beats both for its request; the IMEI goes out in clear.
  s.dnsQuery("d.example.org", ["203.119.25.1"]);
  s.tcpConversation({
    client: "10.0.0.2",
    server: "203.119.25.1",
    clientPort: s.ephemeralPort(),
    serverPort: 80,
    exchanges: [
      { fromClient: true, data: httpRequest({ host: "alog.umeng.com", path: `/app_logs?imei=${IMEI}` }) },
      { fromClient: false, data: httpResponse() },
    ],
  });
  // D: no name at all: the address stays the host, owned by its AS organisation.
  tls(s, "1.2.4.9", undefined);
  // E: a DNS answer that arrives after the connection started does not name it.
  tls(s, "8.8.4.4", undefined, 1400000100);
  s.dnsQuery("late.example.com", ["8.8.4.4"], { startTs: 1400000200 });
  return writePcap(s.sorted(), { linkType: s.linkType });
}

describe("analyze: destinations, endpoints and the alert", () => {
  let dir: string;
  let report: AnalysisReport;
  const conns = new Map<string, ConnRecord>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "phonehome-attr-"));
    const file = join(dir, "attr.pcap");
    writeFileSync(file, buildCapture());
    const profile = parseProfile(`home_country: TW\nimei: "${IMEI}"\n`, "p.yaml");
    const onRecord = (r: OutputRecord) => {
      if (r.type === "conn" && r.resp_p !== 53) conns.set(r.resp_h, r);
    };
    report = await analyzeFiles([file], { ...runServices(rules), profile, onRecord, hashInputs: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a DNS answer then a TLS connection to that IP: the connection is named by the DNS name", () => {
    const d = conns.get("1.2.4.8")?.dest;
    assert.equal(d?.host, "data.mistat.xiaomi.com");
    assert.equal(d?.host_source, "dns");
    assert.equal(d?.company, "Xiaomi");
    assert.equal(d?.country, "CN");
    assert.equal(d?.asn, 24406);
    assert.equal(d?.transport, "tls");
    assert.equal(d?.cross_border, true, "CN is abroad for a TW phone");
  });

  test("SNI beats DNS, and the other DNS name is kept", () => {
    const d = conns.get("8.8.8.8")?.dest;
    assert.equal(d?.host, "sni.googleapis.com");
    assert.equal(d?.host_source, "sni");
    assert.deepEqual(d?.other_names, ["dns-name.example.com"]);
    assert.equal(d?.country, "US");
    assert.equal(d?.asn, 15169);
  });

  test("HTTP Host beats both for that request: the finding and the connection are named by it", () => {
    const f = report.findings.find((x) => x.kind === "imei");
    assert.equal(f?.dest?.host, "alog.umeng.com");
    assert.equal(f?.dest?.host_source, "http");
    assert.equal(f?.dest?.transport, "cleartext");
    assert.equal(f?.dest?.country, "CN");
    assert.equal(f?.dest?.asn, 24151);
    assert.equal(conns.get("203.119.25.1")?.dest?.host, "alog.umeng.com");
    assert.ok(f?.severity && severityRank(f.severity) >= severityRank("high"), `severity ${f?.severity}`);
    assert.ok(
      f?.reasons?.some((r) => /clear/i.test(r)),
      `reasons ${f?.reasons}`,
    );
  });

  test("an IP with no name stays an IP, with its AS organisation as owner", () => {
    const d = conns.get("1.2.4.9")?.dest;
    assert.equal(d?.host, "1.2.4.9");
    assert.equal(d?.host_source, "ip");
    assert.equal(d?.asn, 24406);
    assert.match(d?.company ?? "", /China Internet Network/);
  });

  test("a DNS answer later than the connection does not name it", () => {
    assert.equal(conns.get("8.8.4.4")?.dest?.host, "8.8.4.4");
  });

  test("every destination is in the endpoint inventory; the alert is the highest severity", () => {
    const hosts = report.endpoints.map((e) => e.host).sort();
    for (const h of [
      "data.mistat.xiaomi.com",
      "sni.googleapis.com",
      "alog.umeng.com",
      "1.2.4.9",
      "8.8.4.4",
    ]) {
      assert.ok(hosts.includes(h), `${h} in ${hosts}`);
    }
    const umeng = report.endpoints.find((e) => e.host === "alog.umeng.com");
    assert.deepEqual(umeng?.kinds, ["imei"]);
    assert.equal(umeng?.findings, 1);
    assert.ok(umeng && umeng.bytes_sent > 0 && umeng.connections === 1);
    assert.equal(report.alert.level, report.findings[0].severity);
    assert.match(report.alert.summary, /IMEI/);
    assert.equal(report.inputs[0].sha256.length, 64);
    assert.ok(report.credits.some((c) => c.licence === "CC BY 4.0"));
  });
});

test("no profile: every endpoint of the idle phone has its owner and country, and the run has an alert", async () => {
  const file = join(REPO_ROOT, "examples", "redmi-note-idle.pcap");
  const report = await analyzeFiles([file], { ...runServices(rules) });
  assert.ok(report.endpoints.length >= 2);
  for (const e of report.endpoints.filter((x) => x.ip_class === "public")) {
    assert.ok(e.country && e.asn && e.company, `${e.host}: ${e.country} ${e.asn} ${e.company}`);
  }
  const cnnic = report.endpoints.find((e) => e.asn === 24406 || e.asn === 24151);
  assert.equal(cnnic?.country, "CN");
  assert.ok(report.alert.level);
});

test("generic findings alone raise the alert (no profile)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-generic-"));
  try {
    const s = new TrafficSynth({ seed: 9 });
    s.tcpConversation({
      client: "10.0.0.2",
      server: "1.2.4.8",
      clientPort: 40000,
      serverPort: 80,
      exchanges: [
        { fromClient: true, data: httpRequest({ host: "t.example.cn", path: `/r?device_imei=${IMEI}` }) },
        { fromClient: false, data: httpResponse() },
      ],
    });
    const file = join(dir, "g.pcap");
    writeFileSync(file, writePcap(s.sorted(), { linkType: s.linkType }));
    const report = await analyzeFiles([file], { ...runServices(rules) });
    const f = report.findings.find((x) => x.kind === "imei");
    assert.equal(f?.generic, true);
    assert.ok(severityRank(report.alert.level) >= severityRank("low"), report.alert.level);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("keepFindings 0: the document keeps no findings, the record stream, counts and alert still see them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-keep-"));
  try {
    const file = join(dir, "attr.pcap");
    writeFileSync(file, buildCapture());
    const profile = parseProfile(`home_country: TW\nimei: "${IMEI}"\n`, "p.yaml");
    const streamed: string[] = [];
    const onRecord = (r: OutputRecord) => {
      if (r.type === "finding" && !r.generic) streamed.push(r.kind);
    };
    const kept = await analyzeFiles([file], { ...runServices(rules), profile });
    const lean = await analyzeFiles([file], { ...runServices(rules), profile, onRecord, keepFindings: 0 });
    // The planted IMEI went out once, in the clear request to alog.umeng.com.
    assert.deepEqual(streamed, ["imei"]);
    assert.ok(kept.findings.some((f) => f.kind === "imei"));
    assert.deepEqual(lean.findings, []);
    assert.equal(lean.stats.findings, kept.stats.findings);
    assert.equal(lean.alert.level, kept.alert.level);
    assert.ok(severityRank(lean.alert.level) > severityRank("info"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
