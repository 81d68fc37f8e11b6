// Builds real frames for tests: link, IP and transport headers with correct lengths and checksums, so a test
// can say "a TCP segment from 10.0.0.2:40000 carrying X" instead of hand-writing hex. tshark checks the output.

import { concat, internetChecksum, isIpv6, parseIpv4, parseIpv6, put16, put32 } from "./net-bytes.ts";

export * from "./link-builder.ts";
export * from "./net-bytes.ts";

/** IP protocol numbers used here. */
export const PROTO = {
  hopopts: 0,
  tcp: 6,
  udp: 17,
  routing: 43,
  fragment: 44,
  icmpv6: 58,
  dstopts: 60,
} as const;

/** TCP flag letters accepted in a flags string, and their bits (RFC 9293 §3.1). */
const FLAG_BITS: Record<string, number> = {
  F: 0x01,
  S: 0x02,
  R: 0x04,
  P: 0x08,
  A: 0x10,
  U: 0x20,
  E: 0x40,
  C: 0x80,
};

/** Options of an IPv4 packet. */
export interface Ipv4Options {
  /** Source address text. */
  src: string;
  /** Destination address text. */
  dst: string;
  /** Protocol number of the payload. */
  proto: number;
  /** Payload (a TCP/UDP segment gets its checksum filled in unless this is a fragment). */
  payload: Uint8Array;
  /** Identification (default 0). */
  id?: number;
  /** Time to live (default 64). */
  ttl?: number;
  /** Type of service / DSCP+ECN byte (default 0). */
  tos?: number;
  /** Fragment offset in bytes (a multiple of 8; default 0). */
  fragOffset?: number;
  /** More-fragments flag. */
  moreFragments?: boolean;
  /** Don't-fragment flag. */
  dontFragment?: boolean;
  /** Raw option bytes; padded with End-of-Option-List to a multiple of 4 (RFC 791 §3.1). */
  options?: Uint8Array;
  /** Fill the TCP/UDP checksum (default true; never for fragments). */
  l4Checksum?: boolean;
}

/** An IPv4 packet with a correct header checksum (and transport checksum, see `l4Checksum`). */
export function ipv4(o: Ipv4Options): Uint8Array {
  const optLen = o.options ? (o.options.length + 3) & ~3 : 0;
  const hl = 20 + optLen;
  const src = parseIpv4(o.src);
  const dst = parseIpv4(o.dst);
  const fragOffset = o.fragOffset ?? 0;
  const isFragment = fragOffset !== 0 || o.moreFragments === true;
  const payload =
    o.l4Checksum !== false && !isFragment ? withL4Checksum(o.proto, o.payload, src, dst) : o.payload;
  const pkt = new Uint8Array(hl + payload.length);
  pkt[0] = 0x40 | (hl >> 2);
  pkt[1] = o.tos ?? 0;
  put16(pkt, 2, pkt.length);
  put16(pkt, 4, o.id ?? 0);
  const flags = (o.dontFragment ? 0x4000 : 0) | (o.moreFragments ? 0x2000 : 0);
  put16(pkt, 6, flags | ((fragOffset >> 3) & 0x1fff));
  pkt[8] = o.ttl ?? 64;
  pkt[9] = o.proto;
  pkt.set(src, 12);
  pkt.set(dst, 16);
  if (o.options) pkt.set(o.options, 20);
  put16(pkt, 10, internetChecksum([pkt.subarray(0, hl)]));
  pkt.set(payload, hl);
  return pkt;
}

/**
 * Splits one IPv4 datagram into fragments of at most `maxFragPayload` payload bytes (rounded down to a
 * multiple of 8, RFC 791 §3.2), with the transport checksum computed over the whole payload first.
 */
export function ipv4Fragments(o: Ipv4Options, maxFragPayload: number): Uint8Array[] {
  const src = parseIpv4(o.src);
  const dst = parseIpv4(o.dst);
  const whole = o.l4Checksum !== false ? withL4Checksum(o.proto, o.payload, src, dst) : o.payload;
  const step = Math.max(8, maxFragPayload & ~7);
  const out: Uint8Array[] = [];
  for (let off = 0; off < whole.length || off === 0; off += step) {
    const part = whole.subarray(off, off + step);
    const more = off + step < whole.length;
    out.push(ipv4({ ...o, payload: part, fragOffset: off, moreFragments: more, l4Checksum: false }));
    if (!more) break;
  }
  return out;
}

/** An IPv6 extension header: a generic options-style one, or a Fragment header (RFC 8200 §4). */
export type Ipv6ExtHeader =
  | { type: number; data?: Uint8Array }
  | { type: 44; fragOffset: number; more: boolean; id: number };

