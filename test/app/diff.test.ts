import assert from "node:assert/strict";
import { test } from "node:test";
import { diffReports } from "../../src/app/diff.ts";
import type { Destination, Transport } from "../../src/model/destination.ts";
import type { EndpointRecord } from "../../src/model/endpoint.ts";
import type { FindingRecord, IdentifierKind } from "../../src/model/finding.ts";
import type { Severity } from "../../src/model/judgement.ts";
import type { AnalysisReport } from "../../src/report/report-types.ts";

function dest(host: string, transport: Transport, country = "CN"): Destination {
  return {
    host,
    host_source: "dns",
    ip: "42.62.48.17",
    port: 443,
    ip_class: "public",
    country,
    party: "third",
    transport,
  };
}

function finding(kind: IdentifierKind, d: Destination, severity: Severity = "high"): FindingRecord {
  return {
    type: "finding",
    kind,
    label: kind.toUpperCase(),
    dest: d,
    transport: d.transport,
    severity,
  } as FindingRecord;
}

function report(
  findings: FindingRecord[],
  endpoints: Partial<EndpointRecord>[],
  level: Severity,
): AnalysisReport {
  return {
    inputs: [{ file: "x.pcap" }],
    alert: { level, reasons: [], summary: "" },
    findings,
    endpoints,
  } as unknown as AnalysisReport;
}

const XIAOMI = "api.account.xiaomi.com";

test("cleartext → TLS for the same identifiers and destination: changed rows and the encryption verdict", () => {
  const before = report(
    [finding("imei", dest(XIAOMI, "cleartext")), finding("phone_number", dest(XIAOMI, "cleartext"))],
    [{ host: XIAOMI, transports: ["cleartext"] }],
    "critical",
  );
  const after = report(
    [finding("imei", dest(XIAOMI, "tls-decrypted")), finding("phone_number", dest(XIAOMI, "tls-decrypted"))],
    [{ host: XIAOMI, transports: ["tls-decrypted"] }],
    "high",
  );
  const d = diffReports(before, after);
  assert.equal(d.rows.length, 2);
  for (const r of d.rows) {
    assert.equal(r.status, "changed");
    assert.equal(r.change, "cleartext → tls-decrypted");
  }
  assert.match(d.verdict, /same identifiers still go to the same destinations, now encrypted/);
  assert.match(d.verdict, /critical → high/);
});

test("added, removed, unchanged and a new country are told apart", () => {
  const before = report(
    [finding("imei", dest("a.example", "cleartext")), finding("imsi", dest("b.example", "cleartext"))],
    [
      { host: "a.example", transports: ["cleartext"] },
      { host: "b.example", transports: ["cleartext"] },
    ],
    "high",
  );
  const after = report(
    [
      finding("imei", dest("a.example", "cleartext")),
      finding("imei", dest("a.example", "cleartext", "SG")),
      finding("email", dest("c.example", "cleartext")),
    ],
    [
      { host: "a.example", transports: ["cleartext"] },
      { host: "c.example", transports: ["cleartext"] },
    ],
    "high",
  );
  const d = diffReports(before, after);
  const by = (kind: string) => d.rows.find((r) => r.kind === kind)!;
  assert.equal(by("imei").status, "changed");
  assert.equal(by("imei").change, "new country SG");
  assert.equal(by("imsi").status, "removed");
  assert.equal(by("imsi").change, "no longer sent");
  assert.equal(by("email").status, "added");
  assert.deepEqual(d.endpoints, { added: ["c.example"], removed: ["b.example"] });
  assert.match(d.verdict, /1 new identifier flows appeared/);
  assert.match(d.verdict, /1 identifier flows are no longer sent/);
});

test("a flow that disappears behind TLS without keys is 'not visible', not 'no longer sent'", () => {
  const before = report(
    [finding("imei", dest(XIAOMI, "cleartext"))],
    [{ host: XIAOMI, transports: ["cleartext"] }],
    "high",
  );
  const after = report([], [{ host: XIAOMI, transports: ["tls"] }], "info");
  const d = diffReports(before, after);
  assert.equal(d.rows[0].status, "removed");
  assert.match(d.rows[0].change!, /not visible: now tls without keys/);
  assert.match(d.verdict, /can no longer be inspected/);
});

test("two identical runs: everything unchanged", () => {
  const r = report(
    [finding("imei", dest(XIAOMI, "tls-decrypted"))],
    [{ host: XIAOMI, transports: ["tls"] }],
    "high",
  );
  const d = diffReports(r, r);
  assert.equal(d.rows[0].status, "unchanged");
  assert.match(d.verdict, /^Nothing changed \(alert level stays high\)\.$/);
});
