import assert from "node:assert/strict";
import { test } from "node:test";
import type { Form } from "../../../src/detect/variants/forms.ts";
import {
  aaidForms,
  androidIdForms,
  carrierForms,
  digitsForms,
  emailForms,
  genericTextForms,
} from "../../../src/detect/variants/text.ts";

const texts = (forms: Form[]) =>
  Object.fromEntries(
    forms.filter((f) => !f.binary).map((f) => [f.variant, Buffer.from(f.source).toString()]),
  );

test("email: lower-case canonical form (hashed), the spelling as written kept for encodings", () => {
  const forms = emailForms(" Li.Lei@Example.COM ");
  assert.deepEqual(texts(forms), { exact: "li.lei@example.com", "as-written": "Li.Lei@Example.COM" });
  assert.ok(forms.every((f) => f.caseInsensitive && f.hash));
  assert.equal(emailForms("a@b.cn").length, 1);
});

test("carrier: any case, plus the spelling without spaces; never hashed", () => {
  const forms = carrierForms("China Mobile");
  assert.deepEqual(texts(forms), {
    exact: "China Mobile",
    lower: "china mobile",
    upper: "CHINA MOBILE",
    compact: "ChinaMobile",
  });
  assert.ok(forms.every((f) => f.caseInsensitive && !f.hash));
});

test("serial and custom values: exact, lower, upper, all hashed", () => {
  assert.deepEqual(texts(genericTextForms("R58m12AbC")), {
    exact: "R58m12AbC",
    lower: "r58m12abc",
    upper: "R58M12ABC",
  });
  assert.deepEqual(texts(genericTextForms("12345678")), { exact: "12345678" });
});

test("Android ID: hex in both cases and its decimal value, unsigned and signed 64-bit", () => {
  assert.deepEqual(texts(androidIdForms("ffffffffffffffff")), {
    exact: "ffffffffffffffff",
    upper: "FFFFFFFFFFFFFFFF",
    decimal: "18446744073709551615", // 2^64 − 1
    "decimal-signed": "-1",
  });
  // 0x9774d56d682e549c (a well-known emulator Android ID), converted with Python's int(): unsigned and − 2^64.
  const t = texts(androidIdForms("9774d56d682e549c"));
  assert.equal(t.decimal, "10913582462901572764");
  assert.equal(t["decimal-signed"], "-7533161610807978852");
  assert.equal(texts(androidIdForms("0123456789abcdef"))["decimal-signed"], undefined);
});

test("advertising ID: dashed and bare, both cases, and the 16 raw bytes", () => {
  const forms = aaidForms("38400000-8cf0-11bd-b23e-10b96e40000d");
  assert.deepEqual(texts(forms), {
    exact: "38400000-8cf0-11bd-b23e-10b96e40000d",
    upper: "38400000-8CF0-11BD-B23E-10B96E40000D",
    bare: "384000008cf011bdb23e10b96e40000d",
    "bare-upper": "384000008CF011BDB23E10B96E40000D",
  });
  const raw = forms.find((f) => f.binary);
  assert.equal(Buffer.from(raw?.bytes ?? []).toString("hex"), "384000008cf011bdb23e10b96e40000d");
});

test("IMSI/ICCID: their digits, hashed", () => {
  assert.deepEqual(
    digitsForms("460001234567890").map((f) => [f.variant, Buffer.from(f.source).toString(), f.hash]),
    [["exact", "460001234567890", true]],
  );
});
