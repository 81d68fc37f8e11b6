// Where a message or a connection went: the receiver's name (with the evidence it came from), its address,
// who holds that address (country, AS), which company the name belongs to and what for, and how the bytes
// travelled. Filled by the attribution stage (src/attribute) on every finding, conn and endpoint record.

/** How the bytes travelled. */
export const TRANSPORTS = ["cleartext", "tls", "tls-decrypted", "quic", "har", "proxy"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Where a hostname came from, best evidence first. */
export const HOST_SOURCES = ["http", "sni", "dns", "cert", "ip"] as const;
export type HostSource = (typeof HOST_SOURCES)[number];

/** What kind of address an IP is; only `public` addresses have a country and an AS. */
export const IP_CLASSES = [
  "public",
  "private",
  "loopback",
  "cgnat",
  "link-local",
  "multicast",
  "broadcast",
  "unspecified",
  "documentation",
  "reserved",
] as const;
export type IpClass = (typeof IP_CLASSES)[number];

/** What a company's endpoint is for (data/companies.yaml). */
export const PURPOSES = [
  "vendor",
  "oem-telemetry",
  "analytics",
  "ads",
  "push",
  "crash-reporting",
  "cdn",
  "cloud",
  "social",
  "payments",
  "maps",
  "app-store",
  "update",
  "connectivity-check",
  "dns",
  "other",
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Who holds an IP address, from the offline tables. */
export interface IpInfo {
  /** Address class; only public addresses are looked up. */
  ip_class: IpClass;
  /** ISO 3166-1 alpha-2 country the address is registered in. */
  country?: string;
  /** Autonomous system number announcing the address. */
  asn?: number;
  /** Organisation holding that AS. */
  as_org?: string;
}

/** Company and purpose of a domain (data/companies.yaml). */
export interface CompanyInfo {
  /** Company name, e.g. `Xiaomi`. */
  company: string;
  /** ISO 3166-1 alpha-2 country of the company's seat. */
  company_country?: string;
  /** What the endpoint is for. */
  purpose: Purpose;
  /** The companies.yaml entry (domain suffix) that matched. */
  matched: string;
}

/** The receiver of a message or connection. */
export interface Destination extends IpInfo {
  /** Best name of the receiver, or the IP when none is known. */
  host: string;
  /** Where `host` came from. */
  host_source: HostSource;
  /** Other names the DNS answers gave for the same IP around that time (at most 10). */
  other_names?: string[];
  /** Responder IP address. */
  ip: string;
  /** Responder port. */
  port: number;
  /** Registrable domain of `host` (tldts), when host is a name. */
  domain?: string;
  /** Company holding the domain, or the AS organisation when the domain is unknown. */
  company?: string;
  /** Country of that company's seat, when the companies file says. */
  company_country?: string;
  /** Purpose of the endpoint, when the companies file says. */
  purpose?: Purpose;
  /** `first` when the receiver is the device vendor (profile `vendor`) or the app's own domain. */
  party: "first" | "third" | "unknown";
  /** How the bytes travelled. */
  transport: Transport;
  /** The receiver's country differs from the home country (unknown when either is unknown). */
  cross_border?: boolean;
}
