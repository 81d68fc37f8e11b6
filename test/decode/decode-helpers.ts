// Shared by the link/IP/transport decoder tests: annotated hex to bytes, a Packet around bytes, and a
// one-shot decode that records the weirds. Test helpers only.

import { PacketDecoder, type PacketKind } from "../../src/decode/packet-decoder.ts";
import { newPacketLayers, type PacketLayers } from "../../src/model/layers.ts";
import type { Packet } from "../../src/model/packet.ts";
import type { WeirdRecord } from "../../src/model/weird.ts";

/** Bytes from hex text; `#` starts a comment that runs to the end of the line. */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/#[^\n]*/g, "").replace(/\s+/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`bad hex: ${digits}`);
  return Uint8Array.from(digits.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

/** Concatenates byte arrays. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Options of `packet`. */
export interface PacketOpts {
  /** Frame number (default 1). */
  frame?: number;
  /** Seconds (default 1 400 000 000). */
  tsSec?: number;
  /** Length on the wire (default the byte count). */
  origLen?: number;
  /** Bytes of unrelated data placed before the frame in the buffer (default 0). */
  lead?: number;
}

/** A Packet holding `bytes` as its frame. */
export function packet(bytes: Uint8Array, linkType: number, opts: PacketOpts = {}): Packet {
  const lead = opts.lead ?? 0;
  const data = new Uint8Array(lead + bytes.length).fill(0xee, 0, lead);
  data.set(bytes, lead);
  return {
    frame: opts.frame ?? 1,
    tsSec: opts.tsSec ?? 1_400_000_000,
    tsNsec: 0,
    linkType,
    iface: 0,
    data,
    offset: lead,
    capLen: bytes.length,
    origLen: opts.origLen ?? bytes.length,
    comments: undefined,
  };
}

/** What one decode produced. */
export interface Decoded {
  kind: PacketKind;
  out: PacketLayers;
  weirds: Omit<WeirdRecord, "type">[];
}

/** Decodes one frame with a fresh decoder. */
export function decodeOnce(bytes: Uint8Array, linkType: number, opts: PacketOpts = {}): Decoded {
  const weirds: Omit<WeirdRecord, "type">[] = [];
  const dec = new PacketDecoder({ weird: (w) => weirds.push(w) });
  const out = newPacketLayers();
  const kind = dec.decode(packet(bytes, linkType, opts), out);
  return { kind, out, weirds };
}

/** Dotted or colon text of the address at `off`. */
export function addr(out: PacketLayers, off: number): string {
  const b = out.data.subarray(off, off + out.addrLen);
  if (out.addrLen === 4) return [...b].join(".");
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((b[i] << 8) | b[i + 1]).toString(16));
  return words.join(":");
}

/** The payload bytes as text (latin1). */
export function payloadText(out: PacketLayers): string {
  return String.fromCharCode(...out.data.subarray(out.payloadOff, out.payloadOff + out.payloadLen));
}

/** IPv4 + TCP SYN, 44 bytes: 192.168.1.2:50000 → 93.184.216.34:443, seq 1000, MSS option. */
export const IPV4_TCP_SYN = hex(`
  45 00 00 2c   # version 4, IHL 5 (20 bytes), DSCP 0, total length 44
  12 34 40 00   # id 0x1234, flags DF, fragment offset 0
  40 06 00 00   # TTL 64, protocol 6 (TCP), checksum (not checked)
  c0 a8 01 02   # source 192.168.1.2
  5d b8 d8 22   # destination 93.184.216.34
  c3 50 01 bb   # TCP source port 50000, destination port 443
  00 00 03 e8   # sequence number 1000
  00 00 00 00   # acknowledgement number 0
  60 02 ff ff   # data offset 6 (24 bytes), flags SYN, window 65535
  00 00 00 00   # checksum, urgent pointer
  02 04 05 b4   # option MSS 1460
`);

