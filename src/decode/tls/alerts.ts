// TLS alerts (RFC 8446 §6, RFC 5246 §7.2) as short strings for the record: who sent it, how bad, why.
// A phone that rejects a certificate (pinning, an interception proxy) says so here with `unknown_ca` or
// `bad_certificate`, which is often the only trace of a failed interception.

import { ALERT_NAMES } from "./tls-names.ts";

/** Alerts kept per connection; more are counted in the last entry's place, not stored. */
export const MAX_ALERTS = 8;

/** Alert levels (RFC 5246 §7.2). */
export const ALERT_LEVELS = ["warning", "fatal"] as const;

/** `warning`, `fatal`, or the number for a level outside the RFC. */
export function alertLevelName(level: number): string {
  return ALERT_LEVELS[level - 1] ?? String(level);
}

/** The description's name, or its number when unassigned. */
export function alertDescriptionName(desc: number): string {
  return ALERT_NAMES.get(desc) ?? String(desc);
}

/**
 * `orig:fatal:unknown_ca` — the side that sent the alert (`orig` client, `resp` server), level and
 * description. An alert whose body is encrypted (after ChangeCipherSpec) is `orig:encrypted`.
 */
export function formatAlert(fromOrig: boolean, level: number, desc: number): string {
  const side = fromOrig ? "orig" : "resp";
  if (level < 0) return `${side}:encrypted`;
  return `${side}:${alertLevelName(level)}:${alertDescriptionName(desc)}`;
}
