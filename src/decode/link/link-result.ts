// The outcome of decoding one link-layer header, shared by every link family. Decoders fill one reused
// object and return a status code (plain numbers, so the per-packet path stays a switch on small integers).

/** Where the network layer starts and what it is; reused for every packet. */
export interface LinkResult {
  /** Offset of the network-layer header (or of the inner frame when the status is `LINK_NESTED`). */
  netOff: number;
  /** Ethertype of the network layer; `ETHERTYPE_BY_VERSION` when the IP version nibble decides. */
  etherType: number;
  /** Link type of the inner frame when the status is `LINK_NESTED` (PKTAP, radiotap, PPI). */
  innerLinkType: number;
  /** Stable weird name when the status is `LINK_MALFORMED`. */
  weird: string;
  /** Specifics for the weird. */
  detail: string;
}

/** The network layer is IPv4 or IPv6 (see `etherType`). */
export const LINK_IP = 0;
/** A frame that carries no IP (ARP, LLDP, 802.11 management, encrypted Wi-Fi...): skipped silently. */
export const LINK_NOT_IP = 1;
/** A header that cannot be read: `weird` and `detail` say why. */
export const LINK_MALFORMED = 2;
/** A wrapper header: decode the frame at `netOff` as link type `innerLinkType`. */
export const LINK_NESTED = 3;
/** The link type is not one phonehome decodes. */
export const LINK_UNKNOWN = 4;

/** IPv4 ethertype. */
export const ETHERTYPE_IPV4 = 0x0800;
/** IPv6 ethertype. */
export const ETHERTYPE_IPV6 = 0x86dd;
/** Pseudo ethertype: the first nibble of the network header (4 or 6) decides. */
export const ETHERTYPE_BY_VERSION = -1;

/** A zeroed result object (allocate once per decoder). */
export function newLinkResult(): LinkResult {
  return { netOff: 0, etherType: 0, innerLinkType: 0, weird: "", detail: "" };
}

/** Fills `r` for a header shorter than it must be; returns `LINK_MALFORMED`. */
export function linkTruncated(r: LinkResult, weird: string, have: number, need: number): number {
  r.weird = weird;
  r.detail = `${have} bytes left, header needs ${need}`;
  return LINK_MALFORMED;
}

/** Fills `r` for an inconsistent header; returns `LINK_MALFORMED`. */
export function linkMalformed(r: LinkResult, weird: string, detail: string): number {
  r.weird = weird;
  r.detail = detail;
  return LINK_MALFORMED;
}
