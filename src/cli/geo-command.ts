// `phonehome geo lookup IP...`, `phonehome geo update --from DIR` and `phonehome geo info`: the offline IP
// tables from the command line, to check an address by hand or to install newer tables.

import type { Command } from "commander";
import { GeoFileError } from "../attribute/geo/country-db.ts";
import { GEO_CREDITS, geoCreditLines } from "../attribute/geo/geo-credits.ts";
import { type GeoEnv, resolveGeoFiles, userGeoDir } from "../attribute/geo/geo-files.ts";
import { type GeoUpdateResult, updateGeo } from "../attribute/geo/geo-update.ts";
import { parseIp } from "../attribute/geo/ip-address.ts";
import { IpLookup } from "../attribute/geo/ip-lookup.ts";
import type { IpInfo } from "../model/destination.ts";
import { oneLine } from "../report/one-line.ts";
import { UsageError } from "./usage-error.ts";

/** One looked-up address. */
export interface GeoLookupRow extends IpInfo {
  /** The address as given. */
  ip: string;
}

/** What `geo lookup` prints, and the problems to warn about. */
export interface GeoLookupOutput {
  /** Standard output text, ending in a newline. */
  text: string;
  /** One line each: tables that could not be read. */
  warnings: string[];
}

/** Looks up every address; throws UsageError for text that is no IP address, before any lookup. */
export function geoLookup(ips: string[], json = false, env: GeoEnv = process.env): GeoLookupOutput {
  const bad = ips.find((ip) => !parseIp(ip));
  if (bad !== undefined) throw new UsageError(`not an IP address: ${oneLine(bad)}`);
  const lookup = new IpLookup({ env });
  try {
    const rows: GeoLookupRow[] = ips.map((ip) => ({ ip, ...lookup.lookup(ip) }));
    const text = json
      ? JSON.stringify(rows.length === 1 ? rows[0] : rows, null, 2)
      : rows.map(formatGeoRow).join("\n");
    return { text: `${text}\n`, warnings: lookup.problems() };
  } finally {
    lookup.close();
  }
}

/** Tab-separated ip, class, country, AS, organisation; `-` for what is unknown (as Zeek writes unset fields). */
export function formatGeoRow(r: GeoLookupRow): string {
  const cells = [
    r.ip,
    r.ip_class,
    r.country ?? "-",
    r.asn === undefined ? "-" : `AS${r.asn}`,
    r.as_org ?? "-",
  ];
  // Organisation names come from a data file: no tab, newline or control character reaches the terminal.
  return cells.map((c) => oneLine(c.replaceAll("\t", " "))).join("\t");
}

/** Installs the tables of `from`; returns the lines to print. A refused file is a UsageError (exit code 2). */
export function geoUpdateLines(from: string, env: GeoEnv = process.env): string[] {
  let r: GeoUpdateResult;
  try {
    r = updateGeo(from, env);
  } catch (e) {
    throw e instanceof GeoFileError ? new UsageError(e.message) : e;
  }
  const lines = r.installed.map((f) => `installed ${f.to} from ${f.from} (${f.detail})`);
  if (r.ignored.length > 0) lines.push(`ignored (not a geo table): ${r.ignored.join(", ")}`);
  return [...lines, ...r.notes.map((n) => `note: ${n}`)];
}

const ROLE_LABELS = [
  ["countryV4", "IPv4 → country"],
  ["countryV6", "IPv6 → country"],
  ["asnV4", "IPv4 → AS"],
  ["asnV6", "IPv6 → AS"],
] as const;

/** The files lookups use, the user folder, and the credits. */
export function geoInfoLines(env: GeoEnv = process.env): string[] {
  const files = resolveGeoFiles(env);
  const lines = [`user folder: ${userGeoDir(env)}`];
  for (const [role, label] of ROLE_LABELS) {
    const f = files[role];
    lines.push(`${label}: ${f ? `${f.path} (${f.origin})` : "none"}`);
  }
  const own = [files.countryV4, files.countryV6].some((f) => f?.role === "own");
  lines.push("data:", ...geoCreditLines(GEO_CREDITS).map((l) => `  ${l}`));
  if (own) lines.push("  (country data: your own MMDB; credit its source as its licence asks)");
  return lines;
}

/** Where the commands write (tests capture it). */
export interface GeoCommandIo {
  /** Standard output. */
  out: (text: string) => void;
  /** Standard error. */
  err: (text: string) => void;
}

const STDIO: GeoCommandIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Adds `geo lookup`, `geo update` and `geo info` to the program. */
export function registerGeoCommand(program: Command, io: GeoCommandIo = STDIO): void {
  const geo = program.command("geo").description("offline IP tables: country, AS number and organisation");
  geo
    .command("lookup")
    .description("who holds these addresses: class, country, AS, organisation (tab-separated)")
    .argument("<ip...>", "IPv4 or IPv6 addresses")
    .option("--json", "one JSON document")
    .action((ips: string[], o: { json?: boolean }) => {
      const r = geoLookup(ips, o.json);
      for (const w of r.warnings) io.err(`phonehome: warning: ${w}\n`);
      io.out(r.text);
    });
  geo
    .command("update")
    .description("check and install newer tables (the packages' file names) or your own country MMDB")
    .requiredOption("--from <dir>", "folder (or one file) holding the new tables")
    .action((o: { from: string }) => io.out(`${geoUpdateLines(o.from).join("\n")}\n`));
  geo
    .command("info")
    .description("which table files lookups use, and where the data comes from")
    .action(() => io.out(`${geoInfoLines().join("\n")}\n`));
}
