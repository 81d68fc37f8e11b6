// Frame bytes for the example captures: Ethernet II, IPv4, TCP and UDP with correct lengths and checksums,
// and a classic pcap file around them. Only what the examples need (IPv4 over Ethernet); the test suite has
// its own, fuller builders, which the examples must not import.

import { parseIPv4 } from "../../src/session/address.ts";

/** LINKTYPE_ETHERNET: every example frame starts with an Ethernet II header. */
export const LINKTYPE_ETHERNET = 1;

/** IP protocol numbers (IANA). */
export const IPPROTO = { tcp: 6, udp: 17 } as const;

/** MAC addresses of the lab: the phone and the access point it talked through (locally administered). */
export const MAC = { phone: "02:00:5e:10:00:23", gateway: "02:00:5e:10:00:01" } as const;

/** One frame with its capture time. */
export interface Frame {
  /** Frame bytes from the Ethernet header on. */
  data: Uint8Array;
  /** Capture time in microseconds since the epoch (integral). */
  us: number;
  /** Packet comments (pcapng only). */
  comments?: string[];
}

/** Joins byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Writes a big-endian 16-bit value. */
export function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

/** Writes a big-endian 32-bit value. */
export function put32(b: Uint8Array, off: number, v: number): void {
  put16(b, off, (v >>> 16) & 0xffff);
  put16(b, off + 2, v & 0xffff);
}

/** Address bytes; a malformed address is a bug in the example script, so it throws. */
export function ipv4Bytes(text: string): Uint8Array {
  const b = parseIPv4(text);
  if (!b) throw new Error(`not an IPv4 address: ${text}`);
  return b;
}

function macBytes(text: string): Uint8Array {
  return Uint8Array.from(text.split(":").map((h) => Number.parseInt(h, 16)));
}

/** The Internet checksum (RFC 1071) over the concatenation of `parts`. */
export function internetChecksum(parts: readonly Uint8Array[]): number {
  let sum = 0;
  let odd = -1; // a byte left over from an odd-length part pairs with the next part's first byte
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd < 0) odd = p[i];
      else {
        sum += (odd << 8) | p[i];
        odd = -1;
      }
    }
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (odd >= 0) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An Ethernet II frame carrying IPv4; phone-sent frames go from the phone's MAC to the gateway's. */
export function ethernetIpv4(ip: Uint8Array, fromPhone: boolean): Uint8Array {
  const out = new Uint8Array(14 + ip.length);
  out.set(macBytes(fromPhone ? MAC.gateway : MAC.phone), 0);
  out.set(macBytes(fromPhone ? MAC.phone : MAC.gateway), 6);
  put16(out, 12, 0x0800);
  out.set(ip, 14);
  return out;
}

/**
 * An IPv4 packet (RFC 791) with Don't Fragment set, as Linux sends, and the transport checksum filled in
 * over the pseudo-header (RFC 9293 §3.1, RFC 768).
 */
export function ipv4Packet(src: string, dst: string, proto: number, seg: Uint8Array, id: number): Uint8Array {
  const s = ipv4Bytes(src);
  const d = ipv4Bytes(dst);
  const pkt = new Uint8Array(20 + seg.length);
  pkt[0] = 0x45;
  put16(pkt, 2, pkt.length);
  put16(pkt, 4, id & 0xffff);
  put16(pkt, 6, 0x4000);
  pkt[8] = 64;
  pkt[9] = proto;
  pkt.set(s, 12);
  pkt.set(d, 16);
  put16(pkt, 10, internetChecksum([pkt.subarray(0, 20)]));
  const body = seg.slice();
  const at = proto === IPPROTO.tcp ? 16 : 6;
  const pseudo = new Uint8Array(4);
  pseudo[1] = proto;
  put16(pseudo, 2, seg.length);
  let sum = internetChecksum([s, d, pseudo, body]);
  if (sum === 0 && proto === IPPROTO.udp) sum = 0xffff; // RFC 768: zero means "no checksum"
  put16(body, at, sum);
  pkt.set(body, 20);
  return pkt;
}

/** TCP flag bits (RFC 9293 §3.1). */
export const TCP_FLAG = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10 } as const;

/** Fields of one TCP segment. */
export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options?: Uint8Array;
  payload?: Uint8Array;
}

/** A TCP segment with a zero checksum (ipv4Packet fills it). Options are padded to 32 bits with NOPs. */
export function tcpSegment(t: TcpSegment): Uint8Array {
  const opt = t.options ?? new Uint8Array(0);
  const optLen = (opt.length + 3) & ~3;
  const payload = t.payload ?? new Uint8Array(0);
  const seg = new Uint8Array(20 + optLen + payload.length);
  put16(seg, 0, t.srcPort);
  put16(seg, 2, t.dstPort);
  put32(seg, 4, t.seq >>> 0);
  put32(seg, 8, t.ack >>> 0);
  seg[12] = ((20 + optLen) >> 2) << 4;
  seg[13] = t.flags;
  put16(seg, 14, t.window);
  seg.set(opt, 20);
  seg.fill(1, 20 + opt.length, 20 + optLen);
  seg.set(payload, 20 + optLen);
  return seg;
}

/** SYN options of an Android 4.3 phone: MSS 1460, SACK permitted, window scale 7 (RFC 9293, 2018, 7323). */
export function synOptions(): Uint8Array {
  return Uint8Array.of(2, 4, 0x05, 0xb4, 4, 2, 1, 3, 3, 7);
}

/** A UDP datagram with a zero checksum (ipv4Packet fills it). */
export function udpDatagram(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const seg = new Uint8Array(8 + payload.length);
  put16(seg, 0, srcPort);
  put16(seg, 2, dstPort);
  put16(seg, 4, seg.length);
  seg.set(payload, 8);
  return seg;
}

/** A classic little-endian microsecond pcap file (pcap-savefile(5)) of Ethernet frames. */
export function pcapFile(frames: readonly Frame[]): Uint8Array {
  const head = new Uint8Array(24);
  const hv = new DataView(head.buffer);
  hv.setUint32(0, 0xa1b2c3d4, true);
  hv.setUint16(4, 2, true);
  hv.setUint16(6, 4, true);
  hv.setUint32(16, 262144, true);
  hv.setUint32(20, LINKTYPE_ETHERNET, true);
  const parts: Uint8Array[] = [head];
  for (const f of frames) {
    const rec = new Uint8Array(16);
    const v = new DataView(rec.buffer);
    v.setUint32(0, Math.floor(f.us / 1e6), true);
    v.setUint32(4, f.us % 1e6, true);
    v.setUint32(8, f.data.length, true);
    v.setUint32(12, f.data.length, true);
    parts.push(rec, f.data);
  }
  return concat(parts);
}
