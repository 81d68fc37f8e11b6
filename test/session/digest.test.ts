import assert from "node:assert/strict";
import { test } from "node:test";
import { digest, sha1 } from "../../src/session/digest.ts";

test("sha1 gives the FIPS 180 test vectors", () => {
  assert.equal(
    sha1(new TextEncoder().encode("abc")).toString("hex"),
    "a9993e364706816aba3e25717850c26c9cd0d89d",
  );
  assert.equal(sha1(new Uint8Array(0)).toString("hex"), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
});

test("digest gives the RFC 1321 and FIPS 180 test vectors, for bytes and for a string (UTF-8)", () => {
  const abc = new TextEncoder().encode("abc");
  assert.equal(digest("md5", abc).toString("hex"), "900150983cd24fb0d6963f7d28e17f72");
  assert.equal(digest("sha1", "abc").toString("hex"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  const sha256abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  assert.equal(digest("sha256", abc).toString("hex"), sha256abc);
  assert.equal(digest("sha256", "abc").toString("hex"), sha256abc);
  // A non-ASCII string is hashed as its UTF-8 bytes.
  assert.deepEqual(digest("sha256", "é"), digest("sha256", Uint8Array.of(0xc3, 0xa9)));
});
