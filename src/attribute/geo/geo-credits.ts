// Attribution the offline IP tables require (CC BY 4.0). Every report prints these lines; the wording follows
// the LICENSE files shipped in the two ip-location-db packages (NRO_LICENSE, ROUTEVIEWS-LICENSE, DBIP-LICENSE,
// MODIFICATIONS).

/** One data source to credit. */
export interface GeoCredit {
  /** Who made the data, and how it reached us. */
  source: string;
  /** Its licence. */
  licence: string;
  /** Where to credit it (the link its licence asks for). */
  url: string;
  /** What phonehome uses it for. */
  what: string;
}

/** The sources of the country and ASN tables, in the order reports print them. */
export const GEO_CREDITS: readonly GeoCredit[] = [
  {
    source:
      "Number Resource Organization (NRO): RIR statistics of AFRINIC, APNIC, ARIN, LACNIC and RIPE NCC, " +
      "merged by ip-location-db (geo-whois-asn-country)",
    licence: "CC BY 4.0",
    url: "https://www.nro.net/",
    what: "IP address → country",
  },
  {
    source:
      "Route Views (University of Oregon) IP to AS Number data, merged by ip-location-db (asn), modified",
    licence: "CC BY 4.0",
    url: "https://www.routeviews.org/",
    what: "IPv4 address → AS number",
  },
  {
    source:
      "Number Resource Organization (NRO): RIR IP-ASN statistics, merged by ip-location-db (asn), modified",
    licence: "CC BY 4.0",
    url: "https://www.nro.net/",
    what: "IP address → AS number",
  },
  {
    source: "DB-IP IP to ASN Lite, merged by ip-location-db (asn), modified",
    licence: "CC BY 4.0",
    url: "https://db-ip.com",
    what: "AS organisation names; IP address → AS number where the others have none",
  },
];

/** The credits as text lines, for terminal and text reports. */
export function geoCreditLines(credits: readonly GeoCredit[] = GEO_CREDITS): string[] {
  return credits.map((c) => `${c.what}: ${c.source} — ${c.licence}, ${c.url}`);
}
