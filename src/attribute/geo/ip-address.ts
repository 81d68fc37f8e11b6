// IP address text → a number to search the offline tables with, and the address class that decides whether
// a table is consulted at all: private, loopback, CGNAT, link-local and the other special-purpose ranges
// (IANA IPv4/IPv6 Special-Purpose Address Registries, RFC 6890) are labelled, never looked up.

import type { IpClass } from "../../model/destination.ts";
import { formatAddress, parseAddress } from "../../session/address.ts";

/** An address ready for lookup. */
export interface ParsedIp {
  /** 4 or 6. */
  family: 4 | 6;
  /** The address as an unsigned integer (32 or 128 bits), the key of the ASN tables. */
  value: bigint;
  /** Canonical text: dotted quad, or RFC 5952 for IPv6. */
  text: string;
}

/** The class of an address and, for public ones, the address to look up. */
export interface IpClassification {
  /** Address class. */
  ip_class: IpClass;
  /**
   * Address to look up, only for `public`: the IPv4 address itself for IPv4-mapped (`::ffff:a.b.c.d`) and
   * NAT64 well-known-prefix (`64:ff9b::a.b.c.d`) IPv6 addresses, so they carry the IPv4 host's country and AS.
   */
  lookup?: ParsedIp;
}

/** The address whose text is `text` (an IPv6 zone `%eth0` and `[...]` brackets are accepted), or undefined. */
export function parseIp(text: string): ParsedIp | undefined {
  let t = text.trim();
  if (t.startsWith("[") && t.endsWith("]")) t = t.slice(1, -1);
  const zone = t.indexOf("%");
  // RFC 6874: a zone index only follows an IPv6 address.
  if (zone >= 0 && t.includes(":")) t = t.slice(0, zone);
  const bytes = parseAddress(t);
  if (!bytes) return undefined;
  return fromBytes(bytes);
}

/** The address in `bytes` (4 or 16 of them). */
export function fromBytes(bytes: Uint8Array): ParsedIp {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  const family = bytes.length === 4 ? 4 : 6;
  return { family, value, text: formatAddress(bytes, 0, family === 4 ? 4 : 16) };
}

/** The IPv4 address held in the low 32 bits of `value`. */
function embeddedV4(value: bigint): ParsedIp {
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) bytes[i] = Number((value >> BigInt(24 - 8 * i)) & 0xffn);
  return fromBytes(bytes);
}

/** One special-purpose range: first match wins, so more specific ranges come first. */
interface Range {
  prefix: bigint;
  len: number;
  ip_class: IpClass;
}

function range(family: 4 | 6, cidr: string, ip_class: IpClass): Range {
  const [addr, len] = cidr.split("/");
  const p = parseAddress(addr);
  if (!p || p.length !== (family === 4 ? 4 : 16)) throw new Error(`bad built-in range ${cidr}`);
  return { prefix: fromBytes(p).value, len: Number(len), ip_class };
}

// IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates).
const V4_RANGES: readonly Range[] = [
  range(4, "0.0.0.0/32", "unspecified"),
  range(4, "0.0.0.0/8", "reserved"), // RFC 791 "this network"
  range(4, "10.0.0.0/8", "private"), // RFC 1918
  range(4, "100.64.0.0/10", "cgnat"), // RFC 6598 shared address space
  range(4, "127.0.0.0/8", "loopback"),
  range(4, "169.254.0.0/16", "link-local"), // RFC 3927
  range(4, "172.16.0.0/12", "private"),
  range(4, "192.0.0.0/24", "reserved"), // IETF protocol assignments
  range(4, "192.0.2.0/24", "documentation"), // RFC 5737 TEST-NET-1
  range(4, "192.88.99.0/24", "reserved"), // RFC 7526 deprecated 6to4 relay anycast
  range(4, "192.168.0.0/16", "private"),
  range(4, "198.18.0.0/15", "reserved"), // RFC 2544 benchmarking
  range(4, "198.51.100.0/24", "documentation"), // TEST-NET-2
  range(4, "203.0.113.0/24", "documentation"), // TEST-NET-3
  range(4, "224.0.0.0/4", "multicast"),
  range(4, "255.255.255.255/32", "broadcast"),
  range(4, "240.0.0.0/4", "reserved"), // RFC 1112 "future use"
];

// IANA IPv6 Special-Purpose Address Registry; whatever is outside 2000::/3 and the local/multicast blocks is
// unassigned or special, hence `reserved`.
const V6_RANGES: readonly Range[] = [
  range(6, "::/128", "unspecified"),
  range(6, "::1/128", "loopback"),
  range(6, "2001:db8::/32", "documentation"), // RFC 3849
  range(6, "3fff::/20", "documentation"), // RFC 9637
  range(6, "2001::/23", "reserved"), // RFC 2928 IETF protocol assignments (Teredo, benchmarking, ORCHID)
  range(6, "2000::/3", "public"), // RFC 4291 global unicast
  range(6, "fc00::/7", "private"), // RFC 4193 unique local
  range(6, "fe80::/10", "link-local"),
  range(6, "ff00::/8", "multicast"),
];

// Prefixes whose low 32 bits are an IPv4 host: RFC 4291 §2.5.5.2 mapped, RFC 6052 NAT64 well-known prefix.
const V4_EMBEDDING: readonly Range[] = [
  range(6, "::ffff:0:0/96", "public"),
  range(6, "64:ff9b::/96", "public"),
];

function inRange(value: bigint, bits: number, r: Range): boolean {
  const shift = BigInt(bits - r.len);
  return value >> shift === r.prefix >> shift;
}

function classOf(value: bigint, bits: number, ranges: readonly Range[], fallback: IpClass): IpClass {
  for (const r of ranges) if (inRange(value, bits, r)) return r.ip_class;
  return fallback;
}

/** The class of `ip`; public addresses come with the address to look up. */
export function classifyIp(ip: ParsedIp): IpClassification {
  if (ip.family === 6 && V4_EMBEDDING.some((r) => inRange(ip.value, 128, r))) {
    return classifyIp(embeddedV4(ip.value));
  }
  const ip_class =
    ip.family === 4
      ? classOf(ip.value, 32, V4_RANGES, "public")
      : classOf(ip.value, 128, V6_RANGES, "reserved");
  return ip_class === "public" ? { ip_class, lookup: ip } : { ip_class };
}
