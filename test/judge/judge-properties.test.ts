// Property tests: random policies, rubric overrides, companies files and hosts never make the loaders or the
// judge throw anything but their own error type, and every judgement is well formed.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CompaniesError, companiesFromValue } from "../../src/attribute/company/companies-file.ts";
import { CompanyDb } from "../../src/attribute/company/company-db.ts";
import { alertFor } from "../../src/judge/alert.ts";
import { judgeEndpoint, judgeFinding } from "../../src/judge/judge.ts";
import { type Policy, PolicyError, parsePolicy, policyFromValue } from "../../src/judge/policy.ts";
import { parseRubric, RubricError } from "../../src/judge/rubric.ts";
import { PURPOSES, TRANSPORTS } from "../../src/model/destination.ts";
import { IDENTIFIER_KINDS } from "../../src/model/finding.ts";
import { SEVERITIES } from "../../src/model/judgement.ts";
import { dest, finding } from "./judge-fixtures.ts";

const RUNS = { numRuns: 10000 };

/** Runs `f`; only `errorType` may escape. */
function onlyThrows(errorType: new (...a: never[]) => Error, f: () => unknown): boolean {
  try {
    f();
  } catch (e) {
    if (!(e instanceof errorType)) throw e;
  }
  return true;
}

/** Words the loaders know, so random documents reach deep into the checks. */
const WORD = fc.constantFrom(
  ...IDENTIFIER_KINDS,
  ...PURPOSES,
  ...TRANSPORTS,
  ...SEVERITIES,
  "none",
  "first",
  "third",
  "CN",
  "us",
  "China",
  "*.example.org",
  "a*b?c",
  "",
  "rules",
  "when",
  "kind",
  "country",
  "host",
  "ignore",
  "severity",
  "min_severity",
  "max_severity",
  "home_country",
  "cross_border",
  "company",
  "reason",
);

const VALUE = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    WORD,
    fc.boolean(),
    fc.double(),
    fc.constant(null),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(WORD, tie("v"), { maxKeys: 4 }),
  ),
})).v;

/** A checked policy built from random rules. */
const POLICY: fc.Arbitrary<Policy> = fc
  .array(
    fc.record({
      when: fc.record(
        {
          kind: fc.array(fc.constantFrom(...IDENTIFIER_KINDS, "none"), { minLength: 1, maxLength: 3 }),
          country: fc.array(fc.constantFrom("CN", "US", "DE"), { minLength: 1, maxLength: 2 }),
          host: fc.array(fc.constantFrom("*", "*.xiaomi.com", "?", "api.*", "*a*a*a*b"), { minLength: 1 }),
          party: fc.array(fc.constantFrom("first", "third", "unknown"), { minLength: 1 }),
          cross_border: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      action: fc.oneof(
        fc.record({ severity: fc.constantFrom(...SEVERITIES) }),
        fc.record({ min_severity: fc.constantFrom(...SEVERITIES) }),
        fc.record({ max_severity: fc.constantFrom(...SEVERITIES) }),
        fc.constant({ ignore: true }),
      ),
    }),
    { maxLength: 5 },
  )
  .map((rules) => policyFromValue({ rules: rules.map((r) => ({ when: r.when, ...r.action })) }, "p.yaml"));

test("property: random policy documents give a Policy or a PolicyError, nothing else", () => {
  fc.assert(
    fc.property(VALUE, (v) => onlyThrows(PolicyError, () => policyFromValue(v, "p.yaml"))),
    RUNS,
  );
});

test("property: random policy text gives a Policy or a PolicyError", () => {
  const piece = fc.constantFrom(
    "rules:",
    "\n  - ",
    "when: {",
    "}",
    "country: [CN]",
    "kind: none",
    "[",
    "]",
    ":",
    "\t",
    "&a",
    "*a",
    "'",
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (ps) =>
      onlyThrows(PolicyError, () => parsePolicy(ps.join(""), "p.yaml")),
    ),
    { numRuns: 5000 }, // each run parses a YAML document; 10000 takes about 3 s alone,
  );
});

test("property: random rubric overrides give a Rubric or a RubricError", () => {
  fc.assert(
    fc.property(fc.dictionary(WORD, VALUE, { maxKeys: 3 }), (v) =>
      onlyThrows(RubricError, () => parseRubric(JSON.stringify({ kinds: v, transport: v }), "r.yaml")),
    ),
    { numRuns: 2000 }, // each run parses and checks a whole rubric
  );
});

test("property: random companies documents give a table or a CompaniesError", () => {
  fc.assert(
    fc.property(VALUE, VALUE, (a, b) =>
      onlyThrows(CompaniesError, () => companiesFromValue({ companies: { A: a, B: b } }, "c.yaml")),
    ),
    RUNS,
  );
});

test("property: random hosts never make lookups throw, and a match is a label-boundary suffix", () => {
  const db = new CompanyDb();
  const host = fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 300 }), fc.webUrl());
  fc.assert(
    fc.property(host, (h) => {
      const info = db.lookup(h);
      db.domainOf(h);
      if (info) {
        const name = h.toLowerCase().replace(/\.+$/, "");
        assert.ok(
          name === info.matched || name.endsWith(`.${info.matched}`) || /[:\u0080-\uffff]/.test(name),
          h,
        );
      }
      return true;
    }),
    RUNS,
  );
});

test("property: judging random findings under random policies never throws and is well formed", () => {
  const input = fc.record({
    kind: fc.constantFrom(...IDENTIFIER_KINDS),
    generic: fc.boolean(),
    confidence: fc.double(),
    precision: fc.option(fc.double(), { nil: undefined }),
    variant: fc.constantFrom("exact", "md5-hex", "sha256-raw", "generic", ""),
    transport: fc.constantFrom(...TRANSPORTS),
    host: fc.constantFrom("api.account.xiaomi.com", "1.2.4.8", "", "x.example.org"),
    country: fc.option(fc.constantFrom("CN", "US", "DE", "zz"), { nil: undefined }),
    party: fc.constantFrom("first", "third", "unknown"),
    cross: fc.option(fc.boolean(), { nil: undefined }),
  } as const);
  fc.assert(
    fc.property(input, POLICY, (x, policy) => {
      const d = dest({
        host: x.host,
        country: x.country,
        party: x.party,
        cross_border: x.cross,
        transport: x.transport,
      });
      const f = finding({ ...x, chain: [x.variant], dest: d });
      for (const j of [judgeFinding(f, undefined, policy), judgeEndpoint(d, policy)]) {
        if (j === "ignored") continue;
        assert.ok(SEVERITIES.includes(j.severity));
        assert.ok(j.reasons.length > 0 && j.reasons.every((r) => typeof r === "string" && r.length > 0));
        const a = alertFor([
          { ...j, kind: x.kind, host: x.host, country: x.country, transport: x.transport },
        ]);
        assert.equal(a.level, j.severity);
      }
      return true;
    }),
    { numRuns: 3000 },
  );
});
