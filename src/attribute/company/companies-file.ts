// Reads a companies file (data/companies.yaml, or a user's file of the same layout) into a table from domain
// suffix to company, seat country and purpose. A user's file is checked field by field so every mistake is
// reported at once with its line.

import {
  Checker,
  countryCode,
  DataFileError,
  fileText,
  type PathSeg,
  type Problem,
  type YamlSource,
  yamlSource,
} from "../../judge/yaml-check.ts";
import { PURPOSES, type Purpose } from "../../model/destination.ts";

/** What one domain suffix is attributed to. */
export interface CompanyEntry {
  /** Company name, e.g. `Xiaomi`. */
  company: string;
  /** ISO 3166-1 alpha-2 country of the company's seat, when known. */
  company_country?: string;
  /** What endpoints under the suffix are for. */
  purpose: Purpose;
}

/** Domain suffix (lower-case, no trailing dot) → entry. */
export type CompanyTable = Map<string, CompanyEntry>;

/** Most suffixes one file may hold (ours has a few hundred). */
export const MAX_COMPANY_ENTRIES = 100_000;

/** A host name of LDH labels (underscores tolerated, as real names carry them), at most 253 characters. */
const SUFFIX_RE =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** A companies file that cannot be used. */
export class CompaniesError extends DataFileError {
  /** Builds the error; its message lists every problem. */
  constructor(file: string, problems: Problem[]) {
    super("companies file", file, problems);
    this.name = "CompaniesError";
  }
}

/** Reads and checks a user's companies file; throws CompaniesError naming the file, field and line. */
export function loadCompaniesFile(file: string): CompanyTable {
  return parseCompanies(
    fileText(file, (p) => new CompaniesError(file, p)),
    file,
  );
}

/** Checks companies YAML text; `file` names it in errors. */
export function parseCompanies(text: string, file: string): CompanyTable {
  const source = yamlSource(text, (p) => new CompaniesError(file, p));
  return companiesFromValue(source.value, file, source);
}

/** Checks an already parsed companies document (ours comes through the data-file loader). */
export function companiesFromValue(value: unknown, file: string, source?: YamlSource): CompanyTable {
  const c = new Checker(source);
  const table: CompanyTable = new Map();
  const root = c.mapping(value ?? {}, [], ["companies", "version"]);
  const companies = root?.companies === undefined ? {} : c.mapping(root.companies, ["companies"]);
  for (const [name, body] of Object.entries(companies ?? {})) {
    readCompany(c, name, body, table);
    if (table.size > MAX_COMPANY_ENTRIES) {
      c.error(["companies", name], `more than ${MAX_COMPANY_ENTRIES} domains`);
      break;
    }
  }
  if (c.problems.length > 0) throw new CompaniesError(file, c.problems);
  return table;
}

function readCompany(c: Checker, name: string, body: unknown, table: CompanyTable): void {
  const at: PathSeg[] = ["companies", name];
  const company = c.text(name, at, 120);
  const f = c.mapping(body, at, ["country", "domains"]);
  if (!f || company === undefined) return;
  const country = f.country === undefined ? undefined : c.text(f.country, [...at, "country"]);
  const cc = country === undefined ? undefined : countryCode(country);
  if (country !== undefined && cc === undefined)
    c.error([...at, "country"], `two-letter country code expected, got "${country}"`);
  if (f.domains === undefined) {
    c.error(at, "a company needs a domains mapping");
    return;
  }
  const domains = c.mapping(f.domains, [...at, "domains"]) ?? {};
  for (const [suffix, purposeValue] of Object.entries(domains)) {
    const path = [...at, "domains", suffix];
    const key = suffix.trim().toLowerCase().replace(/\.+$/, "");
    if (!SUFFIX_RE.test(key)) c.error(path, "a domain name expected (like example.com)");
    const purpose = c.oneOf(purposeValue, path, PURPOSES);
    const other = table.get(key);
    if (other) c.error(path, `listed twice (also under ${other.company})`);
    if (purpose === undefined || other || !SUFFIX_RE.test(key)) continue;
    table.set(key, { company, purpose, ...(cc !== undefined && { company_country: cc }) });
  }
}
