import assert from "node:assert/strict";
import { test } from "node:test";
import { useColor } from "../../src/cli/color.ts";

test("no colour into a file or with NO_COLOR, whatever the terminal", () => {
  assert.equal(useColor(true, {}), false);
  assert.equal(useColor(false, { NO_COLOR: "1" }), false);
  // Under the test runner stdout is a pipe, so even the default case is plain.
  assert.equal(useColor(false, {}), process.stdout.isTTY === true);
});