/** Options of an IPv6 packet. */
export interface Ipv6Options {
  /** Source address text. */
  src: string;
  /** Destination address text. */
  dst: string;
  /** Protocol number of the payload after all extension headers. */
  nextHeader: number;
  /** Upper-layer payload. */
  payload: Uint8Array;
  /** Extension headers in order; options-style ones are padded with PadN to a multiple of 8 bytes. */
  extHeaders?: Ipv6ExtHeader[];
  /** Hop limit (default 64). */
  hopLimit?: number;
  /** Traffic class (default 0). */
  trafficClass?: number;
  /** Flow label (default 0). */
  flowLabel?: number;
  /** Fill the TCP/UDP/ICMPv6 checksum (default true; never when a Fragment header is present). */
  l4Checksum?: boolean;
}

function extHeaderBytes(h: Ipv6ExtHeader, next: number): Uint8Array {
  if ("fragOffset" in h) {
    const b = new Uint8Array(8);
    b[0] = next;
    put16(b, 2, (h.fragOffset & ~7) | (h.more ? 1 : 0));
    put32(b, 4, h.id);
    return b;
  }
  const data = h.data ?? new Uint8Array(0);
  const len = (2 + data.length + 7) & ~7;
  const b = new Uint8Array(len);
  b[0] = next;
  b[1] = len / 8 - 1;
  b.set(data, 2);
  const pad = len - 2 - data.length;
  // RFC 8200 §4.2: Pad1 is a single zero byte, PadN is type 1 with a length byte.
  if (pad >= 2) {
    b[2 + data.length] = 1;
    b[3 + data.length] = pad - 2;
  }
  return b;
}

/** An IPv6 packet, with its extension headers chained and the transport checksum filled in. */
export function ipv6(o: Ipv6Options): Uint8Array {
  const src = parseIpv6(o.src);
  const dst = parseIpv6(o.dst);
  const exts = o.extHeaders ?? [];
  const fragmented = exts.some((h) => "fragOffset" in h);
  const payload =
    o.l4Checksum !== false && !fragmented ? withL4Checksum(o.nextHeader, o.payload, src, dst) : o.payload;
  const extBytes = exts.map((h, i) =>
    extHeaderBytes(h, i + 1 < exts.length ? exts[i + 1].type : o.nextHeader),
  );
  const body = concat([...extBytes, payload]);
  const hdr = new Uint8Array(40);
  put32(hdr, 0, (6 << 28) | ((o.trafficClass ?? 0) << 20) | ((o.flowLabel ?? 0) & 0xfffff));
  put16(hdr, 4, body.length);
  hdr[6] = exts.length > 0 ? exts[0].type : o.nextHeader;
  hdr[7] = o.hopLimit ?? 64;
  hdr.set(src, 8);
  hdr.set(dst, 24);
  return concat([hdr, body]);
}

/**
 * Splits one IPv6 datagram into fragments (RFC 8200 §4.5): the given extension headers are repeated in
 * each fragment as the unfragmentable part, then a Fragment header, then ≤ `maxFragPayload` bytes.
 */
export function ipv6Fragments(o: Ipv6Options, maxFragPayload: number, id = 1): Uint8Array[] {
  const whole =
    o.l4Checksum !== false
      ? withL4Checksum(o.nextHeader, o.payload, parseIpv6(o.src), parseIpv6(o.dst))
      : o.payload;
  const step = Math.max(8, maxFragPayload & ~7);
  const out: Uint8Array[] = [];
  for (let off = 0; off === 0 || off < whole.length; off += step) {
    const more = off + step < whole.length;
    const frag: Ipv6ExtHeader = { type: PROTO.fragment, fragOffset: off, more, id };
    const exts = [...(o.extHeaders ?? []), frag];
    out.push(ipv6({ ...o, extHeaders: exts, payload: whole.subarray(off, off + step), l4Checksum: false }));
    if (!more) break;
  }
  return out;
}

/** An IPv4 or IPv6 packet chosen by the address form (IPv6 when the source contains a colon). */
export function ipPacket(src: string, dst: string, proto: number, payload: Uint8Array): Uint8Array {
  return isIpv6(src) ? ipv6({ src, dst, nextHeader: proto, payload }) : ipv4({ src, dst, proto, payload });
}

/**
 * Returns a copy of a TCP/UDP/ICMPv6 segment with its checksum set over the pseudo-header
 * (RFC 9293 §3.1 for TCP, RFC 768 for UDP, RFC 8200 §8.1 for IPv6). Other protocols come back unchanged.
 */
