// IP → ISO 3166-1 alpha-2 country from MaxMind DB files (the ip-location-db `country_code` layout, or a
// MaxMind-style `country.iso_code` one a user brings). A file is opened on the first lookup of its address
// family, so a capture with only IPv4 never opens the IPv6 table; its search tree stays on disk and only the
// pages lookups walk through are read (mmdb-source.ts).

import type { ParsedIp } from "./ip-address.ts";
import { BufferSource, FileSource, type MmdbSource } from "./mmdb-source.ts";
import { MmdbTree } from "./mmdb-tree.ts";

/** Largest MMDB accepted (a city-level database is ~130 MB; a country one is a few MB). */
export const MAX_MMDB_BYTES = 512 * 1024 * 1024;

/** An MMDB that could not be opened or read. */
export class GeoFileError extends Error {
  override name = "GeoFileError";
}

/** An open MMDB (its tree, the address families it covers, its metadata). */
export type Mmdb = MmdbTree;

/** An MMDB over `src`; throws GeoFileError with a one-line reason when it is too large or not an MMDB. */
export function mmdbOf(src: MmdbSource): Mmdb {
  try {
    if (src.size > MAX_MMDB_BYTES) throw new GeoFileError(`larger than ${MAX_MMDB_BYTES} bytes`);
    return new MmdbTree(src);
  } catch (e) {
    src.close();
    throw e instanceof GeoFileError ? e : new GeoFileError(`not a MaxMind DB file (${errorText(e)})`);
  }
}

/** Opens an MMDB file; throws GeoFileError with a one-line reason when it cannot be read or is no MMDB. */
export function openMmdb(path: string): Mmdb {
  let src: FileSource;
  try {
    src = new FileSource(path);
  } catch (e) {
    throw new GeoFileError(errorText(e));
  }
  return mmdbOf(src);
}

/** The message of an error, on one line. */
export function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ");
}

function isoCode(v: unknown): string | undefined {
  if (typeof v !== "string" || !/^[A-Za-z]{2}$/.test(v)) return undefined;
  return v.toUpperCase();
}

function field(record: unknown, key: string): unknown {
  return record !== null && typeof record === "object" ? (record as Record<string, unknown>)[key] : undefined;
}

/**
 * The country code of an MMDB record: ip-location-db's `country_code`, else MaxMind's `country.iso_code`,
 * else `registered_country.iso_code` (MaxMind leaves `country` out for some anycast and satellite ranges).
 */
export function countryOfRecord(record: unknown): string | undefined {
  return (
    isoCode(field(record, "country_code")) ??
    isoCode(field(field(record, "country"), "iso_code")) ??
    isoCode(field(field(record, "registered_country"), "iso_code"))
  );
}

/** The country of `ip` in `db`, or undefined (no record, or a v6 address and a v4-only tree). */
export function countryIn(db: Mmdb, ip: ParsedIp): string | undefined {
  // An IPv4-only tree answers an IPv6 query by walking its first 32 bits: a wrong country, not an error.
  if (ip.family === 6 && db.ipVersion !== 6) return undefined;
  return countryOfRecord(db.get(ip));
}

/** Country lookups over one MMDB per family (both may name the same file, read once). */
export class CountryDb {
  private readonly open = new Map<string, Mmdb | undefined>();
  /** Problems met opening or reading the files, one line each (each file at most once). */
  readonly problems: string[] = [];

  /** `v4` and `v6` are the MMDB paths for each family; `read` gives one's bytes (tests, from memory). */
  constructor(
    private readonly files: { v4?: string; v6?: string },
    private readonly read?: (path: string) => Buffer,
  ) {}

  /** The country of a public address, or undefined. */
  country(ip: ParsedIp): string | undefined {
    const path = ip.family === 4 ? this.files.v4 : this.files.v6;
    if (!path) return undefined;
    const db = this.db(path);
    if (!db) return undefined;
    try {
      return countryIn(db, ip);
    } catch (e) {
      // A corrupt tree or data section: this file is given up, the run goes on without countries.
      this.problems.push(`${path}: ${errorText(e)}`);
      this.open.get(path)?.close();
      this.open.set(path, undefined);
      return undefined;
    }
  }

  private db(path: string): Mmdb | undefined {
    if (!this.open.has(path)) {
      try {
        this.open.set(path, this.read ? mmdbOf(new BufferSource(this.read(path))) : openMmdb(path));
      } catch (e) {
        this.problems.push(`${path}: ${errorText(e)}`);
        this.open.set(path, undefined);
      }
    }
    return this.open.get(path);
  }
}
