import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  defaultRubric,
  fillReason,
  loadRubric,
  mergeOver,
  parseRubric,
  RubricError,
  rubricFromValue,
} from "../../src/judge/rubric.ts";
import { TRANSPORTS } from "../../src/model/destination.ts";
import { IDENTIFIER_KINDS } from "../../src/model/finding.ts";

function errorOf(text: string): RubricError {
  try {
    parseRubric(text, "mine.yaml");
  } catch (e) {
    if (e instanceof RubricError) return e;
    throw e;
  }
  assert.fail(`parsed without error: ${text}`);
}

test("our rubric has a rule with a reason for every identifier kind and every transport", () => {
  const r = defaultRubric();
  for (const k of IDENTIFIER_KINDS) assert.ok(r.kinds[k].reason.length > 0, k);
  for (const t of TRANSPORTS) assert.ok(r.transport[t].reason.length > 0, t);
  assert.equal(r.source, "data/severity.yaml");
});

test("our rubric says cleartext raises and that hashing does not lower stable identifiers", () => {
  const r = defaultRubric();
  assert.ok(r.transport.cleartext.points > r.transport["tls-decrypted"].points);
  assert.equal(r.hashing.stable.points, 0);
  assert.match(r.hashing.stable.reason, /does not lower/);
  for (const k of ["imei", "imsi", "phone_number"] as const) assert.ok(r.hashing.stable_kinds.includes(k), k);
});

test("bands are kept lowest bound first whatever order the file gives", () => {
  const r = parseRubric(
    "confidence:\n  - { below: 0.9, points: -1, reason: a }\n  - { below: 0.2, points: -9, reason: b }\n",
    "mine.yaml",
  );
  assert.deepEqual(
    r.confidence.map((b) => b.below),
    [0.2, 0.9],
  );
});

test("an override merges key by key over ours and keeps our other rules", () => {
  const r = parseRubric("kinds:\n  carrier: { points: 33 }\nthresholds: { low: 10 }\n", "mine.yaml");
  assert.equal(r.kinds.carrier.points, 33);
  assert.equal(r.kinds.carrier.reason, defaultRubric().kinds.carrier.reason);
  assert.deepEqual(r.kinds.imei, defaultRubric().kinds.imei);
  assert.equal(r.thresholds.low, 10);
  assert.equal(r.thresholds.critical, defaultRubric().thresholds.critical);
  assert.equal(r.source, "data/severity.yaml + mine.yaml");
});

test("mergeOver: mappings merge, lists and scalars replace", () => {
  assert.deepEqual(mergeOver({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: 3 }, l: [9] }), {
    a: { b: 1, c: 3 },
    l: [9],
  });
  assert.equal(mergeOver({ a: 1 }, 5), 5);
});

test("a malformed override names file, line, field and what is wrong", () => {
  const e = errorOf(
    [
      "kinds:",
      "  imeii: { points: 5, reason: x }",
      "  imei: { points: lots }",
      "  carrier: { points: 5, reason: 'about {lable}' }",
      "thresholds: { high: 95 }",
      "confidence: [{ below: 2, points: 1, reason: r }]",
      "colour: red",
    ].join("\n"),
  );
  const expect = [
    /^mine\.yaml:2: kinds\.imeii: unknown key/,
    /^mine\.yaml:3: kinds\.imei\.points: number from -1000 to 1000 expected, got "lots"$/,
    /^mine\.yaml:4: kinds\.carrier\.reason: unknown placeholder \{lable\}/,
    /^mine\.yaml:5: thresholds\.high: must be lower than the level above it \(90\)$/,
    /^mine\.yaml:6: confidence\[0\]\.below: number from 0 to 1 expected, got 2$/,
    /^mine\.yaml:7: colour: unknown key/,
  ];
  const lines = e.lines();
  for (const re of expect)
    assert.ok(
      lines.some((l) => re.test(l)),
      `no line matching ${re}:\n${lines.join("\n")}`,
    );
  assert.equal(lines.length, expect.length, lines.join("\n"));
});

test("a complete rubric without a kind's rule is refused", () => {
  assert.throws(
    () => rubricFromValue({ kinds: { imei: { points: 1, reason: "r" } } }, "bare.yaml"),
    (e: unknown) =>
      e instanceof RubricError && e.lines().some((l) => /^bare\.yaml: kinds: no rule for "imsi"$/.test(l)),
  );
});

test("loadRubric without a file is ours; with a file, ours plus theirs; unreadable files are named", () => {
  assert.equal(loadRubric(), defaultRubric());
  const dir = mkdtempSync(join(tmpdir(), "phonehome-rubric-"));
  try {
    const file = join(dir, "r.yaml");
    writeFileSync(file, "kinds:\n  aaid: { points: 70, reason: 'ad IDs are banned here' }\n");
    assert.equal(loadRubric(file).kinds.aaid.reason, "ad IDs are banned here");
    assert.throws(() => loadRubric(join(dir, "no.yaml")), /no\.yaml: cannot read the file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fillReason fills placeholders and shows a missing value as ?", () => {
  assert.equal(
    fillReason("to {receiver} in {country}", { receiver: "Xiaomi", country: "China" }),
    "to Xiaomi in China",
  );
  assert.equal(fillReason("{hash} of it", {}), "? of it");
});
