// Decoding one encoded field section (a HEADERS frame's payload, RFC 9204 §4.5): the prefix gives the
// Required Insert Count and the Base, then each field line is an index into the static or dynamic table, a
// literal with an indexed name, or a literal with a literal name. A section that needs insertions not yet
// received is "blocked" (§2.2.1): the caller keeps it and tries again after the encoder stream moves on.
// Output is bounded in lines and in decoded bytes (a small block can reference large entries many times).

import type { HttpHeader } from "../../model/http-message.ts";
import type { QpackDynamicTable, QpackEntry } from "./qpack-dynamic-table.ts";
import {
  fieldText,
  type QpackReader,
  qpackReader,
  readPrefixInt,
  readQpackString,
} from "./qpack-primitives.ts";
import { QPACK_STATIC_TABLE } from "./qpack-static-table.ts";

/** Bounds of a decoded field section. */
export interface FieldSectionLimits {
  /** Field lines at most. */
  maxFields: number;
  /** Name and value octets at most, summed. */
  maxBytes: number;
}

/** Defaults: 256 lines (as the HTTP/1 decoder), 256 KiB. */
export const DEFAULT_FIELD_LIMITS: FieldSectionLimits = { maxFields: 256, maxBytes: 256 * 1024 };

/** Outcome of decoding a field section. */
export type FieldSectionResult =
  | { status: "ok"; headers: HttpHeader[] }
  | { status: "blocked"; requiredInsertCount: number }
  | { status: "error"; why: string };

/**
 * Decodes `block` against `table`, whose decoder announced `maxTableCapacity` in its SETTINGS (the Required
 * Insert Count is encoded modulo twice the entries that capacity holds, §4.5.1.1).
 */
export function decodeFieldSection(
  block: Uint8Array,
  table: QpackDynamicTable,
  maxTableCapacity: number,
  limits: FieldSectionLimits = DEFAULT_FIELD_LIMITS,
): FieldSectionResult {
  const r = qpackReader(block);
  const encoded = readPrefixInt(r, 8);
  if (encoded < 0) return { status: "error", why: "truncated Required Insert Count" };
  const ric = requiredInsertCount(encoded, table.inserted, Math.floor(maxTableCapacity / 32));
  if (typeof ric === "string") return { status: "error", why: ric };
  if (r.pos >= r.end) return { status: "error", why: "truncated Base" };
  const negative = (block[r.pos] & 0x80) !== 0;
  const delta = readPrefixInt(r, 7);
  if (delta < 0) return { status: "error", why: "truncated Base" };
  // §4.5.1.2: Base = RIC + DeltaBase, or RIC - DeltaBase - 1 when the sign bit is set.
  const base = negative ? ric - delta - 1 : ric + delta;
  if (base < 0) return { status: "error", why: `negative Base (RIC ${ric}, delta ${delta})` };
  if (ric > table.inserted) return { status: "blocked", requiredInsertCount: ric };
  const lines = new FieldLines(table, ric, base, limits);
  while (r.pos < r.end) {
    const why = lines.line(r);
    if (why !== undefined) return { status: "error", why };
  }
  return { status: "ok", headers: lines.headers };
}

/** §4.5.1.1: the Required Insert Count from its encoding, the decoder's Insert Count and MaxEntries. */
export function requiredInsertCount(encoded: number, inserted: number, maxEntries: number): number | string {
  if (encoded === 0) return 0;
  const fullRange = 2 * maxEntries;
  if (encoded > fullRange) return `encoded Required Insert Count ${encoded} above ${fullRange}`;
  const maxValue = inserted + maxEntries;
  const maxWrapped = Math.floor(maxValue / fullRange) * fullRange;
  let ric = maxWrapped + encoded - 1;
  if (ric > maxValue) {
    if (ric <= fullRange) return `Required Insert Count ${ric} beyond what can be inserted`;
    ric -= fullRange;
  }
  if (ric === 0) return "Required Insert Count 0 encoded as non-zero";
  return ric;
}

/** The field lines of one section. */
class FieldLines {
  readonly headers: HttpHeader[] = [];
  private bytes = 0;

  constructor(
    private readonly table: QpackDynamicTable,
    private readonly ric: number,
    private readonly base: number,
    private readonly limits: FieldSectionLimits,
  ) {}

  /** One representation at the cursor; an error text or undefined. */
  line(r: QpackReader): string | undefined {
    if (this.headers.length >= this.limits.maxFields) return `more than ${this.limits.maxFields} field lines`;
    const b = r.buf[r.pos];
    if (b & 0x80) {
      // 1 T index(6+): Indexed Field Line (§4.5.2)
      const i = readPrefixInt(r, 6);
      return i < 0 ? short(r) : this.entry(this.lookup(i, (b & 0x40) !== 0, false), undefined);
    }
    if (b & 0x40) {
      // 01 N T index(4+) value: Literal Field Line with Name Reference (§4.5.4)
      const i = readPrefixInt(r, 4);
      if (i < 0) return short(r);
      return this.withValue(r, this.lookup(i, (b & 0x10) !== 0, false));
    }
    if (b & 0x20) {
      // 001 N H length(3+) name value: Literal Field Line with Literal Name (§4.5.6)
      const name = readQpackString(r, 3);
      if (name === undefined) return short(r);
      return this.withValue(r, { name: fieldText(name), value: "", nameOctets: name.length, size: 0 });
    }
    if (b & 0x10) {
      // 0001 index(4+): Indexed Field Line with Post-Base Index (§4.5.3)
      const i = readPrefixInt(r, 4);
      return i < 0 ? short(r) : this.entry(this.lookup(i, false, true), undefined);
    }
    // 0000 N index(3+) value: Literal Field Line with Post-Base Name Reference (§4.5.5)
    const i = readPrefixInt(r, 3);
    return i < 0 ? short(r) : this.withValue(r, this.lookup(i, false, true));
  }

  /** A static entry, or a dynamic one by relative (Base - i - 1) or post-Base (Base + i) index (§3.2.5-6). */
  private lookup(i: number, isStatic: boolean, postBase: boolean): QpackEntry | string {
    if (isStatic) {
      const s = QPACK_STATIC_TABLE[i];
      return s ? { name: s[0], value: s[1], nameOctets: s[0].length, size: 0 } : `static index ${i}`;
    }
    const abs = postBase ? this.base + i : this.base - i - 1;
    // §2.2.3: a reference at or past the Required Insert Count is an error, as is an evicted entry.
    if (abs < 0 || abs >= this.ric) return `dynamic index ${abs} outside Required Insert Count ${this.ric}`;
    return this.table.get(abs) ?? `dynamic index ${abs} evicted`;
  }

  private withValue(r: QpackReader, e: QpackEntry | string): string | undefined {
    if (typeof e === "string") return e;
    const value = readQpackString(r, 7);
    if (value === undefined) return short(r);
    return this.entry(e, fieldText(value));
  }

  private entry(e: QpackEntry | string, value: string | undefined): string | undefined {
    if (typeof e === "string") return e;
    const v = value ?? e.value;
    this.bytes += e.name.length + v.length;
    if (this.bytes > this.limits.maxBytes) return `field section above ${this.limits.maxBytes} bytes`;
    this.headers.push({ name: e.name, value: v });
    return undefined;
  }
}

/** The error of a read that ran out (inside a complete HEADERS frame, that is malformed) or failed. */
function short(r: QpackReader): string {
  return r.error ?? "field line truncated";
}
