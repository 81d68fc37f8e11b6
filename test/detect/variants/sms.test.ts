import assert from "node:assert/strict";
import { test } from "node:test";
import { normaliseSmsText, SMS_MIN_RUN, smsGroups, smsTextForms } from "../../../src/detect/variants/sms.ts";

const LONG =
  "Your parcel  from the Beijing post office is waiting.\nPlease collect it before Friday 18:00 at counter 7, " +
  "bring your ID card and the code 4471. Reply STOP to end these messages, thank you very much.";

test("SMS: number through the phone renderer, text as case-insensitive whole body", () => {
  const groups = smsGroups({ number: "+8613800138004", text: "See you at 8" }, 0, "CN");
  assert.deepEqual(
    groups.map((g) => [g.kind, g.label]),
    [
      ["sms_number", "SMS #1 number"],
      ["sms_text", "SMS #1 text"],
    ],
  );
  assert.ok(groups[0].forms.some((f) => Buffer.from(f.source).toString() === "008613800138004"));
  const text = groups[1].forms;
  assert.deepEqual(
    text.map((f) => [f.variant, Buffer.from(f.bytes).toString(), f.caseInsensitive]),
    [["exact", "see you at 8", true]],
  );
});

test("whitespace runs are collapsed; the text as written is kept too", () => {
  assert.equal(normaliseSmsText("  a \n\t b  "), "a b");
  const forms = smsTextForms("See  you\nat 8 tonight!");
  assert.deepEqual(
    forms.map((f) => Buffer.from(f.bytes).toString()),
    ["see you at 8 tonight!", "see  you\nat 8 tonight!"],
  );
});

test("every run of SMS_MIN_RUN + 3 characters of a long text contains a window", () => {
  const norm = normaliseSmsText(LONG).toLowerCase();
  const windows = smsTextForms(LONG)
    .filter((f) => f.variant.startsWith("window@"))
    .map((f) => Buffer.from(f.bytes).toString());
  assert.ok(windows.length > 0 && windows.length <= 64);
  assert.ok(windows.every((w) => w.length === SMS_MIN_RUN));
  for (let i = 0; i + SMS_MIN_RUN + 3 <= norm.length; i++) {
    const run = norm.slice(i, i + SMS_MIN_RUN + 3);
    assert.ok(
      windows.some((w) => run.includes(w)),
      `run at ${i}: ${run}`,
    );
  }
});

test("a very long text is bounded to 64 windows and still covered end to end", () => {
  const long = LONG.repeat(10);
  const windows = smsTextForms(long).filter((f) => f.variant.startsWith("window@"));
  assert.ok(windows.length <= 64, `${windows.length}`);
  const norm = normaliseSmsText(long).toLowerCase();
  assert.equal(Buffer.from(windows[0].bytes).toString(), norm.slice(0, SMS_MIN_RUN));
  assert.equal(Buffer.from(windows.at(-1)?.bytes ?? []).toString(), norm.slice(-SMS_MIN_RUN));
});
