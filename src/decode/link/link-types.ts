// LINKTYPE_* values (tcpdump.org link-layer header types) that phonehome knows, with their names as data,
// so `info` can print an interface's link type and the decoder can dispatch on it.

/** Link types as `[value, name, description]`; the name is the LINKTYPE_ suffix. */
export const LINK_TYPE_TABLE = [
  [0, "NULL", "BSD loopback (host byte order family)"],
  [1, "ETHERNET", "Ethernet"],
  [9, "PPP", "PPP"],
  [12, "DLT_RAW", "Raw IP (DLT 12)"],
  [14, "DLT_RAW_OPENBSD", "Raw IP (DLT 14)"],
  [50, "PPP_HDLC", "PPP in HDLC-like framing"],
  [51, "PPP_ETHER", "PPPoE"],
  [101, "RAW", "Raw IP"],
  [104, "C_HDLC", "Cisco HDLC"],
  [105, "IEEE802_11", "IEEE 802.11"],
  [108, "LOOP", "OpenBSD loopback (network byte order family)"],
  [113, "LINUX_SLL", "Linux cooked v1"],
  [127, "IEEE802_11_RADIOTAP", "IEEE 802.11 with radiotap"],
  [149, "USER2", "User 2 (Apple PKTAP in some files)"],
  [192, "PPI", "Per-Packet Information"],
  [228, "IPV4", "Raw IPv4"],
  [229, "IPV6", "Raw IPv6"],
  [239, "NFLOG", "Linux netfilter log"],
  [258, "PKTAP", "Apple PKTAP"],
  [276, "LINUX_SLL2", "Linux cooked v2"],
] as const;

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
/** DLT_RAW on most systems; pcap files from old libpcap versions carry it as the link type. */
export const DLT_RAW_12 = 12;
/** DLT_RAW on OpenBSD. */
export const DLT_RAW_14 = 14;
export const LINKTYPE_PPP_HDLC = 50;
export const LINKTYPE_PPP_ETHER = 51;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_C_HDLC = 104;
export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;
/** LINKTYPE_USER2: Apple writes PKTAP frames under it in some pcap files. */
export const LINKTYPE_USER2 = 149;
export const LINKTYPE_PPI = 192;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_NFLOG = 239;
export const LINKTYPE_PKTAP = 258;
export const LINKTYPE_LINUX_SLL2 = 276;

const NAMES = new Map<number, string>(LINK_TYPE_TABLE.map(([v, n]) => [v, n]));

/** Short names by link type value, e.g. `LINK_TYPE_NAMES[1] === "ETHERNET"`; undefined when unknown. */
export const LINK_TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(NAMES);
const DESCRIPTIONS = new Map<number, string>(LINK_TYPE_TABLE.map(([v, , d]) => [v, d]));

/** Short name of a link type (`ETHERNET`, `LINUX_SLL2`), or `LINKTYPE_<n>` when phonehome does not know it. */
export function linkTypeName(linkType: number): string {
  return NAMES.get(linkType) ?? `LINKTYPE_${linkType}`;
}

/** Human description of a link type, or `unknown (<n>)`. */
export function linkTypeDescription(linkType: number): string {
  return DESCRIPTIONS.get(linkType) ?? `unknown (${linkType})`;
}

/** True when the packet decoder can decode frames of this link type. */
export function isKnownLinkType(linkType: number): boolean {
  return NAMES.has(linkType);
}
