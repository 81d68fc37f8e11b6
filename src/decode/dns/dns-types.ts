// DNS code points and their mnemonics (IANA "Domain Name System (DNS) Parameters"), and the weird names the
// DNS decoder emits. Unknown values print as RFC 3597 §5 generic names (`TYPE65280`, `CLASS300`).

/** RR types with a mnemonic here, as [value, mnemonic] pairs. */
export const DNS_TYPE_NAMES = [
  [1, "A"],
  [2, "NS"],
  [5, "CNAME"],
  [6, "SOA"],
  [12, "PTR"],
  [13, "HINFO"],
  [15, "MX"],
  [16, "TXT"],
  [17, "RP"],
  [18, "AFSDB"],
  [24, "SIG"],
  [25, "KEY"],
  [28, "AAAA"],
  [29, "LOC"],
  [33, "SRV"],
  [35, "NAPTR"],
  [39, "DNAME"],
  [41, "OPT"],
  [43, "DS"],
  [44, "SSHFP"],
  [46, "RRSIG"],
  [47, "NSEC"],
  [48, "DNSKEY"],
  [50, "NSEC3"],
  [51, "NSEC3PARAM"],
  [52, "TLSA"],
  [59, "CDS"],
  [60, "CDNSKEY"],
  [64, "SVCB"],
  [65, "HTTPS"],
  [99, "SPF"],
  [249, "TKEY"],
  [250, "TSIG"],
  [251, "IXFR"],
  [252, "AXFR"],
  [255, "ANY"],
  [256, "URI"],
  [257, "CAA"],
] as const;

/** RR type values used by the decoder. */
export const T_A = 1;
export const T_NS = 2;
export const T_CNAME = 5;
export const T_SOA = 6;
export const T_PTR = 12;
export const T_MX = 15;
export const T_TXT = 16;
export const T_AAAA = 28;
export const T_SRV = 33;
export const T_DNAME = 39;
export const T_OPT = 41;
export const T_SVCB = 64;
export const T_HTTPS = 65;

/** Classes (RFC 1035 §3.2.4, RFC 2136 §1.3). */
export const DNS_CLASS_NAMES = [
  [1, "IN"],
  [3, "CH"],
  [4, "HS"],
  [254, "NONE"],
  [255, "ANY"],
] as const;

/** Opcodes (RFC 1035 §4.1.1, RFC 1996, RFC 2136, RFC 8490). */
export const DNS_OPCODE_NAMES = [
  [0, "QUERY"],
  [1, "IQUERY"],
  [2, "STATUS"],
  [4, "NOTIFY"],
  [5, "UPDATE"],
  [6, "DSO"],
] as const;

/** Response codes, EDNS-extended ones included (RFC 6891 §9, RFC 7873 §8 for BADCOOKIE). */
export const DNS_RCODE_NAMES = [
  [0, "NOERROR"],
  [1, "FORMERR"],
  [2, "SERVFAIL"],
  [3, "NXDOMAIN"],
  [4, "NOTIMP"],
  [5, "REFUSED"],
  [6, "YXDOMAIN"],
  [7, "YXRRSET"],
  [8, "NXRRSET"],
  [9, "NOTAUTH"],
  [10, "NOTZONE"],
  [11, "DSOTYPENI"],
  [16, "BADVERS"],
  [17, "BADKEY"],
  [18, "BADTIME"],
  [19, "BADMODE"],
  [20, "BADNAME"],
  [21, "BADALG"],
  [22, "BADTRUNC"],
  [23, "BADCOOKIE"],
] as const;

/** EDNS option codes with a short name (RFC 6891 §6.1.2 registry). */
export const EDNS_OPTION_NAMES = [
  [3, "nsid"],
  [5, "dau"],
  [6, "dhu"],
  [7, "n3u"],
  [8, "ecs"],
  [9, "expire"],
  [10, "cookie"],
  [11, "keepalive"],
  [12, "padding"],
  [13, "chain"],
  [14, "key-tag"],
  [15, "ede"],
] as const;

/** Weird names the DNS decoder emits. */
export const DNS_WEIRD_NAMES = [
  "dns_truncated",
  "dns_name_loop",
  "dns_bad_pointer",
  "dns_name_too_long",
  "dns_bad_label",
  "dns_bad_rdata",
  "dns_bad_opt",
  "dns_trailing_bytes",
  "dns_too_many_records",
  "dns_bad_length",
  "dns_bad_message",
  "dns_question_mismatch",
  "dns_pending_overflow",
] as const;
export type DnsWeird = (typeof DNS_WEIRD_NAMES)[number];

type Table = readonly (readonly [number, string])[];

function lookup(table: Table): Map<number, string> {
  return new Map(table.map(([k, v]) => [k, v]));
}

const TYPES = lookup(DNS_TYPE_NAMES);
const CLASSES = lookup(DNS_CLASS_NAMES);
const OPCODES = lookup(DNS_OPCODE_NAMES);
const RCODES = lookup(DNS_RCODE_NAMES);
const OPTIONS = lookup(EDNS_OPTION_NAMES);

/** Mnemonic of an RR type (`TYPE<n>` when unknown). */
export function typeName(t: number): string {
  return TYPES.get(t) ?? `TYPE${t}`;
}

/** Mnemonic of a class (`CLASS<n>` when unknown). */
export function className(c: number): string {
  return CLASSES.get(c) ?? `CLASS${c}`;
}

/** Mnemonic of an opcode (`OPCODE<n>` when unassigned). */
export function opcodeName(o: number): string {
  return OPCODES.get(o) ?? `OPCODE${o}`;
}

/** Mnemonic of a response code (`RCODE<n>` when unassigned). */
export function rcodeName(r: number): string {
  return RCODES.get(r) ?? `RCODE${r}`;
}

/** Short name of an EDNS option (`OPT<n>` when unknown). */
export function ednsOptionName(code: number): string {
  return OPTIONS.get(code) ?? `OPT${code}`;
}
