import assert from "node:assert/strict";
import { test } from "node:test";
import { contactGroups } from "../../../src/detect/variants/contacts.ts";
import { phoneForms } from "../../../src/detect/variants/phone.ts";

test("a contact gives a whole-word case-insensitive name, its phones and its emails, labelled", () => {
  const groups = contactGroups(
    { name: "Han Meimei", phones: ["+8613800138002", "13800138003"], emails: ["hmm@example.com"] },
    1,
    "CN",
  );
  assert.deepEqual(
    groups.map((g) => [g.kind, g.label, g.value]),
    [
      ["contact_name", 'contact "Han Meimei" name', "Han Meimei"],
      ["contact_phone", 'contact "Han Meimei" phone', "+8613800138002"],
      ["contact_phone", 'contact "Han Meimei" phone', "13800138003"],
      ["contact_email", 'contact "Han Meimei" email', "hmm@example.com"],
    ],
  );
  const name = groups[0].forms[0];
  assert.equal(Buffer.from(name.bytes).toString(), "han meimei");
  assert.equal(name.caseInsensitive, true);
  assert.equal(name.wholeWord, true);
  assert.ok(name.confidence < 1);
  // Phones go through the phone renderer with the home country.
  const fromPhone = phoneForms("13800138003", "CN").map((f) => Buffer.from(f.source).toString());
  assert.deepEqual(
    groups[2].forms.map((f) => Buffer.from(f.source).toString()),
    fromPhone,
  );
  assert.ok(fromPhone.includes("+8613800138003"));
});

test("a nameless contact is labelled by its position", () => {
  const groups = contactGroups({ phones: ["+8613800138001"], emails: [] }, 4, "CN");
  assert.deepEqual(
    groups.map((g) => g.label),
    ["contact #5 phone"],
  );
});
