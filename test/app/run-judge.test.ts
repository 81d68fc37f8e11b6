import assert from "node:assert/strict";
import { test } from "node:test";
import { makeRunJudge } from "../../src/app/run-judge.ts";
import { defaultRubric } from "../../src/judge/rubric.ts";
import type { Destination } from "../../src/model/destination.ts";
import type { FindingRecord } from "../../src/model/finding.ts";

const dest = (over: Partial<Destination>): Destination => ({
  host: "api.account.xiaomi.com",
  host_source: "dns",
  ip: "43.224.245.17",
  port: 80,
  ip_class: "public",
  country: "HK",
  company: "Xiaomi",
  party: "third",
  transport: "cleartext",
  cross_border: true,
  ...over,
});
const imei = {
  kind: "imei",
  label: "IMEI",
  generic: false,
  confidence: 1,
  variant: "exact",
  chain: ["http.uri", "query imei"],
} as FindingRecord;

test("a remembered judgement never leaks across destinations: each input is judged on its own", () => {
  const judge = makeRunJudge(defaultRubric());
  const clear = judge.finding(imei, dest({}));
  const clearAgain = judge.finding(imei, dest({}));
  const tls = judge.finding(imei, dest({ transport: "tls-decrypted" }));
  assert.notEqual(clear, "ignored");
  assert.notEqual(tls, "ignored");
  assert.deepEqual(clearAgain, clear);
  if (clear !== "ignored" && tls !== "ignored") {
    assert.ok(clear.score > tls.score, "clear text weighs more than decrypted TLS, cache or not");
    assert.ok(clear.reasons.some((r) => /clear/.test(r)));
    assert.ok(!tls.reasons.some((r) => /clear text/.test(r)));
  }
  assert.match(judge.alert().summary, /IMEI/);
});
