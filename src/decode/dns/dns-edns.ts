// The EDNS(0) OPT pseudo-record (RFC 6891 §6.1): the sender's UDP payload size, the upper rcode bits, the
// DNSSEC OK flag and the options, of which Client Subnet (RFC 7871) matters most here: a resolver that sends
// it tells the authoritative server which network the phone is on.

import { formatIPv4, formatIPv6 } from "../../session/address.ts";
import { ednsOptionName } from "./dns-types.ts";

/** What an OPT record said. */
export interface EdnsInfo {
  /** Requestor's UDP payload size (the OPT record's CLASS field). */
  udpSize: number;
  /** Upper 8 bits of the 12-bit extended rcode (RFC 6891 §6.1.3). */
  extRcode: number;
  /** EDNS version. */
  version: number;
  /** DNSSEC OK bit (RFC 3225 §3). */
  dnssecOk: boolean;
  /** Option names in order (`cookie`, `ecs`, `padding`, `OPT<n>` ...). */
  options: string[];
  /** Client Subnet as `address/source-prefix`, when the ECS option was present and well-formed. */
  clientSubnet?: string;
}

/**
 * Reads an OPT record: `cls` and `ttl` are its CLASS and TTL fields, the options lie in `[off, off + len)`.
 * Returns undefined when an option runs past the RDATA (the caller reports `dns_bad_opt`).
 */
export function parseOpt(
  buf: Uint8Array,
  off: number,
  len: number,
  cls: number,
  ttl: number,
): EdnsInfo | undefined {
  const info: EdnsInfo = {
    udpSize: cls,
    extRcode: ttl >>> 24,
    version: (ttl >>> 16) & 0xff,
    dnssecOk: (ttl & 0x8000) !== 0,
    options: [],
  };
  const end = off + len;
  let p = off;
  while (p < end) {
    if (p + 4 > end) return undefined;
    const code = (buf[p] << 8) | buf[p + 1];
    const olen = (buf[p + 2] << 8) | buf[p + 3];
    if (p + 4 + olen > end) return undefined;
    info.options.push(ednsOptionName(code));
    if (code === 8) {
      const subnet = clientSubnet(buf, p + 4, olen);
      if (subnet !== undefined) info.clientSubnet = subnet;
    }
    p += 4 + olen;
  }
  return info;
}

/** ECS option (RFC 7871 §6): FAMILY, SOURCE PREFIX-LENGTH, SCOPE PREFIX-LENGTH, then the address prefix. */
function clientSubnet(buf: Uint8Array, off: number, len: number): string | undefined {
  if (len < 4) return undefined;
  const family = (buf[off] << 8) | buf[off + 1];
  const source = buf[off + 2];
  const size = family === 1 ? 4 : family === 2 ? 16 : 0;
  // The address carries exactly ceil(source / 8) bytes (RFC 7871 §6), the rest being zero.
  const given = len - 4;
  if (size === 0 || source > size * 8 || given > size || given !== Math.ceil(source / 8)) return undefined;
  const addr = new Uint8Array(size);
  addr.set(buf.subarray(off + 4, off + 4 + given));
  return `${size === 4 ? formatIPv4(addr, 0) : formatIPv6(addr, 0)}/${source}`;
}
