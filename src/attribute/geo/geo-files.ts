// Where the offline IP tables live. The installed npm packages ship them; a user folder (filled by
// `phonehome geo update`) overrides them file by file, so newer tables need no reinstall of phonehome.

import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** The package holding the country MMDBs. */
export const COUNTRY_PACKAGE = "@ip-location-db/geo-whois-asn-country-mmdb";
/** The package holding the ASN CSVs. */
export const ASN_PACKAGE = "@ip-location-db/asn";

/** File name of each table, as the packages name them (`own` is a user's own country MMDB, renamed). */
export const GEO_FILE_NAMES = {
  countryV4: "geo-whois-asn-country-ipv4.mmdb",
  countryV6: "geo-whois-asn-country-ipv6.mmdb",
  countryAll: "geo-whois-asn-country.mmdb",
  asnV4: "asn-ipv4-num.csv",
  asnV6: "asn-ipv6-num.csv",
  own: "own-country.mmdb",
} as const;
/** A table's role. */
export type GeoFileRole = keyof typeof GEO_FILE_NAMES;
/** Every role, in the order they are listed to users. */
export const GEO_FILE_ROLES = ["countryV4", "countryV6", "countryAll", "own", "asnV4", "asnV6"] as const;

/** Where a table file came from. */
export const GEO_ORIGINS = ["user", "package"] as const;
export type GeoOrigin = (typeof GEO_ORIGINS)[number];

/** One table file. */
export interface GeoFile {
  /** What it holds. */
  role: GeoFileRole;
  /** Absolute path. */
  path: string;
  /** The user folder or an installed package. */
  origin: GeoOrigin;
}

/** The files a lookup uses, per address family; absent when no file provides it. */
export interface ResolvedGeoFiles {
  /** Country MMDB for IPv4 addresses. */
  countryV4?: GeoFile;
  /** Country MMDB for IPv6 addresses (may be the same file as for IPv4). */
  countryV6?: GeoFile;
  /** ASN CSV for IPv4. */
  asnV4?: GeoFile;
  /** ASN CSV for IPv6. */
  asnV6?: GeoFile;
}

/** The environment variables that choose the user folder. */
export type GeoEnv = Partial<Record<"PHONEHOME_GEO_DIR" | "XDG_DATA_HOME" | "HOME", string>>;

/** The user folder: `$PHONEHOME_GEO_DIR`, else `$XDG_DATA_HOME/phonehome/geo` (XDG default `~/.local/share`). */
export function userGeoDir(env: GeoEnv = process.env): string {
  if (env.PHONEHOME_GEO_DIR) return env.PHONEHOME_GEO_DIR;
  // XDG Base Directory spec: a relative $XDG_DATA_HOME is invalid and must be ignored.
  const data = env.XDG_DATA_HOME?.startsWith("/")
    ? env.XDG_DATA_HOME
    : join(env.HOME || homedir(), ".local", "share");
  return join(data, "phonehome", "geo");
}

/** The folder of an installed package, or undefined when it is not installed. */
export function packageDir(pkg: string): string | undefined {
  try {
    // Resolved from this module, so it works from src/ and from the esbuild bundle in dist/ alike.
    return dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  } catch {
    return undefined;
  }
}

function packageOf(role: GeoFileRole): string | undefined {
  if (role === "own") return undefined;
  return role.startsWith("asn") ? ASN_PACKAGE : COUNTRY_PACKAGE;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** The file for `role`: the user folder's copy when it has one, else the package's. */
export function findGeoFile(role: GeoFileRole, env: GeoEnv = process.env): GeoFile | undefined {
  const user = join(userGeoDir(env), GEO_FILE_NAMES[role]);
  if (isFile(user)) return { role, path: user, origin: "user" };
  const pkg = packageOf(role);
  const dir = pkg ? packageDir(pkg) : undefined;
  const path = dir ? join(dir, GEO_FILE_NAMES[role]) : undefined;
  return path && isFile(path) ? { role, path, origin: "package" } : undefined;
}

/**
 * The files lookups use. Country: a user's own MMDB first (an explicit choice), then the user folder's tables,
 * then the package's; within one folder the per-family file before the combined one (half the bytes to load).
 */
export function resolveGeoFiles(env: GeoEnv = process.env): ResolvedGeoFiles {
  const found = new Map<GeoFileRole, GeoFile | undefined>();
  const get = (role: GeoFileRole) => {
    if (!found.has(role)) found.set(role, findGeoFile(role, env));
    return found.get(role);
  };
  const country = (family: "countryV4" | "countryV6"): GeoFile | undefined => {
    const candidates = [get("own"), get(family), get("countryAll")].filter((f) => f !== undefined);
    return candidates.find((f) => f.origin === "user") ?? candidates[0];
  };
  return {
    countryV4: country("countryV4"),
    countryV6: country("countryV6"),
    asnV4: get("asnV4"),
    asnV6: get("asnV6"),
  };
}
