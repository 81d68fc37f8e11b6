// `--keylog FILE`: a readable file becomes a key store, bad lines a one-line warning, an unreadable file
// a KeyLogFileError with the path in its message.

import assert from "node:assert/strict";
import { test } from "node:test";
import { KeyLogFileError, keyLogWarning, loadKeyLogFile } from "../../src/decrypt/key-log-file.ts";
import { scratchFile } from "../helpers/decrypt-run.ts";

const R = "c".repeat(64);

test("loads a key log; bad lines give one warning with their count and the first line number", () => {
  const file = scratchFile("k.log", `CLIENT_RANDOM ${R} ${"00".repeat(48)}\nbroken\n\nalso broken\n`);
  const warnings: string[] = [];
  const keys = loadKeyLogFile(file, (w) => warnings.push(w));
  assert.ok(keys.has(R));
  assert.deepEqual(warnings, [
    `${file}: 2 lines of the key log did not parse (first at line 2); 1 secret(s) read`,
  ]);
  assert.equal(keyLogWarning(file, { added: 3, bad: 0, ignored: 1 }), undefined);
});

test("a missing file is a KeyLogFileError naming it", () => {
  assert.throws(
    () => loadKeyLogFile("/nonexistent/keys.log"),
    (e: unknown) =>
      e instanceof KeyLogFileError && e.message === "/nonexistent/keys.log: cannot read the key log (ENOENT)",
  );
});
