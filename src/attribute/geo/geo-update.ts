// `phonehome geo update --from DIR`: newer tables of the packages' layout, or a user's own country MMDB, go
// into the user folder. Every file is copied beside its destination, checked there (an MMDB must answer a
// country for a well-known address, a CSV must parse and be sorted), and only when all pass are they renamed
// into place: a bad file installs nothing, and a running lookup never sees a half-written table.

import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { basename, join } from "node:path";
import { MAX_LINE_BYTES, parseAsnLine } from "./asn-db.ts";
import { countryIn, errorText, GeoFileError, type Mmdb, openMmdb } from "./country-db.ts";
import { GEO_FILE_NAMES, GEO_FILE_ROLES, type GeoEnv, type GeoFileRole, userGeoDir } from "./geo-files.ts";
import { parseIp } from "./ip-address.ts";

/** A table put into the user folder. */
export interface InstalledGeoFile {
  /** What it holds. */
  role: GeoFileRole;
  /** The file it came from. */
  from: string;
  /** Where it now is. */
  to: string;
  /** What the check found, e.g. `412001 ranges` or `8.8.8.8 → US`. */
  detail: string;
}

/** What an update did. */
export interface GeoUpdateResult {
  /** The user folder. */
  dir: string;
  /** Files installed. */
  installed: InstalledGeoFile[];
  /** Files of the source folder that are no geo table. */
  ignored: string[];
  /** Things the user should know (e.g. an own MMDB that still takes precedence). */
  notes: string[];
}

// Well-known addresses every country table covers (Google Public DNS).
const PROBE_V4 = "8.8.8.8";
const PROBE_V6 = "2001:4860:4860::8888";
const MAX_V4 = 0xffff_ffffn;
const MAX_V6 = (1n << 128n) - 1n;
const READ_BYTES = 1024 * 1024;
const PACKAGE_NAMES = GEO_FILE_ROLES.filter((r) => r !== "own").map((r) => GEO_FILE_NAMES[r]);

/** Checks a country MMDB; returns what it found, throws GeoFileError saying what is wrong. */
export function checkCountryMmdb(path: string, role: GeoFileRole): string {
  const db = openMmdb(path);
  try {
    return describeCountryMmdb(db, role);
  } finally {
    db.close();
  }
}

function describeCountryMmdb(db: Mmdb, role: GeoFileRole): string {
  const v6Only = role === "countryV6";
  if ((v6Only || role === "countryAll") && db.ipVersion !== 6) {
    throw new GeoFileError(`an IPv4-only MMDB where the name says it holds IPv6`);
  }
  const probe = v6Only ? PROBE_V6 : PROBE_V4;
  let cc: string | undefined;
  try {
    cc = countryIn(db, parseIp(probe)!);
  } catch (e) {
    throw new GeoFileError(`unreadable search tree or data (${errorText(e)})`);
  }
  if (!cc) {
    throw new GeoFileError(`no country for ${probe} (neither a country_code nor a country.iso_code field)`);
  }
  const built = Number.isNaN(db.built.getTime())
    ? "no build date"
    : `built ${db.built.toISOString().slice(0, 10)}`;
  return `${db.type}, ${built}, ${probe} → ${cc}`;
}

/** Checks one CSV line against the previous start; returns its start or throws with what is wrong. */
function checkLine(text: string, max: bigint, prev: bigint): bigint {
  const row = parseAsnLine(text);
  if (!row) throw new Error("not start,end,asn,org with integers and start ≤ end");
  if (row.end > max) throw new Error(`address beyond ${max === MAX_V4 ? "32" : "128"} bits`);
  if (row.start < prev) throw new Error("not sorted by start address");
  return row.start;
}

