// Validation and normalisation of the single-string profile fields: one function per key, turning what the
// analyst wrote into the canonical value, an error sentence, or a value plus a warning.

import { getCountries } from "libphonenumber-js";
import { isLuhnValid, luhnCheckDigit } from "../variants/luhn.ts";
import { parsePhone } from "../variants/phone.ts";
import type { ProfileStringKey } from "./profile-types.ts";

/** Outcome of checking one value: `error` set means the value is rejected. */
export interface FieldResult {
  /** The normalised value (absent on error). */
  value?: string;
  /** Why the value is rejected. */
  error?: string;
  /** A remark that does not reject the value. */
  warning?: string;
}

/** Separators people put inside long digit strings. */
const SEPARATORS = /[\s\-./]/g;

type Check = (raw: string, home?: string) => FieldResult;

function imei(raw: string): FieldResult {
  const digits = raw.replace(SEPARATORS, "");
  if (!/^\d{15}$/.test(digits)) return { error: `15 digits expected, got "${raw}"` };
  if (isLuhnValid(digits)) return { value: digits };
  const want = luhnCheckDigit(digits.slice(0, 14));
  return { value: digits, warning: `Luhn check failed (check digit should be ${want}); searched as written` };
}

function imsi(raw: string): FieldResult {
  const digits = raw.replace(SEPARATORS, "");
  return /^\d{14,15}$/.test(digits) ? { value: digits } : { error: `14 or 15 digits expected, got "${raw}"` };
}

function iccid(raw: string): FieldResult {
  const digits = raw.replace(SEPARATORS, "").replace(/[fF]$/, "");
  if (!/^\d{18,22}$/.test(digits)) return { error: `18 to 22 digits expected, got "${raw}"` };
  if (!digits.startsWith("89")) return { value: digits, warning: "an ICCID normally starts with 89" };
  if (!isLuhnValid(digits)) return { value: digits, warning: "Luhn check failed; searched as written" };
  return { value: digits };
}

function phone(raw: string, home?: string): FieldResult {
  const text = raw.trim();
  if (!text.startsWith("+") && !text.startsWith("00") && !home) {
    return { error: `needs a +country code, or home_country to read it, got "${raw}"` };
  }
  const p = parsePhone(text, home);
  if (!p) return { error: `not a phone number: "${raw}"` };
  if (!p.isValid())
    return { value: text, warning: `not a valid number in ${p.country ?? "its country"}; searched anyway` };
  return { value: text };
}

function email(raw: string): FieldResult {
  const text = raw.trim();
  return /^[^\s@]+@[^\s@]+$/.test(text) ? { value: text } : { error: `email address expected, got "${raw}"` };
}

function androidId(raw: string): FieldResult {
  const text = raw.trim();
  if (!/^[0-9a-fA-F]{1,16}$/.test(text)) return { error: `16 hex digits expected, got "${raw}"` };
  const value = text.toLowerCase();
  return value.length === 16 ? { value } : { value, warning: "an Android ID normally has 16 hex digits" };
}

function aaid(raw: string): FieldResult {
  const bare = raw.trim().replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(bare) || !/^[0-9a-fA-F-]+$/.test(raw.trim())) {
    return { error: `UUID expected (8-4-4-4-12 hex digits), got "${raw}"` };
  }
  const h = bare.toLowerCase();
  return { value: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` };
}

function mac(raw: string): FieldResult {
  const text = raw.trim();
  const hex = text.replace(/[:\-.\s]/g, "");
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return { error: `MAC address expected (6 hex bytes), got "${raw}"` };
  return { value: (hex.toLowerCase().match(/../g) ?? []).join(":") };
}

function nonEmpty(raw: string): FieldResult {
  const text = raw.trim();
  return text ? { value: text } : { error: "empty value" };
}

/** The check of each single-string key. */
export const FIELD_CHECKS: Record<ProfileStringKey, Check> = {
  imei,
  imsi,
  iccid,
  phone_number: phone,
  carrier: nonEmpty,
  email,
  android_id: androidId,
  aaid,
  mac,
  serial: nonEmpty,
};

/** Checks `home_country`: an ISO 3166-1 alpha-2 code, upper-cased. */
export function checkCountry(raw: string): FieldResult {
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code))
    return { error: `ISO 3166 two-letter country code expected (e.g. CN, DE), got "${raw}"` };
  if (!(getCountries() as string[]).includes(code)) {
    return { value: code, warning: `"${code}" has no phone numbering plan; national numbers cannot be read` };
  }
  return { value: code };
}

/** Checks a phone number in a contact or SMS entry (same rules as `phone_number`). */
export const checkPhone: Check = phone;
/** Checks an email in a contact entry. */
export const checkEmail: Check = email;
