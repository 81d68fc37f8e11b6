// Address-book entries: the name as a case-insensitive whole word, each phone through phone.ts and each email
// through text.ts, all labelled with the contact they belong to.

import type { ProfileContact } from "../profile/profile-types.ts";
import { type FormGroup, textForm } from "./forms.ts";
import { phoneForms } from "./phone.ts";
import { emailForms } from "./text.ts";

/** Confidence of a name match: case-folded names are a weaker signal than a number. */
const NAME_CONFIDENCE = 0.9;

/** Form groups of one contact; `index` names nameless contacts. */
export function contactGroups(c: ProfileContact, index: number, homeCountry?: string): FormGroup[] {
  const who = c.name ? `contact "${c.name}"` : `contact #${index + 1}`;
  const groups: FormGroup[] = [];
  const name = c.name?.trim();
  if (name) {
    const opts = { caseInsensitive: true, wholeWord: true, confidence: NAME_CONFIDENCE };
    groups.push({
      kind: "contact_name",
      label: `${who} name`,
      value: name,
      forms: [textForm(name, "exact", opts)],
    });
  }
  for (const phone of c.phones) {
    groups.push({
      kind: "contact_phone",
      label: `${who} phone`,
      value: phone,
      forms: phoneForms(phone, homeCountry),
    });
  }
  for (const email of c.emails) {
    groups.push({ kind: "contact_email", label: `${who} email`, value: email, forms: emailForms(email) });
  }
  return groups;
}
