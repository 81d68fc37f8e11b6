// The one IP → {class, country, AS, organisation} service the faces use. Lazy: no file is found, opened or
// read until the first public address, so a run on a LAN-only capture pays nothing. Answers are cached per
// address text in a bounded LRU, since a capture names the same few hundred addresses again and again.

import type { IpInfo } from "../../model/destination.ts";
import { AsnTable } from "./asn-db.ts";
import { CountryDb } from "./country-db.ts";
import { type GeoEnv, type ResolvedGeoFiles, resolveGeoFiles } from "./geo-files.ts";
import { classifyIp, type ParsedIp, parseIp } from "./ip-address.ts";

/** Most answers kept in the cache. */
export const MAX_CACHED_IPS = 65536;

/** How to find the tables. */
export interface IpLookupOptions {
  /** The environment that chooses the user folder (default: process.env). */
  env?: GeoEnv;
  /** The files to use, instead of resolving them from `env`. */
  files?: ResolvedGeoFiles;
  /** Cache size (default MAX_CACHED_IPS, at most that). */
  cacheSize?: number;
}

interface Tables {
  files: ResolvedGeoFiles;
  country: CountryDb;
  asnV4?: AsnTable;
  asnV6?: AsnTable;
}

/** IP → class, country, ASN and AS organisation, offline. */
export class IpLookup {
  private tables: Tables | undefined;
  private readonly cache = new Map<string, IpInfo>();
  private readonly cacheSize: number;

  /** Nothing is read until the first public address is looked up. */
  constructor(private readonly options: IpLookupOptions = {}) {
    this.cacheSize = Math.max(1, Math.min(options.cacheSize ?? MAX_CACHED_IPS, MAX_CACHED_IPS));
  }

  /**
   * Who holds `ip` (IPv4 or IPv6 text). Special-purpose addresses get their class and nothing else; text
   * that is no IP address is `reserved` (callers that take user input check it with parseIp first).
   */
  lookup(ip: string): IpInfo {
    const hit = this.cache.get(ip);
    if (hit) {
      // Map keeps insertion order: re-inserting makes this the most recently used entry.
      this.cache.delete(ip);
      this.cache.set(ip, hit);
      return { ...hit };
    }
    const info = this.compute(ip);
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(ip, info);
    return { ...info };
  }

  /** The files in use, resolving them now if no lookup has yet. */
  files(): ResolvedGeoFiles {
    return this.open().files;
  }

  /** Problems met with the tables (unreadable or damaged files), one line each. */
  problems(): string[] {
    const t = this.tables;
    if (!t) return [];
    return [...t.country.problems, ...(t.asnV4?.problems ?? []), ...(t.asnV6?.problems ?? [])];
  }

  /** Positioned reads made in the ASN tables so far (for measurements). */
  asnReads(): number {
    return (this.tables?.asnV4?.reads ?? 0) + (this.tables?.asnV6?.reads ?? 0);
  }

  /** Closes the ASN files; a later lookup reopens them. */
  close(): void {
    this.tables?.asnV4?.close();
    this.tables?.asnV6?.close();
  }

  private compute(text: string): IpInfo {
    const parsed = parseIp(text);
    if (!parsed) return { ip_class: "reserved" };
    const c = classifyIp(parsed);
    if (!c.lookup) return { ip_class: c.ip_class };
    return { ip_class: c.ip_class, ...this.attribute(c.lookup) };
  }

  private attribute(ip: ParsedIp): Omit<IpInfo, "ip_class"> {
    const t = this.open();
    const out: Omit<IpInfo, "ip_class"> = {};
    const country = t.country.country(ip);
    if (country) out.country = country;
    const row = (ip.family === 4 ? t.asnV4 : t.asnV6)?.find(ip.value);
    // AS 0 is "not routed" (RFC 7607): no holder to name.
    if (row && row.asn !== 0) {
      out.asn = row.asn;
      if (row.org) out.as_org = row.org;
    }
    return out;
  }

  private open(): Tables {
    if (!this.tables) {
      const files = this.options.files ?? resolveGeoFiles(this.options.env);
      this.tables = {
        files,
        country: new CountryDb({ v4: files.countryV4?.path, v6: files.countryV6?.path }),
        asnV4: files.asnV4 && new AsnTable(files.asnV4.path),
        asnV6: files.asnV6 && new AsnTable(files.asnV6.path),
      };
    }
    return this.tables;
  }
}