/** IPv4 + UDP with the 5-byte payload "hello": 10.0.0.1:5353 → 10.0.0.2:53. */
export const IPV4_UDP_HELLO = hex(`
  45 00 00 21   # version 4, IHL 5, total length 33 = 20 + 8 + 5
  00 01 00 00   # id 1, no flags
  40 11 00 00   # TTL 64, protocol 17 (UDP)
  0a 00 00 01   # source 10.0.0.1
  0a 00 00 02   # destination 10.0.0.2
  14 e9 00 35   # UDP source port 5353, destination port 53
  00 0d 00 00   # UDP length 13, checksum 0 (none)
  68 65 6c 6c 6f  # "hello"
`);

/** IPv6 + UDP with the 4-byte payload "ping": [2001:db8::1]:40000 → [2001:db8::2]:443. */
export const IPV6_UDP_PING = hex(`
  60 00 00 00   # version 6, traffic class 0, flow label 0
  00 0c 11 40   # payload length 12, next header 17 (UDP), hop limit 64
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # source 2001:db8::1
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # destination 2001:db8::2
  9c 40 01 bb   # UDP source port 40000, destination port 443
  00 0c 00 00   # UDP length 12, checksum
  70 69 6e 67   # "ping"
`);

/** Ethernet header towards IPv4. */
export const ETH_V4 = hex("00 11 22 33 44 55 66 77 88 99 aa bb 08 00");

const WLAN_DATA = hex(`
  08 01 00 00                                            # 802.11 data, ToDS, duration
  00 11 22 33 44 55 66 77 88 99 aa bb 02 00 00 00 00 01  # addresses 1, 2, 3
  10 00                                                  # sequence 1, fragment 0
  aa aa 03 00 00 00 08 00                                # LLC/SNAP IPv4
`);

/**
 * One valid frame per supported link type, each around IPV4_TCP_SYN (229: IPV6_UDP_PING), with no padding
 * so that any cut shows.
 */
export const VALID_FRAMES: [number, Uint8Array][] = [
  [0, cat(hex("02 00 00 00   # AF_INET, host order"), IPV4_TCP_SYN)],
  [1, cat(ETH_V4, IPV4_TCP_SYN)],
  [9, cat(hex("ff 03 00 21   # PPP in HDLC-like framing, IPv4"), IPV4_TCP_SYN)],
  [12, IPV4_TCP_SYN],
  [14, IPV4_TCP_SYN],
  [50, cat(hex("0f 00 08 00   # Cisco HDLC, IPv4"), IPV4_TCP_SYN)],
  [51, cat(hex("11 00 00 01 00 2e 00 21   # PPPoE session 1, length 46, PPP IPv4"), IPV4_TCP_SYN)],
  [101, IPV4_TCP_SYN],
  [104, cat(hex("0f 00 08 00"), IPV4_TCP_SYN)],
  [105, cat(WLAN_DATA, IPV4_TCP_SYN)],
  [108, cat(hex("00 00 00 02   # AF_INET, network order"), IPV4_TCP_SYN)],
  [113, cat(hex("00 00 00 01 00 06 66 77 88 99 aa bb 00 00 08 00   # SLL, IPv4"), IPV4_TCP_SYN)],
  [127, cat(hex("00 00 08 00 00 00 00 00   # radiotap, no fields"), WLAN_DATA, IPV4_TCP_SYN)],
  // PKTAP: pth_length 108, pth_type_next 1 (packet), pth_dlt, then the rest of the 108-byte header.
  [149, cat(hex("6c 00 00 00 01 00 00 00 0c 00 00 00   # DLT_RAW (12)"), new Uint8Array(96), IPV4_TCP_SYN)],
  [192, cat(hex("00 00 08 00 01 00 00 00   # PPI v0, length 8, DLT 1"), ETH_V4, IPV4_TCP_SYN)],
  [228, IPV4_TCP_SYN],
  [229, IPV6_UDP_PING],
  [239, cat(hex("02 00 00 01 30 00 09 00   # NFLOG AF_INET, payload TLV of 48"), IPV4_TCP_SYN)],
  [
    258,
    cat(
      hex("6c 00 00 00 01 00 00 00 01 00 00 00   # DLT_EN10MB (1)"),
      new Uint8Array(96),
      ETH_V4,
      IPV4_TCP_SYN,
    ),
  ],
  [276, cat(hex("08 00 00 00 00 00 00 02 00 01 00 06 66 77 88 99 aa bb 00 00   # SLL2, IPv4"), IPV4_TCP_SYN)],
];
