import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { judgeEndpoint, judgeFinding } from "../../src/judge/judge.ts";
import { loadPolicy, type Policy, PolicyError, parsePolicy } from "../../src/judge/policy.ts";
import { defaultRubric } from "../../src/judge/rubric.ts";
import type { Judgement } from "../../src/model/judgement.ts";
import { dest, finding } from "./judge-fixtures.ts";

/** The brief's example policy. */
const EXAMPLE = `rules:
  - when: { country: [CN] }            # any identifier going to CN
    severity: critical
    reason: "identifiers sent to China are critical under our policy"
  - when: { kind: [imei] }
    min_severity: high
  - when: { host: ["*.example.org"] }  # glob on host
    ignore: true
`;

/** The PolicyError a text raises (fails the test when it parses). */
function errorOf(text: string, file = "org-policy.yaml"): PolicyError {
  try {
    parsePolicy(text, file);
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  assert.fail(`parsed without error: ${text}`);
}

function level(policy: Policy | undefined, over: Parameters<typeof finding>[0] = {}): string {
  const j = judgeFinding(finding(over), defaultRubric(), policy);
  return j === "ignored" ? j : j.severity;
}

test("the example policy parses into three rules with their actions", () => {
  const p = parsePolicy(EXAMPLE, "org-policy.yaml");
  assert.equal(p.rules.length, 3);
  assert.deepEqual(p.rules[0].when, { country: ["CN"] });
  assert.equal(p.rules[0].severity, "critical");
  assert.equal(p.rules[1].min_severity, "high");
  assert.deepEqual(p.rules[2].when, { host: ["*.example.org"] });
  assert.equal(p.rules[2].ignore, true);
});

test("adding a CN rule moves an IMEI finding in China to critical, with the policy's reason first", () => {
  const without = level(undefined);
  const p = parsePolicy(EXAMPLE, "org-policy.yaml");
  const j = judgeFinding(finding(), defaultRubric(), p) as Judgement;
  assert.notEqual(without, "critical");
  assert.equal(j.severity, "critical");
  assert.equal(j.reasons[0], "identifiers sent to China are critical under our policy");
});

test("the same finding to a server outside CN is not touched by the CN rule", () => {
  const p = parsePolicy(EXAMPLE.split("  - when: { kind")[0], "p.yaml");
  assert.equal(
    level(p, { dest: dest({ country: "SG" }) }),
    level(undefined, { dest: dest({ country: "SG" }) }),
  );
});

test("min_severity raises only what is below it, and never lowers", () => {
  const p = parsePolicy("rules:\n  - when: { kind: [imei] }\n    min_severity: high\n", "p.yaml");
  assert.equal(level(undefined), "medium");
  assert.equal(level(p), "high");
  const clear = { transport: "cleartext", dest: dest({ party: "third", cross_border: true }) } as const;
  assert.equal(level(p, clear), level(undefined, clear));
  assert.equal(level(p, { kind: "carrier" }), level(undefined, { kind: "carrier" }));
  const j = judgeFinding(finding(clear), defaultRubric(), p) as Judgement;
  assert.ok(!j.reasons.some((r) => /policy/.test(r)), "an unchanged level gets no policy reason");
});

test("max_severity lowers, and later rules act on what earlier ones set", () => {
  const p = parsePolicy(
    "rules:\n  - when: {}\n    severity: critical\n  - when: { company: [xiaomi] }\n    max_severity: low\n",
    "p.yaml",
  );
  const j = judgeFinding(finding(), defaultRubric(), p) as Judgement;
  assert.equal(j.severity, "low");
  assert.match(j.reasons[0], /policy rule 2 caps it at low/);
  assert.match(j.reasons[1], /policy rule 1 sets critical/);
});

test("an ignore glob drops findings and endpoints under the domain, not the domain itself", () => {
  const p = parsePolicy(EXAMPLE, "p.yaml");
  const at = (host: string) => ({ dest: dest({ host, country: "DE" }) });
  assert.equal(level(p, at("tracker.example.org")), "ignored");
  assert.equal(level(p, at("a.b.EXAMPLE.org.")), "ignored");
  assert.notEqual(level(p, at("example.org")), "ignored");
  assert.notEqual(level(p, at("example.org.evil.test")), "ignored");
  assert.equal(judgeEndpoint(dest({ host: "cdn.example.org" }), p), "ignored");
});

test("each condition key matches its own field and nothing else", () => {
  const cases: [string, Parameters<typeof finding>[0], Parameters<typeof finding>[0]][] = [
    ["company_country: [CN]", {}, { dest: dest({ company_country: "US" }) }],
    ["purpose: [vendor]", {}, { dest: dest({ purpose: "ads" }) }],
    ["transport: [cleartext]", { transport: "cleartext" }, {}],
    ["party: [third]", { dest: dest({ party: "third" }) }, {}],
    ["cross_border: true", { dest: dest({ cross_border: true }) }, {}],
    ["company: [XIAOMI]", {}, { dest: dest({ company: "Huawei" }) }],
    ["host: ['api.*.xiaomi.com']", {}, { dest: dest({ host: "api.xiaomi.com" }) }],
  ];
  for (const [when, hit, miss] of cases) {
    const p = parsePolicy(`rules:\n  - when: { ${when} }\n    severity: critical\n`, "p.yaml");
    assert.equal(level(p, hit), "critical", `${when} should match`);
    assert.notEqual(level(p, miss), "critical", `${when} should not match`);
  }
});

test("the policy's home country decides what is cross-border", () => {
  const abroad = { dest: dest({ cross_border: true }) };
  const p = parsePolicy("home_country: cn\nrules: []\n", "p.yaml");
  assert.equal(p.home_country, "CN");
  const j = judgeFinding(finding(abroad), defaultRubric(), p) as Judgement;
  assert.ok(!j.reasons.some((r) => /border/.test(r)), j.reasons.join(" | "));
  const q = parsePolicy("home_country: DE\n", "p.yaml");
  const k = judgeFinding(finding(), defaultRubric(), q) as Judgement;
  assert.ok(
    k.reasons.some((r) => /border/.test(r)),
    k.reasons.join(" | "),
  );
});

test("a malformed policy gives one line per bad field with file, line, field path and what is wrong", () => {
  const e = errorOf(
    [
      "home_country: China",
      "rules:",
      "  - when: { country: [CNN], kind: imie, hots: x }",
      "    severity: severe",
      "  - when: { cross_border: maybe }",
      "  - when: { purpose: [] }",
      "    ignore: true",
      "    severity: high",
      "  - min_severity: high",
      "    max_severity: low",
    ].join("\n"),
  );
  const lines = e.lines();
  const expect = [
    /^org-policy\.yaml:1: home_country: two-letter country code expected, got "China"$/,
    /^org-policy\.yaml:3: rules\[0\]\.when\.country\[0\]: country code expected, got "CNN"$/,
    /^org-policy\.yaml:3: rules\[0\]\.when\.kind: one of .*none expected, got "imie"$/,
    /^org-policy\.yaml:3: rules\[0\]\.when\.hots: unknown key/,
    /^org-policy\.yaml:4: rules\[0\]\.severity: one of info, low, medium, high, critical expected, got "severe"$/,
    /^org-policy\.yaml:5: rules\[1\]\.when\.cross_border: true or false expected, got "maybe"$/,
    /^org-policy\.yaml:5: rules\[1\]: a rule needs an action/,
    /^org-policy\.yaml:6: rules\[2\]\.when\.purpose: an empty list matches nothing$/,
    /^org-policy\.yaml:7: rules\[2\]\.ignore: ignore cannot be combined with a severity$/,
    /^org-policy\.yaml:9: rules\[3\]\.min_severity: min_severity high is above max_severity low$/,
  ];
  for (const re of expect)
    assert.ok(
      lines.some((l) => re.test(l)),
      `no line matching ${re}:\n${lines.join("\n")}`,
    );
  assert.equal(lines.length, expect.length, lines.join("\n"));
  assert.match(e.message, /^invalid policy org-policy\.yaml\n/);
});

test("YAML syntax errors, a non-mapping document and unknown top keys are reported with the file", () => {
  assert.match(errorOf("rules: [\n").lines()[0], /^org-policy\.yaml(:\d+)?: not valid YAML/);
  assert.match(
    errorOf("- a\n- b\n").lines()[0],
    /^org-policy\.yaml:1: a mapping with keys version, home_country, rules/,
  );
  assert.match(errorOf("rulez: []\n").lines()[0], /^org-policy\.yaml:1: rulez: unknown key/);
});

test("loadPolicy reads a file, and names an unreadable one", () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-policy-"));
  try {
    const file = join(dir, "policy.yaml");
    writeFileSync(file, EXAMPLE);
    assert.equal(loadPolicy(file).rules.length, 3);
    const missing = join(dir, "missing.yaml");
    assert.throws(
      () => loadPolicy(missing),
      (e: unknown) =>
        e instanceof PolicyError && /missing\.yaml: cannot read the file \(ENOENT\)/.test(e.lines()[0]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an empty policy file is a policy with no rules", () => {
  assert.deepEqual(parsePolicy("", "p.yaml"), { file: "p.yaml", rules: [] });
});

test("an empty or absent when matches every finding", () => {
  const p = parsePolicy("rules:\n  - when:\n    severity: low\n  - severity: critical\n", "p.yaml");
  assert.deepEqual(p.rules[0].when, {});
  assert.deepEqual(p.rules[1].when, {});
  assert.equal(level(p, { kind: "carrier" }), "critical");
});
