import assert from "node:assert/strict";
import { test } from "node:test";
import { macForms } from "../../../src/detect/variants/mac.ts";

test("MAC forms: colon, dash, bare, Cisco dotted, upper/lower, raw bytes", () => {
  const forms = macForms("A4-50-46-12-34-56");
  const texts = Object.fromEntries(
    forms.filter((f) => !f.binary).map((f) => [f.variant, Buffer.from(f.source).toString()]),
  );
  assert.deepEqual(texts, {
    colon: "a4:50:46:12:34:56",
    "colon-upper": "A4:50:46:12:34:56",
    dash: "a4-50-46-12-34-56",
    "dash-upper": "A4-50-46-12-34-56",
    bare: "a45046123456",
    "bare-upper": "A45046123456",
    dotted: "a450.4612.3456",
  });
  const raw = forms.find((f) => f.variant === "bytes");
  assert.deepEqual(Buffer.from(raw?.bytes ?? []), Buffer.from([0xa4, 0x50, 0x46, 0x12, 0x34, 0x56]));
  // Text forms match in any case: their needle bytes are the lower-case spelling.
  for (const f of forms.filter((f) => !f.binary)) {
    assert.equal(f.caseInsensitive, true);
    assert.equal(Buffer.from(f.bytes).toString(), Buffer.from(f.source).toString().toLowerCase());
  }
});
