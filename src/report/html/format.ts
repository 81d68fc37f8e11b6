// Number, time and label formatting for the HTML report. A report may be read back from a saved JSON file,
// so every value is checked here: a number that is not finite prints as a dash, a level or transport outside
// its closed set falls back to a neutral one, and class names are only ever built from those closed sets.

import { TRANSPORTS, type Transport } from "../../model/destination.ts";
import { SEVERITIES, type Severity } from "../../model/judgement.ts";

const DASH = "—";

/**
 * An en-US number format made on first use: every command loads this module, and ICU's number data is only
 * needed for HTML.
 */
function lazyFormat(maximumFractionDigits: number): { format(n: number): string } {
  let f: Intl.NumberFormat | undefined;
  return {
    format(n: number): string {
      f ??= new Intl.NumberFormat("en-US", { maximumFractionDigits });
      return f.format(n);
    },
  };
}

const INT = lazyFormat(0);
const DEC = lazyFormat(2);

/** An integer count with thousands separators (`12,345`); a dash when not a finite number. */
export function fmtInt(n: unknown): string {
  return typeof n === "number" && Number.isFinite(n) ? INT.format(n) : DASH;
}

/** A decimal number with at most two fractional digits. */
export function fmtDecimal(n: unknown): string {
  return typeof n === "number" && Number.isFinite(n) ? DEC.format(n) : DASH;
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

/** A byte count in binary units (`1.5 MiB`). */
export function fmtBytes(n: unknown): string {
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) return DASH;
  let v = n;
  let unit = 0;
  while (v >= 1024 && unit < BYTE_UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${unit === 0 ? INT.format(v) : DEC.format(v)} ${BYTE_UNITS[unit]}`;
}

/** True for a time stamp a Date can show (seconds since the epoch, years 1970–9999). */
export function isTime(ts: unknown): ts is number {
  return typeof ts === "number" && Number.isFinite(ts) && ts >= 0 && ts < 253402300800;
}

/** Seconds since the epoch as `2014-08-10 09:12:03 UTC` (milliseconds shown when not whole). */
export function fmtTime(ts: unknown): string {
  if (!isTime(ts)) return DASH;
  const iso = new Date(Math.round(ts * 1000)).toISOString();
  const frac = iso.slice(19, 23) === ".000" ? "" : iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac} UTC`;
}

/** Time of day, `09:12:03`, for axis ticks. */
export function fmtClock(ts: number): string {
  return isTime(ts) ? new Date(Math.round(ts * 1000)).toISOString().slice(11, 19) : DASH;
}

/** A duration in seconds as `2.5 s`, `3 min 4 s`, `2 h 5 min`. */
export function fmtDuration(s: unknown): string {
  if (typeof s !== "number" || !Number.isFinite(s) || s < 0) return DASH;
  if (s < 60) return `${DEC.format(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** An SVG coordinate: rounded to one decimal so the file stays small. */
export function fmtCoord(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 10) / 10) : "0";
}

/** The severity if it is one of the closed set, else `info` (a saved report may hold anything). */
export function severityOf(s: unknown): Severity {
  return SEVERITIES.includes(s as Severity) ? (s as Severity) : "info";
}

/** The transport if it is one of the closed set, else undefined. */
export function transportOf(t: unknown): Transport | undefined {
  return TRANSPORTS.includes(t as Transport) ? (t as Transport) : undefined;
}

/** Words for each transport, for readers who do not know the protocol names. */
const TRANSPORT_WORDS: Record<Transport, string> = {
  cleartext: "cleartext (unencrypted)",
  tls: "TLS (encrypted, not decrypted)",
  "tls-decrypted": "TLS (decrypted with the key log)",
  quic: "QUIC (encrypted)",
  har: "HAR (proxy export)",
  proxy: "intercepting proxy",
};

/** A transport in words. */
export function transportWords(t: unknown): string {
  const v = transportOf(t);
  return v ? TRANSPORT_WORDS[v] : "unknown";
}

/** A severity's CSS class, built only from the closed set. */
export function sevClass(s: unknown): string {
  return `sev-${severityOf(s)}`;
}

/** A transport's CSS class, built only from the closed set. */
export function transportClass(t: unknown): string {
  return `tr-${transportOf(t) ?? "unknown"}`;
}

/** An identifier kind in words (`phone_number` → `phone number`). */
export function kindWords(kind: unknown): string {
  return typeof kind === "string" ? kind.replace(/_/g, " ") : DASH;
}

/** `n thing` or `n things`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

/** A frame number, port or similar plain integer without separators; a dash when not a whole number ≥ 0. */
export function fmtPlain(n: unknown): string {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? String(n) : DASH;
}

/** The first `max` items of a list as strings; empty when the value is not a list (a malformed saved report). */
export function stringList(list: unknown, max = 50): string[] {
  return Array.isArray(list) ? list.slice(0, max).map((v) => String(v)) : [];
}
