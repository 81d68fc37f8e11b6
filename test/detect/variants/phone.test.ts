import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePhone, phoneForms } from "../../../src/detect/variants/phone.ts";

const texts = (forms: ReturnType<typeof phoneForms>) =>
  Object.fromEntries(forms.map((f) => [f.variant, Buffer.from(f.source).toString()]));

// Hand-written: how a Chinese mobile number is written (E.164, 00 international prefix, trunk 0 when dialled
// from a landline, 3-4-4 grouping).
const CN = {
  e164: "+8613800138000",
  "e164-digits": "8613800138000",
  "intl-00": "008613800138000",
  national: "13800138000",
  "national-trunk": "013800138000",
  "intl-spaced": "+86 138 0013 8000",
  "national-spaced": "138 0013 8000",
  "intl-dashed": "+86-138-0013-8000",
  "national-dashed": "138-0013-8000",
};

// Hand-written: a Berlin landline (area code 30, trunk prefix 0).
const DE = {
  e164: "+493012345678",
  "e164-digits": "493012345678",
  "intl-00": "00493012345678",
  national: "3012345678",
  "national-trunk": "03012345678",
  "intl-spaced": "+49 30 12345678",
  "national-spaced": "030 12345678",
  "intl-dashed": "+49-30-12345678",
  "national-dashed": "030-12345678",
};

test("CN mobile number: every format, whether written internationally or nationally", () => {
  assert.deepEqual(texts(phoneForms("+8613800138000", "CN")), CN);
  assert.deepEqual(texts(phoneForms("138 0013 8000", "CN")), CN);
  assert.deepEqual(texts(phoneForms("0086-138-0013-8000", "DE")), CN);
});

test("DE landline: every format, read with home country DE", () => {
  assert.deepEqual(texts(phoneForms("030 12345678", "DE")), DE);
  assert.deepEqual(texts(phoneForms("+49 (30) 1234-5678")), DE);
});

test("the home country's own international prefix is added when it is not 00", () => {
  const us = texts(phoneForms("+493012345678", "US"));
  assert.equal(us["intl-idd"], "011493012345678");
  assert.equal(texts(phoneForms("+493012345678", "CN"))["intl-idd"], undefined);
});

test("digit-only and E.164 forms are whole-word; E.164, digits and national forms are hashed", () => {
  const forms = phoneForms("+8613800138000", "CN");
  for (const f of forms) {
    if (/^\+?\d+$/.test(Buffer.from(f.source).toString())) assert.equal(f.wholeWord, true, f.variant);
  }
  const hashed = forms.filter((f) => f.hash).map((f) => f.variant);
  assert.deepEqual(hashed, ["e164", "e164-digits", "national", "national-trunk"]);
});

test("a number libphonenumber cannot read still yields its digits", () => {
  assert.equal(parsePhone("not a number", "CN"), undefined);
  assert.deepEqual(texts(phoneForms("12-34-56", "ZZ")), { digits: "123456" });
  assert.deepEqual(phoneForms("none"), []);
});
