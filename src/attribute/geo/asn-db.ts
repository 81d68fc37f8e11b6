// IP → AS number and organisation from the ip-location-db ASN CSVs (`start,end,asn,org`, ranges as unsigned
// integers, sorted by start). The files are 10–20 MB, so they are never loaded: each lookup binary-searches
// the file itself with ~25 small positioned reads, and start-up costs one open().

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { errorText } from "./country-db.ts";

/** Longest CSV line accepted (the package's longest is 254 bytes); a longer one means a damaged file. */
export const MAX_LINE_BYTES = 1024;

/** One range of the table. */
export interface AsnRow {
  /** First address of the range, as an integer. */
  start: bigint;
  /** Last address of the range (inclusive). */
  end: bigint;
  /** Autonomous system number. */
  asn: number;
  /** Organisation holding the AS, as the data spells it ("" when the file has none). */
  org: string;
}

const BIG_DIGITS = /^\d{1,39}$/;
const ASN_DIGITS = /^\d{1,10}$/;

/** The org field: bare, or quoted with inner quotes doubled (RFC 4180 §2 rules 5–7); undefined if malformed. */
function parseOrg(field: string): string | undefined {
  if (!field.startsWith('"')) return field;
  if (field.length < 2 || !field.endsWith('"')) return undefined;
  const inner = field.slice(1, -1);
  if (inner.replaceAll('""', "").includes('"')) return undefined;
  return inner.replaceAll('""', '"');
}

/** One CSV line (without its newline; a trailing CR is ignored), or undefined when it is not a valid row. */
export function parseAsnLine(line: string): AsnRow | undefined {
  if (line.endsWith("\r")) line = line.slice(0, -1);
  const c1 = line.indexOf(",");
  const c2 = c1 < 0 ? -1 : line.indexOf(",", c1 + 1);
  const c3 = c2 < 0 ? -1 : line.indexOf(",", c2 + 1);
  if (c3 < 0) return undefined;
  const s = line.slice(0, c1);
  const e = line.slice(c1 + 1, c2);
  const a = line.slice(c2 + 1, c3);
  if (!BIG_DIGITS.test(s) || !BIG_DIGITS.test(e) || !ASN_DIGITS.test(a)) return undefined;
  const start = BigInt(s);
  const end = BigInt(e);
  const asn = Number(a);
  const org = parseOrg(line.slice(c3 + 1));
  if (end < start || asn > 0xffff_ffff || org === undefined) return undefined;
  return { start, end, asn, org };
}

/** A line found in the file: where it starts and what it says. */
interface Located {
  at: number;
  row: AsnRow;
}

/** Bytes of the file from offset `at`; `eof` when they reach its end. */
interface Window {
  at: number;
  bytes: Buffer;
  eof: boolean;
}

/** Below this many bytes between the bounds, the rest of the search reads them at once and goes on in memory. */
const CHUNK_BYTES = 16 * 1024;
/** Most lines remembered from the top of the search (the same few thousand probes recur for every lookup). */
const MAX_REMEMBERED = 8192;

/** The file breaks the layout at `at`; the table is given up. */
class DamagedAt extends Error {
  constructor(readonly at: number) {
    super(`damaged at byte ${at} (not a start,end,asn,org line of at most ${MAX_LINE_BYTES} bytes)`);
  }
}

/** Range lookups in one sorted ASN CSV, read on demand. */
export class AsnTable {
  private fd = -1;
  private size = 0;
  private first: Located | undefined;
  private failed = false;
  // A probe reads up to a line's worth of bytes to reach the next line start, then a whole line.
  private readonly probe = Buffer.alloc(2 * MAX_LINE_BYTES + 1);
  private readonly chunk = Buffer.alloc(CHUNK_BYTES + MAX_LINE_BYTES + 1);
  private readonly remembered = new Map<number, Located | null>();
  /** Positioned reads made so far (for measurements). */
  reads = 0;
  /** Problems met opening or reading the file, one line each (at most one). */
  readonly problems: string[] = [];

  /** `path` is an `asn-ipv4-num.csv` or `asn-ipv6-num.csv` layout file; nothing is opened yet. */
  constructor(readonly path: string) {}

