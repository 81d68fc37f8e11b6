// Hexadecimal identifier guesses: MAC addresses (IEEE 802 EUI-48 written `aa:bb:cc:dd:ee:ff`, with dashes,
// or as 12 bare hex digits under a MAC key), 16-hex Android IDs under device-ID keys, and advertising IDs
// (UUIDs, RFC 9562 §4 text form 8-4-4-4-12) under advertising-ID keys. Random hex is everywhere (hashes,
// tokens), so bare hex is only reported with a key; separated MACs are distinctive enough alone.

import type { GenericHit } from "../detect-types.ts";
import { latin1 } from "./id-tables.ts";
import { hintWeight, type KeyHint } from "./key-names.ts";
import { withKey } from "./number-ids.ts";

/** Value of an ASCII hex digit, or -1. */
export function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const l = b | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

function isAlnum(b: number): boolean {
  const l = b | 0x20;
  return (b >= 0x30 && b <= 0x39) || (l >= 0x61 && l <= 0x7a);
}

/**
 * True when 6 octets of hex at `at` (bare when `sep` is 0) are a usable station address: not all zero,
 * not broadcast, not a group (multicast) address, whose first octet has its low bit set (IEEE 802 §8.2).
 */
function unicastMac(d: Uint8Array, at: number, sep: number): boolean {
  const step = sep === 0 ? 2 : 3;
  const first = hexValue(d[at]) * 16 + hexValue(d[at + 1]);
  if ((first & 1) === 1) return false; // group address (incl. ff:ff:ff:ff:ff:ff)
  let zero = true;
  for (let k = 0; k < 6; k++) if (d[at + k * step] !== 0x30 || d[at + k * step + 1] !== 0x30) zero = false;
  return !zero;
}

/**
 * A MAC written with `:` or `-` starting at `at` (a token start): emits and returns its end, or returns -1.
 * Rejects longer colon groups (IPv6 addresses, `12:34:56:78:9a:bc:de`) by checking both boundaries.
 */
export function separatedMac(
  d: Uint8Array,
  at: number,
  hints: readonly KeyHint[],
  emit: (h: GenericHit) => void,
): number {
  const end = at + 17;
  if (end > d.length) return -1;
  const sep = d[at + 2];
  if (sep !== 0x3a && sep !== 0x2d) return -1;
  for (let k = 0; k < 6; k++) {
    const p = at + k * 3;
    if (hexValue(d[p]) < 0 || hexValue(d[p + 1]) < 0) return -1;
    if (k < 5 && d[p + 2] !== sep) return -1;
  }
  if (at > 0 && (isAlnum(d[at - 1]) || d[at - 1] === sep)) return -1;
  if (end < d.length && (isAlnum(d[end]) || d[end] === sep)) return -1;
  if (!unicastMac(d, at, sep)) return -1;
  const w = hintWeight(hints, "mac");
  const reason = `MAC address with "${String.fromCharCode(sep)}"${w > 0 ? ", key" : ""}`;
  emit({ kind: "mac", value: latin1(d, at, end), confidence: withKey(0.6, w), reason });
  return end;
}

/** True when the `len` bytes at `at` are all hex digits. */
function allHex(d: Uint8Array, at: number, len: number): boolean {
  for (let i = at; i < at + len; i++) if (hexValue(d[i]) < 0) return false;
  return true;
}

/** True when every byte of the range is the same (placeholders like `0000…` or `ffff…`). */
function allSame(d: Uint8Array, at: number, len: number, skipDash: boolean): boolean {
  const first = d[at] | 0x20;
  for (let i = at + 1; i < at + len; i++)
    if (!(skipDash && d[i] === 0x2d) && (d[i] | 0x20) !== first) return false;
  return true;
}

/**
 * A bare hex token `d[at..at+len)` (already known to be alphanumeric and bounded) under a key: 12 hex under
 * a MAC key, 16 hex under an Android-ID key.
 */
export function bareHexId(
  d: Uint8Array,
  at: number,
  len: number,
  hints: readonly KeyHint[],
  emit: (h: GenericHit) => void,
): void {
  if (len === 12) {
    const w = hintWeight(hints, "mac");
    if (w === 0 || !allHex(d, at, 12) || !unicastMac(d, at, 0)) return;
    emit({
      kind: "mac",
      value: latin1(d, at, at + 12),
      confidence: withKey(0.4, w),
      reason: "12 hex digits, key",
    });
  } else if (len === 16) {
    const w = hintWeight(hints, "android_id");
    if (w === 0 || !allHex(d, at, 16) || allSame(d, at, 16, false)) return;
    const reason = "16 hex digits, Android ID key";
    emit({ kind: "android_id", value: latin1(d, at, at + 16), confidence: withKey(0.4, w), reason });
  }
}

/** True when a UUID in text form (8-4-4-4-12 hex) starts at `at`. */
export function isUuidAt(d: Uint8Array, at: number): boolean {
  if (at + 36 > d.length) return false;
  for (let i = 0; i < 36; i++) {
    const b = d[at + i];
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (b !== 0x2d) return false;
    } else if (hexValue(b) < 0) return false;
  }
  return true;
}

/**
 * A UUID at `at` (a token start) under an advertising-ID key: emits and returns its end, else -1. The
 * all-zero UUID is what a phone sends when ad tracking is limited: not an identifier.
 */
export function advertisingUuid(
  d: Uint8Array,
  at: number,
  hints: readonly KeyHint[],
  emit: (h: GenericHit) => void,
): number {
  if (!isUuidAt(d, at)) return -1;
  const end = at + 36;
  if (end < d.length && (isAlnum(d[end]) || d[end] === 0x2d)) return -1;
  const w = hintWeight(hints, "aaid");
  if (w === 0 || allSame(d, at, 36, true)) return -1;
  emit({
    kind: "aaid",
    value: latin1(d, at, end),
    confidence: withKey(0.5, w),
    reason: "UUID, advertising-ID key",
  });
  return end;
}
