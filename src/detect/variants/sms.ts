// Stored text messages: the other party's number through phone.ts, and the body as case-insensitive text:
// the whole body, its whitespace-collapsed form, and overlapping windows of the collapsed form so that a run of
// the body (≥ 12 characters) quoted or truncated by an app is still found.

import type { ProfileSms } from "../profile/profile-types.ts";
import { type Form, type FormGroup, textForm } from "./forms.ts";
import { phoneForms } from "./phone.ts";

/** Shortest run of a body that counts as a leak of it. */
export const SMS_MIN_RUN = 12;
/** Most windows per body; longer bodies get a wider stride so the needle count stays bounded. */
const MAX_WINDOWS = 64;
/** Window step for ordinary bodies: any run of SMS_MIN_RUN + SMS_STRIDE − 1 characters contains a window. */
const SMS_STRIDE = 4;
/** Bodies longer than this (in characters) are matched by windows only. */
const MAX_WHOLE = 512;
/** A window is weaker evidence than the whole body. */
const WINDOW_CONFIDENCE = 0.7;

/** Form groups of one message; `index` is its position in the profile. */
export function smsGroups(m: ProfileSms, index: number, homeCountry?: string): FormGroup[] {
  const who = `SMS #${index + 1}`;
  const groups: FormGroup[] = [];
  if (m.number) {
    groups.push({
      kind: "sms_number",
      label: `${who} number`,
      value: m.number,
      forms: phoneForms(m.number, homeCountry),
    });
  }
  if (m.text)
    groups.push({ kind: "sms_text", label: `${who} text`, value: m.text, forms: smsTextForms(m.text) });
  return groups;
}

/** Whitespace runs collapsed to one space, trimmed. */
export function normaliseSmsText(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/** Forms of a message body. */
export function smsTextForms(text: string): Form[] {
  const ci = { caseInsensitive: true };
  const norm = normaliseSmsText(text);
  const chars = Array.from(norm);
  const forms: Form[] = [];
  if (chars.length <= MAX_WHOLE) {
    forms.push(textForm(norm, "exact", ci));
    if (text !== norm && Array.from(text).length <= MAX_WHOLE) forms.push(textForm(text, "as-written", ci));
  }
  if (chars.length < SMS_MIN_RUN * 2) return forms;
  const span = chars.length - SMS_MIN_RUN;
  const stride = Math.max(SMS_STRIDE, Math.ceil(span / (MAX_WINDOWS - 1)));
  for (let at = 0; ; at += stride) {
    const start = Math.min(at, span);
    const window = chars.slice(start, start + SMS_MIN_RUN).join("");
    forms.push(textForm(window, `window@${start}`, { ...ci, encode: false, confidence: WINDOW_CONFIDENCE }));
    if (start === span) break;
  }
  return forms;
}
