import assert from "node:assert/strict";
import { test } from "node:test";
import { type AlertItem, alertFor } from "../../src/judge/alert.ts";

const xiaomi = { company: "Xiaomi", country: "CN", transport: "cleartext" } as const;

test("nothing found: no alert", () => {
  const a = alertFor([]);
  assert.equal(a.level, "info");
  assert.deepEqual(a.reasons, []);
  assert.match(a.summary, /^No alert: /);
});

test("only endpoints with no identifier: no alert, and the sentence counts the destinations", () => {
  const a = alertFor([
    { severity: "info", reasons: ["r"], score: 0, host: "a.example" },
    { severity: "info", reasons: ["r"], score: 0, host: "b.example" },
  ]);
  assert.equal(a.level, "info");
  assert.equal(
    a.summary,
    "No alert: this device contacted 2 destinations without sending any recognised identifier.",
  );
});

test("the level is the highest severity among findings and endpoints", () => {
  const items: AlertItem[] = [
    { severity: "low", reasons: ["l"], score: 25, kind: "carrier", ...xiaomi },
    { severity: "high", reasons: ["h"], score: 75, kind: "imei", ...xiaomi },
    { severity: "medium", reasons: ["m"], score: 0, company: "CNNIC", country: "CN" },
  ];
  assert.equal(alertFor(items).level, "high");
});

test("the brief's sentence: IMEI and phone number in clear text to Xiaomi servers in China", () => {
  const a = alertFor([
    { severity: "high", reasons: ["the IMEI is permanent"], score: 85, kind: "imei", ...xiaomi },
    {
      severity: "high",
      reasons: ["the phone number identifies"],
      score: 80,
      kind: "phone_number",
      ...xiaomi,
    },
  ]);
  assert.equal(a.level, "high");
  assert.equal(
    a.summary,
    "High alert: this device sends its IMEI and phone number in clear text to Xiaomi servers in China.",
  );
});

test("other people's data and a second receiver get their own words and clause", () => {
  const a = alertFor([
    { severity: "critical", reasons: ["a"], score: 95, kind: "contact_phone", ...xiaomi },
    { severity: "critical", reasons: ["b"], score: 90, kind: "imei", ...xiaomi },
    { severity: "medium", reasons: ["c"], score: 0, company: "CNNIC", country: "CN", transport: "tls" },
  ]);
  assert.equal(
    a.summary,
    "Critical alert: this device sends its IMEI and address-book phone numbers in clear text to Xiaomi servers " +
      "in China; it also connects over encrypted connections to CNNIC servers in China.",
  );
});

test("a receiver without a company is named by its host; info items stay out of the sentence", () => {
  const a = alertFor([
    {
      severity: "medium",
      reasons: ["x"],
      score: 50,
      kind: "aaid",
      host: "ads.planted.example",
      transport: "tls",
    },
    { severity: "info", reasons: ["y"], score: 0, host: "quiet.example" },
  ]);
  assert.equal(
    a.summary,
    "Medium alert: this device sends its advertising ID over encrypted connections to ads.planted.example.",
  );
});

test("the three strongest reasons: the first reason of each strongest item, without repeats", () => {
  const a = alertFor([
    { severity: "medium", reasons: ["m1", "shared"], score: 50, kind: "email", host: "m.example" },
    { severity: "critical", reasons: ["c1", "shared"], score: 95, kind: "sms_text", host: "c.example" },
    { severity: "high", reasons: ["h1", "shared"], score: 80, kind: "imei", host: "h.example" },
    { severity: "high", reasons: ["h1"], score: 70, kind: "imsi", host: "h.example" },
    { severity: "low", reasons: ["l1"], score: 25, kind: "carrier", host: "l.example" },
  ]);
  assert.deepEqual(a.reasons, ["c1", "h1", "m1"]);
});

test("beyond three receivers the sentence says how many more", () => {
  const items: AlertItem[] = ["a", "b", "c", "d", "e"].map((h, i) => ({
    severity: "high",
    reasons: [h],
    score: 80 - i,
    kind: "imei",
    host: `${h}.example`,
    transport: "cleartext",
  }));
  assert.match(alertFor(items).summary, /; and 2 more destinations\.$/);
});

test("a long list of identifiers is cut to the strongest ones", () => {
  const kinds = ["imei", "imsi", "iccid", "phone_number", "email", "mac"] as const;
  const items: AlertItem[] = kinds.map((kind, i) => ({
    severity: "high",
    reasons: [kind],
    score: 90 - i,
    kind,
    ...xiaomi,
  }));
  assert.match(
    alertFor(items).summary,
    /sends its IMEI, IMSI, SIM serial number and other identifiers in clear text/,
  );
});
