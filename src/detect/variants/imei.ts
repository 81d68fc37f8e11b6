// IMEI renderings: 15 digits, 14 digits without the Luhn check digit, and the dashed `AA-BBBBBB-CCCCCC-D`
// grouping (reporting body, TAC remainder, serial, check digit) of 3GPP TS 23.003 §6.2.1.

import { type Form, textForm } from "./forms.ts";

/** Forms of a 15-digit IMEI; digest needles are derived from both digit-only forms. */
export function imeiForms(imei: string): Form[] {
  const digits = imei.replace(/\D/g, "");
  const forms = [textForm(digits, "exact", { hash: true })];
  if (digits.length !== 15) return forms;
  // Whole-word only: otherwise a different 15-digit number sharing the first 14 digits would match.
  forms.push(textForm(digits.slice(0, 14), "no-check", { hash: true, wholeWord: true }));
  forms.push(textForm(imeiDashed(digits), "dashed"));
  return forms;
}

/** `AA-BBBBBB-CCCCCC-D` for a 15-digit IMEI. */
export function imeiDashed(digits: string): string {
  return `${digits.slice(0, 2)}-${digits.slice(2, 8)}-${digits.slice(8, 14)}-${digits.slice(14)}`;
}