/** Checks an ASN CSV line by line (bounded memory); returns the number of ranges, throws GeoFileError. */
export function checkAsnCsv(path: string, family: 4 | 6): string {
  const max = family === 4 ? MAX_V4 : MAX_V6;
  let line = 0;
  let prev = -1n;
  const take = (data: Buffer, from: number, to: number) => {
    line++;
    try {
      if (to - from > MAX_LINE_BYTES) throw new Error(`longer than ${MAX_LINE_BYTES} bytes`);
      prev = checkLine(data.toString("utf8", from, to), max, prev);
    } catch (e) {
      throw new GeoFileError(`line ${line}: ${errorText(e)}`);
    }
  };
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(READ_BYTES);
    let carry = Buffer.alloc(0);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      const data = Buffer.concat([carry, buf.subarray(0, n)]);
      let s = 0;
      for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, s)) {
        take(data, s, nl);
        s = nl + 1;
      }
      carry = data.subarray(s);
      if (carry.length > MAX_LINE_BYTES) take(carry, 0, carry.length);
    }
    if (carry.length > 0) take(carry, 0, carry.length);
  } finally {
    closeSync(fd);
  }
  if (line === 0) throw new GeoFileError("empty file");
  return `${line} ranges`;
}

/** The role a file name has in a source folder: a package name, or any other `.mmdb` as the user's own. */
function roleOfName(name: string): GeoFileRole | undefined {
  for (const [role, file] of Object.entries(GEO_FILE_NAMES)) if (file === name) return role as GeoFileRole;
  return name.toLowerCase().endsWith(".mmdb") ? "own" : undefined;
}

/** The files to install from `from` (a folder, or one file) and the ones ignored. */
function sources(from: string): { files: { path: string; role: GeoFileRole }[]; ignored: string[] } {
  if (!existsSync(from)) throw new GeoFileError(`${from}: no such file or folder`);
  const isDir = statSync(from).isDirectory();
  const names = isDir ? readdirSync(from).sort() : [basename(from)];
  const files: { path: string; role: GeoFileRole }[] = [];
  const ignored: string[] = [];
  for (const name of names) {
    const path = isDir ? join(from, name) : from;
    const role = roleOfName(name);
    if (role && statSync(path, { throwIfNoEntry: false })?.isFile()) files.push({ path, role });
    else ignored.push(name);
  }
  const own = files.filter((f) => f.role === "own");
  if (own.length > 1) {
    throw new GeoFileError(
      `${from}: several MMDB files of no known layout (${own.map((f) => basename(f.path)).join(", ")}); keep one`,
    );
  }
  if (files.length === 0) {
    throw new GeoFileError(
      `${from}: no geo table (expected ${PACKAGE_NAMES.join(", ")} or a country *.mmdb)`,
    );
  }
  return { files, ignored };
}

/** Checks one staged copy; a failure names the source file. */
function checked(tmp: string, source: string, role: GeoFileRole): string {
  try {
    if (role === "asnV4" || role === "asnV6") return checkAsnCsv(tmp, role === "asnV4" ? 4 : 6);
    return checkCountryMmdb(tmp, role);
  } catch (e) {
    throw new GeoFileError(`${source}: ${errorText(e)}`);
  }
}

/** Checks the files of `from` and installs them into the user folder; throws GeoFileError, one line naming the bad file. */
export function updateGeo(from: string, env: GeoEnv = process.env): GeoUpdateResult {
  const { files, ignored } = sources(from);
  const dir = userGeoDir(env);
  const staged: string[] = [];
  const installed: InstalledGeoFile[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const f of files) {
      const tmp = join(dir, `.${GEO_FILE_NAMES[f.role]}.${process.pid}.tmp`);
      staged.push(tmp);
      copyFileSync(f.path, tmp);
      const detail = checked(tmp, f.path, f.role);
      installed.push({ role: f.role, from: f.path, to: join(dir, GEO_FILE_NAMES[f.role]), detail });
    }
  } catch (e) {
    for (const tmp of staged) rmSync(tmp, { force: true });
    throw e instanceof GeoFileError ? e : new GeoFileError(errorText(e));
  }
  // Same folder, so each rename is atomic: a lookup opens either the old table or the new one.
  for (let i = 0; i < staged.length; i++) renameSync(staged[i], installed[i].to);
  return { dir, installed, ignored, notes: notes(dir, installed) };
}

function notes(dir: string, installed: InstalledGeoFile[]): string[] {
  const own = join(dir, GEO_FILE_NAMES.own);
  const countryInstalled = installed.some((f) => f.role.startsWith("country"));
  if (countryInstalled && !installed.some((f) => f.role === "own") && existsSync(own)) {
    return [
      `${own} (your own country MMDB) still takes precedence; delete it to use the tables just installed`,
    ];
  }
  return [];
}
