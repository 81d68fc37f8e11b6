import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { base64Length, isHexText } from "../../../src/detect/structure/base64-hex.ts";
import { enc, walkAll } from "./structure-helpers.ts";

describe("base64 and hex values", () => {
  it("strict base64: one alphabet, padding only at the end, at least 12 characters", () => {
    assert.equal(base64Length(enc("aGVsbG8gd29ybGQ=")), 15);
    assert.equal(base64Length(enc("aGVsbG8_d29-bGQ")), 15);
    assert.equal(base64Length(enc("aGVs+G8_d29ybGQ=")), -1); // mixed alphabets
    assert.equal(base64Length(enc("aGVs=G8gd29ybGQ=")), -1); // inner padding
    assert.equal(base64Length(enc("aGVsbG8=")), -1); // too short
    assert.equal(base64Length(enc("aGVsbG8gd29yb")), -1); // 13 chars: 1 mod 4
  });

  it("hex: even length ≥ 16, one case", () => {
    assert.equal(isHexText(enc("48656c6c6f2c2077")), true);
    assert.equal(isHexText(enc("48656C6C6F2C2077")), true);
    assert.equal(isHexText(enc("48656c6C6f2c2077")), false);
    assert.equal(isHexText(enc("48656c6c6f2c207")), false);
  });

  it("decodes only to readable bytes: text yes, a random digest no", () => {
    const text = walkAll(enc(Buffer.from("device 861234567890127").toString("base64url")));
    assert.equal(text.find((v) => v.chainText === "http.body › base64")?.text, "device 861234567890127");
    const digest = walkAll(enc("q0Xd9zF7+Rk2pLm8Vb4nT1wYc6Hs3Ue5"));
    assert.deepEqual(
      digest.map((v) => v.chainText),
      ["http.body"],
    );
  });
});
