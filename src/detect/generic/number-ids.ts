// Numeric identifier guesses from one run of ASCII digits: IMEI (3GPP TS 23.003 §6: 8-digit TAC + 6-digit
// serial + Luhn check digit), IMSI (TS 23.003 §2: MCC + MNC + MSIN, ≤ 15 digits) and ICCID (ITU-T E.118:
// `89` + country + issuer + account + Luhn check). Timestamps and order numbers are the usual false
// positives, so IMEI and IMSI need a key name; an ICCID's `89` prefix and Luhn digit are rare enough alone.

import type { GenericHit } from "../detect-types.ts";
import { isPlausibleTac, isRealMcc, latin1, luhnValid } from "./id-tables.ts";
import { hintWeight, type KeyHint } from "./key-names.ts";

/** Confidence from a key's weight: a strong key lifts a guess from `base` towards 0.95. */
export function withKey(base: number, weight: number): number {
  return Math.round((base + (0.95 - base) * weight) * 100) / 100;
}

function imei(
  d: Uint8Array,
  at: number,
  len: number,
  hints: readonly KeyHint[],
  emit: (h: GenericHit) => void,
) {
  const w = hintWeight(hints, "imei");
  if (w === 0 || !isPlausibleTac(d, at)) return;
  const value = latin1(d, at, at + len);
  const tac = value.slice(0, 2);
  if (len === 15) {
    if (!luhnValid(d, at, 15)) return;
    emit({
      kind: "imei",
      value,
      confidence: withKey(0.5, w),
      reason: `15 digits, Luhn valid, TAC ${tac}, key`,
    });
  } else if (w === 1) {
    // 14 digits: IMEI without its check digit; 16: IMEISV (TS 23.003 §6.2.2). Only under an IMEI key.
    const what = len === 14 ? "14 digits (IMEI without check digit)" : "16 digits (IMEISV)";
    emit({ kind: "imei", value, confidence: 0.7, reason: `${what}, TAC ${tac}, key` });
  }
}

function imsi(
  d: Uint8Array,
  at: number,
  len: number,
  hints: readonly KeyHint[],
  emit: (h: GenericHit) => void,
) {
  const w = hintWeight(hints, "imsi");
  if (w === 0 || !isRealMcc(d, at)) return;
  const value = latin1(d, at, at + len);
  emit({
    kind: "imsi",
    value,
    confidence: withKey(0.5, w),
    reason: `${len} digits, MCC ${value.slice(0, 3)}, key`,
  });
}

function iccid(
  d: Uint8Array,
  at: number,
  len: number,
  hints: readonly KeyHint[],
  emit: (h: GenericHit) => void,
) {
  if (d[at] !== 0x38 || d[at + 1] !== 0x39 || !luhnValid(d, at, len)) return;
  const w = hintWeight(hints, "iccid");
  const reason = `${len} digits, starts 89, Luhn valid${w > 0 ? ", key" : ""}`;
  emit({ kind: "iccid", value: latin1(d, at, at + len), confidence: withKey(0.6, w), reason });
}

/**
 * Guesses from the digit run `d[at..at+len)` (bounded by non-alphanumerics) with the hints of its key.
 * Builds a string only when a guess is emitted.
 */
export function numberIds(
  d: Uint8Array,
  at: number,
  len: number,
  hints: readonly KeyHint[],
  emit: (h: GenericHit) => void,
): void {
  if (len >= 14 && len <= 16) imei(d, at, len, hints, emit);
  if (len >= 14 && len <= 15) imsi(d, at, len, hints, emit);
  if (len >= 19 && len <= 20) iccid(d, at, len, hints, emit);
}
