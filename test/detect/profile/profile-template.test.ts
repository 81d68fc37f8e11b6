import assert from "node:assert/strict";
import { test } from "node:test";
import { parseProfile } from "../../../src/detect/profile/profile-load.ts";
import { PROFILE_TEMPLATE } from "../../../src/detect/profile/profile-template.ts";
import { emptyProfile, PROFILE_KEYS } from "../../../src/detect/profile/profile-types.ts";

test("the template parses as a valid, empty profile with no warnings", () => {
  assert.deepEqual(parseProfile(PROFILE_TEMPLATE, "template.yaml"), emptyProfile());
});

test("the template lists every profile key, each with a comment above it", () => {
  const lines = PROFILE_TEMPLATE.split("\n");
  for (const key of PROFILE_KEYS) {
    const at = lines.findIndex((l) => l.startsWith(`${key}:`));
    assert.ok(at > 0, `${key} missing`);
    assert.ok(lines[at - 1].startsWith("#"), `${key} has no comment`);
  }
});

test("the commented examples in the template are themselves valid", () => {
  // Uncomment the example lines ("#   key: ..." and their indented continuations) and parse the result.
  const examples = PROFILE_TEMPLATE.split("\n")
    .filter((l) => l.startsWith("#   "))
    .map((l) => l.slice(4))
    .join("\n");
  const p = parseProfile(`home_country: CN\n${examples}\n`, "examples.yaml");
  assert.equal(p.imei.length, 2);
  assert.equal(p.contacts[0].name, "Li Lei");
  assert.deepEqual(p.warnings, []);
});
