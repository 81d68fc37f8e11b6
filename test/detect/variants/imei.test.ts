import assert from "node:assert/strict";
import { test } from "node:test";
import { imeiDashed, imeiForms } from "../../../src/detect/variants/imei.ts";

const texts = (forms: ReturnType<typeof imeiForms>) =>
  Object.fromEntries(forms.map((f) => [f.variant, Buffer.from(f.source).toString()]));

test("IMEI forms: 15 digits, without check digit, dashed AA-BBBBBB-CCCCCC-D", () => {
  assert.deepEqual(texts(imeiForms("861234567890127")), {
    exact: "861234567890127",
    "no-check": "86123456789012",
    dashed: "86-123456-789012-7",
  });
  assert.equal(imeiDashed("490154203237518"), "49-015420-323751-8");
});

test("IMEI digit forms are hashed, the dashed one is not; the 14-digit form is whole-word", () => {
  const forms = imeiForms("861234567890127");
  assert.deepEqual(
    forms.map((f) => [f.variant, f.hash]),
    [
      ["exact", true],
      ["no-check", true],
      ["dashed", false],
    ],
  );
  assert.equal(forms.find((f) => f.variant === "no-check")?.wholeWord, true);
});
