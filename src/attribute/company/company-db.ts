// Who holds a host name and what for: the longest matching suffix in the companies table (a user's entries
// first, then phonehome's data/companies.yaml), and the registrable domain per the Public Suffix List.

import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { getDomain } from "tldts";
import { loadDataFile } from "../../data/data-files.ts";
import type { CompanyInfo } from "../../model/destination.ts";
import { type CompanyEntry, type CompanyTable, companiesFromValue } from "./companies-file.ts";

/** Longest host name looked up (RFC 1035 §2.3.4 limits a name to 255 octets; 253 as text). */
const MAX_HOST = 253;

let builtin: CompanyTable | undefined;

/** phonehome's own table, parsed on first use and kept. */
function builtinTable(): CompanyTable {
  builtin ??= companiesFromValue(loadDataFile("companies.yaml"), "data/companies.yaml");
  return builtin;
}

/** Options of a CompanyDb. */
export interface CompanyDbOptions {
  /** A user's entries (e.g. from `loadCompaniesFile`); a name they match is attributed by them alone. */
  extra?: CompanyTable;
  /** False to leave out phonehome's own table (a user who wants only theirs). Default true. */
  builtin?: boolean;
}

/** Domain → company and purpose lookups. Our table is loaded on the first lookup, once per process. */
export class CompanyDb {
  private readonly extra: CompanyTable | undefined;
  private readonly useBuiltin: boolean;

  /** See CompanyDbOptions. */
  constructor(opts: CompanyDbOptions = {}) {
    this.extra = opts.extra;
    this.useBuiltin = opts.builtin ?? true;
  }

  /**
   * Company of a host name: the longest suffix on label boundaries (`xiaomi.com` matches `a.xiaomi.com`,
   * not `notxiaomi.com`), case-insensitive, trailing dot ignored. IP literals and junk give undefined.
   */
  lookup(host: string): CompanyInfo | undefined {
    const name = hostName(host);
    if (name === undefined) return undefined;
    const mine = this.extra && longestMatch(this.extra, name);
    if (mine) return mine;
    return this.useBuiltin ? longestMatch(builtinTable(), name) : undefined;
  }

  /** Registrable domain of a host (`api.account.xiaomi.com` → `xiaomi.com`); undefined for IPs and TLDs. */
  domainOf(host: string): string | undefined {
    const name = hostName(host);
    if (name === undefined) return undefined;
    // Private suffixes count (PSL private section), so `app1.firebaseapp.com` is its own domain, not Google's.
    return getDomain(name, { allowPrivateDomains: true }) ?? undefined;
  }
}

/**
 * A host in the form the tables use: lower-case, no trailing dot, no port; undefined for an IP literal
 * (with or without brackets and port), an empty or over-long name, or text that cannot be a host name.
 */
export function hostName(host: string): string | undefined {
  if (typeof host !== "string" || host.length === 0 || host.length > MAX_HOST + 8) return undefined;
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) return undefined;
  if (isIP(h) !== 0) return undefined;
  const port = /^([^:]+):\d{1,5}$/.exec(h);
  if (port) h = port[1];
  h = h.replace(/\.+$/, "");
  // Internationalised names are compared in their ASCII (punycode) form, as DNS carries them (RFC 5890).
  if (/[^\x00-\x7f]/.test(h)) h = domainToASCII(h);
  if (h.length === 0 || h.length > MAX_HOST || isIP(h) !== 0) return undefined;
  if (!/^[a-z0-9_.-]+$/.test(h)) return undefined;
  return h;
}

/** Walks `a.b.c` → `b.c` → `c`; the first hit is the longest suffix. */
function longestMatch(table: CompanyTable, name: string): CompanyInfo | undefined {
  let s = name;
  for (;;) {
    const hit = table.get(s);
    if (hit) return info(hit, s);
    const dot = s.indexOf(".");
    if (dot < 0) return undefined;
    s = s.slice(dot + 1);
  }
}

function info(e: CompanyEntry, matched: string): CompanyInfo {
  const out: CompanyInfo = { company: e.company, purpose: e.purpose, matched };
  if (e.company_country !== undefined) out.company_country = e.company_country;
  return out;
}
