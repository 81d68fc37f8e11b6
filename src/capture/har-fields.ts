// Small, forgiving readers for HAR fields. Real tools leave fields out, write numbers as strings and
// vice versa; each reader returns undefined instead of throwing, and the caller decides what is a weird.

import type { HttpCookie, HttpHeader, HttpTimings } from "../model/http-message.ts";

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value when it is a string. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** The value when it is a non-empty string. */
export function nonEmpty(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** A finite number, also from a numeric string (Chrome writes `connection` as one, others write numbers). */
export function num(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** A number ≥ 0; HAR 1.2 writes -1 for "does not apply". */
export function nonNegative(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && n >= 0 ? n : undefined;
}

/**
 * A `{name, value}` list (headers, cookies, params) in order. Items without a string name are dropped and
 * counted in `bad`; a number or boolean value is kept as its text, since some tools write `"value": 0`.
 */
export function nameValues(v: unknown): { list: HttpHeader[]; bad: number } {
  const list: HttpHeader[] = [];
  if (v === undefined || v === null) return { list, bad: 0 };
  if (!Array.isArray(v)) return { list, bad: 1 };
  let bad = 0;
  for (const item of v) {
    const name = isObject(item) ? item.name : undefined;
    const value = isObject(item) ? item.value : undefined;
    if (typeof name !== "string") bad++;
    else if (typeof value === "string") list.push({ name, value });
    else if (typeof value === "number" || typeof value === "boolean")
      list.push({ name, value: String(value) });
    else if (value === undefined || value === null) list.push({ name, value: "" });
    else bad++;
  }
  return { list, bad };
}

/** Cookies as listed, or undefined when there are none. */
export function cookies(v: unknown): HttpCookie[] | undefined {
  const { list } = nameValues(v);
  return list.length > 0 ? list : undefined;
}

const PHASES = ["blocked", "dns", "connect", "ssl", "send", "wait", "receive"] as const;

/** HAR `timings` plus the entry's `time`; undefined when neither says anything. */
export function timings(t: unknown, total: unknown): HttpTimings | undefined {
  const out: HttpTimings = {};
  let any = false;
  if (isObject(t)) {
    for (const phase of PHASES) {
      const ms = nonNegative(t[phase]);
      if (ms !== undefined) {
        out[phase] = ms;
        any = true;
      }
    }
  }
  const all = nonNegative(total);
  if (all !== undefined) {
    out.total = all;
    any = true;
  }
  return any ? out : undefined;
}

/** Milliseconds from the request's start until the first response byte (HAR 1.2 §timings; ssl is in connect). */
export function msToFirstByte(t: HttpTimings): number {
  return (t.blocked ?? 0) + (t.dns ?? 0) + (t.connect ?? 0) + (t.send ?? 0) + (t.wait ?? 0);
}

// ISO 8601 as HAR tools write it: `2023-03-29T16:58:59.303-07:00`, `...726810+00:00`, `...Z`, `+0100`.
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Float seconds since the epoch from an ISO 8601 date-time with any offset, keeping sub-millisecond digits
 * that `Date.parse` would drop. A time without an offset is taken as UTC. Undefined when unreadable.
 */
export function isoSeconds(v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  const m = ISO_TIME.exec(v.trim());
  if (!m) {
    const ms = v.length < 100 ? Date.parse(v) : Number.NaN;
    return Number.isFinite(ms) ? ms / 1000 : undefined;
  }
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const frac = m[7] ? Number(`0.${m[7].slice(0, 9)}`) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + frac - offsetSeconds(m[8]);
}

function offsetSeconds(zone: string | undefined): number {
  if (zone === undefined || zone === "Z" || zone === "z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 3600 + minutes * 60);
}
