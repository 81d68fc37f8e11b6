// Plain-language words for judgements and alerts: identifier names, what a device "sends", country names.

import { countryName as nameOf } from "../attribute/geo/country-names.ts";
import type { IdentifierKind } from "../model/finding.ts";

/** Name of each identifier kind inside a reason (`the {label}` reads well for each). */
export const KIND_NAMES: Record<IdentifierKind, string> = {
  imei: "IMEI",
  imsi: "IMSI",
  iccid: "ICCID",
  phone_number: "phone number",
  carrier: "carrier name",
  email: "email address",
  android_id: "Android ID",
  aaid: "advertising ID",
  mac: "MAC address",
  serial: "serial number",
  location: "location",
  contact_name: "contact name",
  contact_phone: "contact phone number",
  contact_email: "contact email address",
  sms_number: "SMS number",
  sms_text: "SMS text",
  custom: "custom identifier",
};

/**
 * What the device sends, for an alert sentence: `own` nouns follow one shared "its" ("its IMEI and phone
 * number"); the others stand alone ("address-book phone numbers").
 */
export const KIND_PHRASES: Record<IdentifierKind, { own: boolean; noun: string }> = {
  imei: { own: true, noun: "IMEI" },
  imsi: { own: true, noun: "IMSI" },
  iccid: { own: true, noun: "SIM serial number" },
  phone_number: { own: true, noun: "phone number" },
  carrier: { own: true, noun: "carrier name" },
  email: { own: true, noun: "email address" },
  android_id: { own: true, noun: "Android ID" },
  aaid: { own: true, noun: "advertising ID" },
  mac: { own: true, noun: "MAC address" },
  serial: { own: true, noun: "serial number" },
  location: { own: true, noun: "location" },
  contact_name: { own: false, noun: "address-book names" },
  contact_phone: { own: false, noun: "address-book phone numbers" },
  contact_email: { own: false, noun: "address-book email addresses" },
  sms_number: { own: false, noun: "the numbers of SMS correspondents" },
  sms_text: { own: false, noun: "the text of SMS messages" },
  custom: { own: false, noun: "identifiers from the profile" },
};

/** English name of an ISO 3166-1 alpha-2 code (`CN` → `China`); the code itself when unknown. */
export function countryName(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return /^[A-Za-z]{2}$/.test(code) ? nameOf(code) : code;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
