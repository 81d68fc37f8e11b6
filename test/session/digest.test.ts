import assert from "node:assert/strict";
import { test } from "node:test";
import { sha1 } from "../../src/session/digest.ts";

test("sha1 gives the FIPS 180 test vectors", () => {
  assert.equal(
    sha1(new TextEncoder().encode("abc")).toString("hex"),
    "a9993e364706816aba3e25717850c26c9cd0d89d",
  );
  assert.equal(sha1(new Uint8Array(0)).toString("hex"), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
});
