// What the bundled examples should contain, read independently of the generator: the planted values from
// the profile file (parsed with plain YAML, not our profile loader), and who holds an IP address according
// to the registry tables themselves (the ASN CSV scanned line by line, the country MMDB read with mmdb-lib).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parsePhoneNumberWithError } from "libphonenumber-js";
import { Reader, type Response } from "mmdb-lib";
import { parse } from "yaml";
import { REPO_ROOT } from "./corpus.ts";

/** The examples folder. */
export const EXAMPLES_DIR = join(REPO_ROOT, "examples");

/** Path of an example file. */
export function examplePath(name: string): string {
  return join(EXAMPLES_DIR, name);
}

/** The values the example profile lists. */
export interface Planted {
  device: string;
  homeCountry: string;
  imei: string;
  imsi: string;
  phone: string;
  /** The phone number's national significant number (libphonenumber-js). */
  phoneNational: string;
  carrier: string;
  contactNames: string[];
  contactPhones: string[];
  smsNumbers: string[];
  smsTexts: string[];
}

/** Reads the profile file of the 2014 example. */
export function plantedValues(): Planted {
  const doc = parse(readFileSync(examplePath("redmi-1s-2014.profile.yaml"), "utf8")) as {
    device: string;
    home_country: string;
    imei: string;
    imsi: string;
    phone_number: string;
    carrier: string;
    contacts: { name: string; phones: string[] }[];
    sms: { number: string; text: string }[];
  };
  return {
    device: doc.device,
    homeCountry: doc.home_country,
    imei: doc.imei,
    imsi: doc.imsi,
    phone: doc.phone_number,
    phoneNational: parsePhoneNumberWithError(doc.phone_number).nationalNumber,
    carrier: doc.carrier,
    contactNames: doc.contacts.map((c) => c.name),
    contactPhones: doc.contacts.flatMap((c) => c.phones),
    smsNumbers: doc.sms.map((m) => m.number),
    smsTexts: doc.sms.map((m) => m.text),
  };
}

/** One row of the ASN table. */
export interface AsnLine {
  first: string;
  last: string;
  asn: number;
  org: string;
}

function ipv4Number(ip: string): number {
  return ip.split(".").reduce((n, x) => n * 256 + Number(x), 0);
}

let asnLines: string[] | undefined;
const asnFound = new Map<string, AsnLine | undefined>();

/** The row of @ip-location-db/asn's IPv4 CSV whose range holds `ip`, found by a plain scan. */
export function asnLineOf(ip: string): AsnLine | undefined {
  if (!asnFound.has(ip)) asnFound.set(ip, scanAsn(ip));
  return asnFound.get(ip);
}

function scanAsn(ip: string): AsnLine | undefined {
  asnLines ??= readFileSync(
    join(REPO_ROOT, "node_modules", "@ip-location-db", "asn", "asn-ipv4.csv"),
    "utf8",
  ).split("\n");
  const n = ipv4Number(ip);
  for (const line of asnLines) {
    const m = /^([\d.]+),([\d.]+),(\d+),(.*)$/.exec(line);
    if (!m || ipv4Number(m[1]) > n || ipv4Number(m[2]) < n) continue;
    return { first: m[1], last: m[2], asn: Number(m[3]), org: m[4].replace(/^"|"$/g, "") };
  }
  return undefined;
}

/** The country the whois-based country MMDB gives `ip`. */
export function countryOf(ip: string): string | undefined {
  const file = join(
    REPO_ROOT,
    "node_modules",
    "@ip-location-db",
    "geo-whois-asn-country-mmdb",
    "geo-whois-asn-country-ipv4.mmdb",
  );
  const rec = new Reader<Response>(readFileSync(file)).get(ip) as { country_code?: string } | null;
  return rec?.country_code;
}