  /** The range holding the address `value`, or undefined (before the first range, in a gap, or after the last). */
  find(value: bigint): AsnRow | undefined {
    if (!this.ready()) return undefined;
    try {
      const first = this.first;
      if (!first || first.row.start > value) return undefined;
      const lo = this.search(first, value);
      return value <= lo.row.end ? lo.row : undefined;
    } catch (e) {
      this.fail(errorText(e));
      return undefined;
    }
  }

  /** Releases the file. A later find() reopens it. */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.remembered.clear();
  }

  /**
   * The last line whose start ≤ value. Invariant: `lo` is such a line, and every line starting at or after
   * byte `hi` starts its range above `value`. Far apart, each probe is one small read (remembered, as the top
   * probes recur for every lookup); close together, one read covers the rest and the bisection ends in memory.
   */
  private search(first: Located, value: bigint): Located {
    const far = this.narrow(first, this.size, value, CHUNK_BYTES, (pos) => this.probeAt(pos));
    if (far.hi - far.lo.at <= 1) return far.lo;
    const win = this.read(this.chunk, far.lo.at, far.hi - far.lo.at + MAX_LINE_BYTES + 1);
    return this.narrow(far.lo, far.hi, value, 1, (pos, limit) => this.lineIn(win, pos, limit)).lo;
  }

  /** Bisects until the bounds are at most `until` bytes apart; each step moves one bound, so it ends. */
  private narrow(
    lo: Located,
    hi: number,
    value: bigint,
    until: number,
    lineAt: (pos: number, limit: number) => Located | null,
  ): { lo: Located; hi: number } {
    while (hi - lo.at > until) {
      const mid = lo.at + Math.floor((hi - lo.at) / 2);
      const l = lineAt(mid, hi);
      if (!l || l.at >= hi) hi = mid;
      else if (l.row.start <= value) lo = l;
      else hi = l.at;
    }
    return { lo, hi };
  }

  /** The first line at or after `pos`, far from any bound (so it always fits one small read). */
  private probeAt(pos: number): Located | null {
    const known = this.remembered.get(pos);
    if (known !== undefined) return known;
    const l = this.lineIn(this.read(this.probe, pos - 1, this.probe.length), pos, this.size);
    if (this.remembered.size < MAX_REMEMBERED) this.remembered.set(pos, l);
    return l;
  }

  private read(into: Buffer, at: number, len: number): Window {
    const n = readSync(this.fd, into, 0, Math.min(len, into.length), at);
    this.reads++;
    return { at, bytes: into.subarray(0, n), eof: at + n >= this.size };
  }

  private ready(): boolean {
    if (this.failed) return false;
    if (this.fd >= 0) return true;
    try {
      this.fd = openSync(this.path, "r");
      this.size = fstatSync(this.fd).size;
      this.first = this.lineIn(this.read(this.probe, 0, this.probe.length), 0, this.size) ?? undefined;
      if (!this.first) throw new Error("empty file");
      return true;
    } catch (e) {
      this.fail(errorText(e));
      return false;
    }
  }

  private fail(reason: string): void {
    this.failed = true;
    this.problems.push(`${this.path}: ${reason}`);
    this.close();
  }

  /**
   * The first line starting at or after byte `pos` and before `limit`, or null when none does. `win` starts
   * at `pos - 1` or earlier (at 0 when pos is 0): a line starts right after a newline, so the byte before
   * `pos` is looked at too.
   */
  private lineIn(win: Window, pos: number, limit: number): Located | null {
    const b = win.bytes;
    let rel = pos - win.at;
    if (pos > 0) {
      const nl = b.indexOf(10, rel - 1);
      if (nl < 0) {
        if (win.eof || win.at + b.length >= limit) return null;
        throw new DamagedAt(pos);
      }
      rel = nl + 1;
    }
    const at = win.at + rel;
    if (at >= limit) return null;
    let end = b.indexOf(10, rel);
    if (end < 0 && win.eof) end = b.length;
    if (end < 0 || end - rel > MAX_LINE_BYTES) throw new DamagedAt(at);
    const row = parseAsnLine(b.toString("utf8", rel, end));
    if (!row) throw new DamagedAt(at);
    return { at, row };
  }
}
