import assert from "node:assert/strict";
import { test } from "node:test";
import { isLuhnValid, luhnCheckDigit } from "../../../src/detect/variants/luhn.ts";

test("Luhn check digit matches published examples", () => {
  // The worked example of the Luhn algorithm: payload 7992739871 has check digit 3.
  assert.equal(luhnCheckDigit("7992739871"), 3);
  // IMEI 49-015420-323751-8, the example IMEI of 3GPP-derived documentation.
  assert.equal(luhnCheckDigit("49015420323751"), 8);
  assert.equal(isLuhnValid("490154203237518"), true);
  assert.equal(isLuhnValid("490154203237517"), false);
  assert.equal(isLuhnValid("861234567890127"), true); // the example profile says its IMEI is Luhn-valid
  assert.equal(isLuhnValid("86123456789012x"), false);
  assert.equal(isLuhnValid(""), false);
});
