// Phone number guesses. Digit strings are everywhere, so only two shapes are tried: a number written
// with a leading `+` (E.164 style, ITU-T E.164 §6), and a value under a phone-like key (msisdn, phone,
// mobile...). Both must pass libphonenumber-js's validity check (full metadata: real number ranges).

import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { GenericHit } from "../detect-types.ts";
import { latin1 } from "./id-tables.ts";
import { hintWeight, type KeyHint } from "./key-names.ts";
import { withKey } from "./number-ids.ts";

/** Longest run of bytes tried after a `+` (15 digits plus separators, E.164 §6.1). */
const MAX_SPAN = 24;

function isPhoneSep(b: number): boolean {
  return b === 0x20 || b === 0x2d || b === 0x2e || b === 0x28 || b === 0x29;
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** E.164 form of a valid number, or undefined. */
export function validPhone(text: string, country?: CountryCode): string | undefined {
  try {
    const p = parsePhoneNumberFromString(
      text,
      country === undefined ? undefined : { defaultCountry: country },
    );
    return p?.isValid() ? p.number : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A `+`-prefixed number at `at`: tries the longest digit/separator span, then shorter ones ending at
 * earlier digit groups (so trailing unrelated digits do not spoil it). Emits and returns the end, or -1.
 */
export function plusPhoneAt(
  d: Uint8Array,
  at: number,
  hints: readonly KeyHint[],
  emit: (h: GenericHit) => void,
): number {
  if (at + 1 >= d.length || !isDigit(d[at + 1])) return -1;
  const stop = Math.min(d.length, at + 1 + MAX_SPAN);
  let end = at + 1;
  while (end < stop && (isDigit(d[end]) || isPhoneSep(d[end]))) end++;
  for (let tries = 0; tries < 3 && end > at + 8; tries++) {
    while (end > at && !isDigit(d[end - 1])) end--;
    if (end < d.length && isDigit(d[end])) return -1; // span cut inside a longer digit run
    const e164 = validPhone(latin1(d, at, end));
    if (e164 !== undefined) {
      const w = hintWeight(hints, "phone_number");
      const reason = `valid number with country code${w > 0 ? ", key" : ""}`;
      emit({ kind: "phone_number", value: e164, confidence: withKey(0.6, w), reason });
      return end;
    }
    while (end > at && isDigit(d[end - 1])) end--; // drop the last digit group
  }
  return -1;
}

/**
 * A whole value under a phone-like key (`msisdn=8613800138000`, `"phone": "138 0013 8000"`): tried as
 * national in the home country (when known), then as international without its `+` or with `00`.
 */
export function keyedPhone(
  value: string,
  hints: readonly KeyHint[],
  home: CountryCode | undefined,
): GenericHit | undefined {
  const w = hintWeight(hints, "phone_number");
  const t = value.trim();
  if (w === 0 || t.length < 6 || t.length > 24 || !/^\(?[0-9][0-9 ().-]*$/.test(t)) return undefined;
  const national = home === undefined ? undefined : validPhone(t, home);
  if (national !== undefined) {
    return {
      kind: "phone_number",
      value: national,
      confidence: withKey(0.5, w),
      reason: `valid ${home} number, key`,
    };
  }
  const digits = t.replace(/[^0-9]/g, "");
  const intl = validPhone(`+${digits.startsWith("00") ? digits.slice(2) : digits}`);
  if (intl === undefined) return undefined;
  return {
    kind: "phone_number",
    value: intl,
    confidence: withKey(0.4, w),
    reason: "valid international number, key",
  };
}
