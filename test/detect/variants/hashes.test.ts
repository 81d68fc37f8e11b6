import assert from "node:assert/strict";
import { test } from "node:test";
import { digestEncodings } from "../../../src/detect/variants/hashes.ts";

// Published test vectors for "abc" (RFC 1321 appendix A.5, FIPS 180-2 appendix A/B).
const ABC = {
  md5: "900150983cd24fb0d6963f7d28e17f72",
  sha1: "a9993e364706816aba3e25717850c26c9cd0d89d",
  sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
};

test('digests of "abc" match the published vectors as hex, base64 and raw bytes', () => {
  const out = digestEncodings(new Uint8Array(Buffer.from("abc")), "serial");
  const by = Object.fromEntries(out.map((e) => [e.variant, e]));
  for (const [alg, hex] of Object.entries(ABC)) {
    assert.equal(Buffer.from(by[`${alg}-hex`].bytes).toString(), hex);
    assert.equal(by[`${alg}-hex`].caseInsensitive, true);
    assert.deepEqual(by[`${alg}-hex`].steps, [`${alg}(serial)`]);
    const b64 = Buffer.from(hex, "hex").toString("base64").replace(/=+$/, "");
    assert.equal(Buffer.from(by[`${alg}-base64`].bytes).toString(), b64);
    assert.deepEqual(by[`${alg}-base64`].steps, ["base64", `${alg}(serial)`]);
    assert.equal(Buffer.from(by[`${alg}-raw`].bytes).toString("hex"), hex);
  }
});

test("URL-safe base64 digests are emitted only when they differ", () => {
  // SHA-256("861234567890127") in base64 (from openssl dgst -binary | base64) has neither + nor /.
  const out = digestEncodings(new Uint8Array(Buffer.from("861234567890127")), "imei");
  const sha = out.filter((e) => e.variant.startsWith("sha256-base64"));
  assert.deepEqual(
    sha.map((e) => Buffer.from(e.bytes).toString()),
    ["RQEuiTA2jjH4D4JnlDUDbihVKk0U7WdxSlVshYJYyEg"],
  );
  // MD5("+8613800138000") in base64 is cJVZ6Vl/rcBC1ZxmT+J+fg== (openssl): both alphabets appear.
  const md5 = digestEncodings(new Uint8Array(Buffer.from("+8613800138000")), "phone_number").filter((e) =>
    e.variant.startsWith("md5-base64"),
  );
  assert.deepEqual(
    md5.map((e) => Buffer.from(e.bytes).toString()),
    ["cJVZ6Vl/rcBC1ZxmT+J+fg", "cJVZ6Vl_rcBC1ZxmT-J-fg"],
  );
});
