// The device profile: what a phone knows about itself, as the analyst wrote it down. Values here are already
// validated and normalised by profile-load.ts; the variant builders turn them into needles for the matcher.

/** Keys whose value is a string or a list of strings. */
export const PROFILE_STRING_KEYS = [
  "imei",
  "imsi",
  "iccid",
  "phone_number",
  "carrier",
  "email",
  "android_id",
  "aaid",
  "mac",
  "serial",
] as const;
export type ProfileStringKey = (typeof PROFILE_STRING_KEYS)[number];

/** Keys whose value is a list of objects. */
export const PROFILE_LIST_KEYS = ["location", "contacts", "sms", "custom"] as const;
export type ProfileListKey = (typeof PROFILE_LIST_KEYS)[number];

/** Every key a profile may hold (anything else is an error, so a typo never silently disables a check). */
export const PROFILE_KEYS = [
  "device",
  "vendor",
  "first_party_domains",
  "home_country",
  ...PROFILE_STRING_KEYS,
  ...PROFILE_LIST_KEYS,
] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];

/** A place the device has been: findings report coordinates sent within `radius_m` of it. */
export interface ProfileLocation {
  /** Latitude in decimal degrees, −90..90. */
  lat: number;
  /** Longitude in decimal degrees, −180..180. */
  lon: number;
  /** Radius in metres (> 0) within which a sent coordinate counts as this place; 1000 when not given. */
  radius_m: number;
}

/** One address-book entry. */
export interface ProfileContact {
  /** Display name (matched case-insensitively as a whole word); absent when only numbers were given. */
  name?: string;
  /** Phone numbers, in any format the home country's numbering plan understands. */
  phones: string[];
  /** Email addresses. */
  emails: string[];
}

/** One text message stored on the device. */
export interface ProfileSms {
  /** The other party's number, in any format. */
  number?: string;
  /** The message body. */
  text?: string;
}

/** An identifier the profile format has no key for. */
export interface ProfileCustom {
  /** Name shown in findings, e.g. `loyalty card`. */
  label: string;
  /** The value to look for. */
  value: string;
}

/** One problem with a profile field; `line` is 1-based in the profile file when known. */
export interface ProfileProblem {
  /** Where in the profile, e.g. `imei[1]`, `contacts[0].phones[2]`, `home_country`. */
  path: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** Line of the profile file the field sits on, when known. */
  line?: number;
}

/** A validated device profile. Every list is present (possibly empty). */
export interface Profile {
  /** Free label for the device, e.g. `Xiaomi Redmi 1S`. */
  device?: string;
  /** The device maker as the companies file names it (e.g. `Xiaomi`): its endpoints are first party. */
  vendor?: string;
  /** Domains of the app under test (first party), e.g. `example-app.com`. */
  first_party_domains?: string[];
  /** ISO 3166-1 alpha-2 code, upper-case: how national phone numbers are read, and what "abroad" means. */
  home_country?: string;
  /** IMEIs as 15 digits (separators removed). */
  imei: string[];
  /** IMSIs as digits. */
  imsi: string[];
  /** SIM serial numbers (ICCID) as digits. */
  iccid: string[];
  /** The device's own phone numbers, as written in the profile (parsed later with `home_country`). */
  phone_number: string[];
  /** Carrier (operator) names, e.g. `China Mobile`. */
  carrier: string[];
  /** Email addresses of accounts on the device. */
  email: string[];
  /** Android IDs (`Settings.Secure.ANDROID_ID`), lower-case hex. */
  android_id: string[];
  /** Advertising IDs (Google AAID / Apple IDFA), lower-case UUIDs. */
  aaid: string[];
  /** Wi-Fi / Bluetooth MAC addresses, lower-case `aa:bb:cc:dd:ee:ff`. */
  mac: string[];
  /** Hardware serial numbers. */
  serial: string[];
  /** Places the device has been; used by the location detector, not turned into needles. */
  location: ProfileLocation[];
  /** Address-book entries. */
  contacts: ProfileContact[];
  /** Stored text messages. */
  sms: ProfileSms[];
  /** Other identifiers, each with its own label. */
  custom: ProfileCustom[];
  /** Non-fatal remarks from validation (e.g. an IMEI whose Luhn check digit is wrong). */
  warnings: ProfileProblem[];
}

/** A profile with no values: the starting point of the loader. */
export function emptyProfile(): Profile {
  return {
    imei: [],
    imsi: [],
    iccid: [],
    phone_number: [],
    carrier: [],
    email: [],
    android_id: [],
    aaid: [],
    mac: [],
    serial: [],
    location: [],
    contacts: [],
    sms: [],
    custom: [],
    warnings: [],
  };
}