export function withL4Checksum(proto: number, seg: Uint8Array, src: Uint8Array, dst: Uint8Array): Uint8Array {
  const at = proto === PROTO.tcp ? 16 : proto === PROTO.udp ? 6 : proto === PROTO.icmpv6 ? 2 : -1;
  if (at < 0 || seg.length < at + 2) return seg;
  const out = seg.slice();
  out[at] = 0;
  out[at + 1] = 0;
  const pseudo = new Uint8Array(src.length === 4 ? 4 : 8);
  if (src.length === 4) {
    pseudo[1] = proto;
    put16(pseudo, 2, seg.length);
  } else {
    put32(pseudo, 0, seg.length);
    pseudo[7] = proto;
  }
  let sum = internetChecksum([src, dst, pseudo, out]);
  if (sum === 0 && proto === PROTO.udp) sum = 0xffff; // RFC 768: a computed zero is sent as all ones
  put16(out, at, sum);
  return out;
}

/** Parses a flags value: a number, or letters such as "S", "SA", "PA", "FA", "R" (see FLAG_BITS). */
export function tcpFlags(flags: number | string): number {
  if (typeof flags === "number") return flags;
  let v = 0;
  for (const ch of flags.toUpperCase()) {
    const bit = FLAG_BITS[ch];
    if (bit === undefined) throw new Error(`bad TCP flag letter: ${ch}`);
    v |= bit;
  }
  return v;
}

/** TCP options commonly seen on a SYN (RFC 9293 MSS, RFC 7323 window scale and timestamps, SACK-permitted). */
export interface TcpOptionSpec {
  /** Maximum segment size. */
  mss?: number;
  /** Window scale shift. */
  wscale?: number;
  /** SACK permitted. */
  sackPerm?: boolean;
  /** Timestamps [TSval, TSecr]. */
  ts?: [number, number];
}

/** Encodes TCP options, NOP-aligned as stacks send them. */
export function tcpOptions(o: TcpOptionSpec): Uint8Array {
  const b: number[] = [];
  if (o.mss !== undefined) b.push(2, 4, o.mss >> 8, o.mss & 0xff);
  if (o.sackPerm) b.push(4, 2);
  if (o.ts) {
    const t = new Uint8Array(8);
    put32(t, 0, o.ts[0]);
    put32(t, 4, o.ts[1]);
    b.push(1, 1, 8, 10, ...t);
  }
  if (o.wscale !== undefined) b.push(1, 3, 3, o.wscale);
  return Uint8Array.from(b);
}

/** Options of a TCP segment. */
export interface TcpOptions {
  /** Source port. */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
  /** Sequence number (taken modulo 2^32). */
  seq: number;
  /** Acknowledgement number (taken modulo 2^32). */
  ack: number;
  /** Flag bits, or letters like "SA". */
  flags: number | string;
  /** Window (default 65535). */
  window?: number;
  /** Payload (default empty). */
  payload?: Uint8Array;
  /** Raw option bytes, padded with End-of-Option-List to a multiple of 4. */
  options?: Uint8Array;
  /** Urgent pointer (default 0). */
  urgent?: number;
}

/** A TCP segment with checksum 0; the IP builders fill the checksum over the pseudo-header. */
export function tcp(o: TcpOptions): Uint8Array {
  const optLen = o.options ? (o.options.length + 3) & ~3 : 0;
  const hl = 20 + optLen;
  const payload = o.payload ?? new Uint8Array(0);
  const seg = new Uint8Array(hl + payload.length);
  put16(seg, 0, o.srcPort);
  put16(seg, 2, o.dstPort);
  put32(seg, 4, o.seq >>> 0);
  put32(seg, 8, o.ack >>> 0);
  seg[12] = (hl >> 2) << 4;
  seg[13] = tcpFlags(o.flags);
  put16(seg, 14, o.window ?? 65535);
  put16(seg, 18, o.urgent ?? 0);
  if (o.options) seg.set(o.options, 20);
  seg.set(payload, hl);
  return seg;
}

/** Options of a UDP datagram. */
export interface UdpOptions {
  /** Source port. */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
  /** Payload. */
  payload: Uint8Array;
}

/** A UDP datagram with checksum 0; the IP builders fill the checksum over the pseudo-header. */
export function udp(o: UdpOptions): Uint8Array {
  const seg = new Uint8Array(8 + o.payload.length);
  put16(seg, 0, o.srcPort);
  put16(seg, 2, o.dstPort);
  put16(seg, 4, seg.length);
  seg.set(o.payload, 8);
  return seg;
}
