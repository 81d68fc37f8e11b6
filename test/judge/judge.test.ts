import assert from "node:assert/strict";
import { test } from "node:test";
import { CompanyDb } from "../../src/attribute/company/company-db.ts";
import { partyOf } from "../../src/attribute/company/party.ts";
import { type FindingInput, hashName, judgeEndpoint, judgeFinding } from "../../src/judge/judge.ts";
import { parsePolicy } from "../../src/judge/policy.ts";
import { defaultRubric, parseRubric } from "../../src/judge/rubric.ts";
import type { Destination } from "../../src/model/destination.ts";
import { type Judgement, severityRank } from "../../src/model/judgement.ts";
import { dest, finding } from "./judge-fixtures.ts";

/** The judgement of a finding, failing the test when a policy ignored it. */
function judged(
  input: FindingInput,
  rubric = defaultRubric(),
  policy?: ReturnType<typeof parsePolicy>,
): Judgement {
  const j = judgeFinding(input, rubric, policy);
  assert.notEqual(j, "ignored");
  return j as Judgement;
}

/** Asserts that `b` is judged strictly more severe than `a`, and that `why` appears only in `b`'s reasons. */
function movesUp(a: Judgement, b: Judgement, why: RegExp): void {
  assert.ok(severityRank(b.severity) > severityRank(a.severity), `${a.severity} → ${b.severity}`);
  assert.ok(
    b.reasons.some((r) => why.test(r)),
    `no reason matching ${why} in ${b.reasons.join(" | ")}`,
  );
  assert.ok(
    !a.reasons.some((r) => why.test(r)),
    `reason matching ${why} already in ${a.reasons.join(" | ")}`,
  );
}

test("2014: an IMEI in clear text to Xiaomi's account API in China, seen from abroad, is at least high", () => {
  const j = judged(
    finding({ transport: "cleartext", dest: dest({ transport: "cleartext", cross_border: true }) }),
  );
  assert.ok(severityRank(j.severity) >= severityRank("high"), j.severity);
  assert.match(j.reasons[0], /IMEI/);
});

test("transport: the same IMEI in clear text is judged higher than over decrypted TLS", () => {
  const tls = judged(finding());
  const clear = judged(finding({ transport: "cleartext", dest: dest({ transport: "cleartext" }) }));
  movesUp(tls, clear, /clear text/);
});

test("party: the same IMEI to a third party is judged higher than to the device vendor", () => {
  const first = judged(finding());
  const third = judged(
    finding({ dest: dest({ party: "third", company: "Example Analytics", purpose: undefined }) }),
  );
  movesUp(first, third, /third party \(Example Analytics\)/);
});

test("border: the same IMEI is judged higher when the server is outside the home country", () => {
  const home = judged(finding());
  const abroad = judged(finding({ dest: dest({ cross_border: true }) }));
  movesUp(home, abroad, /across the border.*China/);
});

test("purpose: an advertising receiver raises the same advertising ID", () => {
  const d = { party: "third", company: "Planted Ads", cross_border: true } as const;
  const plain = judged(finding({ kind: "aaid", dest: dest({ ...d, purpose: "cloud" }) }));
  const ads = judged(finding({ kind: "aaid", dest: dest({ ...d, purpose: "ads" }) }));
  movesUp(plain, ads, /advertising service \(Planted Ads\)/);
});

test("hashing does not lower a stable identifier: an MD5 of the IMEI scores like the IMEI", () => {
  const plain = judged(finding());
  const md5 = judged(finding({ variant: "md5-hex", chain: ["http.body", "md5(imei)"] }));
  assert.equal(md5.severity, plain.severity);
  assert.equal(md5.score, plain.score);
  assert.ok(
    md5.reasons.some((r) => /MD5.*does not lower/.test(r)),
    md5.reasons.join(" | "),
  );
});

test("hashing lowers content that is not an identifier: a hashed SMS text scores below the text", () => {
  const plain = judged(finding({ kind: "sms_text" }));
  const hashed = judged(finding({ kind: "sms_text", variant: "sha256-hex", chain: ["sha256(sms_text)"] }));
  assert.ok(hashed.score < plain.score);
  assert.ok(hashed.reasons.some((r) => /SHA-256/.test(r)));
});

test("hash names come from the variant or from a chain step", () => {
  assert.equal(hashName({ variant: "sha1-base64", chain: [] }), "SHA-1");
  assert.equal(hashName({ variant: "exact", chain: ["form:x", "sha256(imei)"] }), "SHA-256");
  assert.equal(hashName({ variant: "e164", chain: ["query:p"] }), undefined);
});

