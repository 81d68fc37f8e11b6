import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TOOL_VERSION } from "../../src/app/version.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";

test("the version written into reports is package.json's", () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  assert.equal(TOOL_VERSION, pkg.version);
});
