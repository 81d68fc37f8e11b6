// Phone number renderings, read with libphonenumber-js in the profile's home country: E.164, without `+`,
// `00`-prefixed (and the home country's own international prefix), national with and without the trunk
// prefix, and the spaced and dashed national/international groupings a UI or an API would write.

import {
  type CountryCode,
  isSupportedCountry,
  Metadata,
  type PhoneNumber,
  parsePhoneNumberFromString,
} from "libphonenumber-js";
import { type Form, textForm } from "./forms.ts";

/** Parses a number written in any format; national numbers are read in `homeCountry`. */
export function parsePhone(text: string, homeCountry?: string): PhoneNumber | undefined {
  const country = homeCountry && isSupportedCountry(homeCountry) ? homeCountry : undefined;
  try {
    return parsePhoneNumberFromString(text, country);
  } catch {
    return undefined;
  }
}

/** Forms of a phone number. An unparseable number still yields its digits, so nothing is silently lost. */
export function phoneForms(text: string, homeCountry?: string): Form[] {
  const p = parsePhone(text, homeCountry);
  if (!p) {
    const digits = text.replace(/\D/g, "");
    return digits ? [digitForm(digits, "digits", true)] : [];
  }
  const cc = p.countryCallingCode;
  const nn = p.nationalNumber;
  const forms: Form[] = [
    textForm(p.number, "e164", { hash: true, wholeWord: true }),
    digitForm(`${cc}${nn}`, "e164-digits", true),
    digitForm(`00${cc}${nn}`, "intl-00", false),
  ];
  const idd = homeIdd(homeCountry);
  if (idd && idd !== "00") forms.push(digitForm(`${idd}${cc}${nn}`, "intl-idd", false));
  forms.push(digitForm(nn, "national", true));
  const trunk = trunkForm(p);
  if (trunk && trunk !== nn) forms.push(digitForm(trunk, "national-trunk", true));
  const intl = p.formatInternational();
  const national = p.formatNational();
  forms.push(textForm(intl, "intl-spaced", { encode: false }));
  forms.push(textForm(national, "national-spaced", { encode: false }));
  forms.push(textForm(`+${digitGroups(intl).join("-")}`, "intl-dashed", { encode: false }));
  forms.push(textForm(digitGroups(national).join("-"), "national-dashed", { encode: false }));
  return forms;
}

/**
 * A digit-only form, whole-word only: the national digits of +86 138… also sit inside +44 138…, and a number
 * followed by more digits is another number. Every longer rendering of the same number is a needle of its own.
 */
function digitForm(digits: string, variant: string, hash: boolean): Form {
  return textForm(digits, variant, { hash, wholeWord: true });
}

/** The national number with the trunk prefix (`0` in CN and DE) in front, as dialled inside the country. */
function trunkForm(p: PhoneNumber): string | undefined {
  const prefix = p.country ? nationalPrefix(p.country) : undefined;
  if (prefix) return p.nationalNumber.startsWith(prefix) ? undefined : prefix + p.nationalNumber;
  // No prefix in the metadata: the national format itself tells whether one is dialled.
  const digits = p.formatNational().replace(/\D/g, "");
  return digits !== p.nationalNumber ? digits : undefined;
}

/** The numbering plan's national (trunk) prefix; typed loosely because the library's types omit it. */
function nationalPrefix(country: CountryCode): string | undefined {
  const m = new Metadata();
  m.selectNumberingPlan(country);
  const plan = m.numberingPlan as unknown as { nationalPrefix?: () => string | undefined } | undefined;
  const prefix = plan?.nationalPrefix?.();
  return prefix && /^\d+$/.test(prefix) ? prefix : undefined;
}

/** The home country's international call prefix (`011` in the US), when it is a single fixed string. */
function homeIdd(homeCountry?: string): string | undefined {
  if (!homeCountry || !isSupportedCountry(homeCountry)) return undefined;
  const m = new Metadata();
  m.selectNumberingPlan(homeCountry);
  const idd = m.numberingPlan?.defaultIDDPrefix() ?? m.numberingPlan?.IDDPrefix();
  return idd && /^\d+$/.test(idd) ? idd : undefined;
}

/** The digit groups of a formatted number (`(213) 373-4253` → `213`, `373`, `4253`). */
function digitGroups(formatted: string): string[] {
  return formatted.match(/\d+/g) ?? [];
}