test("a generic guess counts less than a profile match, and a less confident guess less again", () => {
  const profile = judged(finding());
  const sure = judged(finding({ generic: true, confidence: 0.9, variant: "generic" }));
  const unsure = judged(finding({ generic: true, confidence: 0.4, variant: "generic" }));
  assert.ok(
    sure.score < profile.score && unsure.score < sure.score,
    `${profile.score} ${sure.score} ${unsure.score}`,
  );
  assert.ok(sure.reasons.some((r) => /generic detector/.test(r)));
  assert.ok(unsure.reasons.some((r) => /low confidence.*0\.40/.test(r)));
});

test("location: fewer decimals lower the severity, and the reason says how coarse", () => {
  const precise = judged(finding({ kind: "location", precision: 5 }));
  const coarse = judged(finding({ kind: "location", precision: 1 }));
  assert.ok(severityRank(coarse.severity) < severityRank(precise.severity));
  assert.ok(coarse.reasons.some((r) => /coarse location: 1 decimal/.test(r)));
});

test("kinds follow the issue's order: SMS text, contacts ≫ IMEI ≫ ad ID ≫ carrier", () => {
  const level = (kind: FindingInput["kind"]) => severityRank(judged(finding({ kind })).severity);
  assert.ok(level("sms_text") > level("imei"));
  assert.ok(level("contact_phone") > level("imei"));
  assert.ok(level("imei") > level("aaid"));
  assert.ok(level("aaid") > level("carrier"));
  for (const k of ["imsi", "phone_number"] as const) assert.equal(level(k), level("imei"), k);
});

test("a user's rubric override moves the severity it changes, and only that", () => {
  const mine = parseRubric("kinds:\n  carrier: { points: 80 }\n", "mine.yaml");
  const before = judged(finding({ kind: "carrier" }));
  const after = judged(finding({ kind: "carrier" }), mine);
  assert.ok(severityRank(after.severity) > severityRank(before.severity));
  assert.deepEqual(after.reasons, before.reasons);
  assert.deepEqual(judged(finding(), mine), judged(finding()));
});

test("a user's companies entry changes company and purpose, and the severity moves with it", () => {
  const host = "events.planted-sdk.example";
  const attribute = (db: CompanyDb): Destination => {
    const info = db.lookup(host);
    const company = info?.company;
    return dest({
      host,
      domain: db.domainOf(host),
      company,
      company_country: info?.company_country,
      purpose: info?.purpose,
      party: partyOf(company, db.domainOf(host), { vendor: "Xiaomi" }),
    });
  };
  const ours = attribute(new CompanyDb());
  const theirs = attribute(
    new CompanyDb({
      extra: new Map([
        ["planted-sdk.example", { company: "Planted Ads", company_country: "US", purpose: "ads" }],
      ]),
    }),
  );
  assert.equal(ours.company, undefined);
  assert.equal(theirs.company, "Planted Ads");
  assert.equal(theirs.purpose, "ads");
  const before = judged(finding({ kind: "email", dest: ours }));
  const after = judged(finding({ kind: "email", dest: theirs }));
  movesUp(before, after, /advertising service \(Planted Ads\)/);
});

test("an endpoint with no identifier is info by default", () => {
  const j = judgeEndpoint(dest({ host: "sdns.cnnic.cn", company: "CNNIC", purpose: "dns", party: "third" }));
  assert.notEqual(j, "ignored");
  assert.equal((j as Judgement).severity, "info");
  assert.match((j as Judgement).reasons[0], /CNNIC/);
});

test("a policy raises an endpoint in CN to medium (the CNNIC case), but not one elsewhere", () => {
  const policy = parsePolicy(
    "rules:\n  - when: { kind: [none], country: [CN] }\n    min_severity: medium\n",
    "p.yaml",
  );
  const cnnic = dest({ host: "sdns.cnnic.cn", company: "CNNIC", party: "third", transport: "tls" });
  const cn = judgeEndpoint(cnnic, policy) as Judgement;
  const us = judgeEndpoint({ ...cnnic, country: "US" }, policy) as Judgement;
  assert.equal(cn.severity, "medium");
  assert.match(cn.reasons[0], /policy rule 1/);
  assert.equal(us.severity, "info");
});

test("a policy rule without kind judges findings, not endpoints", () => {
  const policy = parsePolicy("rules:\n  - when: { country: [CN] }\n    severity: critical\n", "p.yaml");
  assert.equal((judgeEndpoint(dest(), policy) as Judgement).severity, "info");
  assert.equal(judged(finding(), defaultRubric(), policy).severity, "critical");
});
