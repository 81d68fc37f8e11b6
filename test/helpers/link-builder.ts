// Link-layer headers for test frames: Ethernet II with 802.1Q/802.1ad tags, Linux cooked capture v1 and v2,
// and raw IP, as phone capture tools write them.

import { concat, parseMac, put16, put32 } from "./net-bytes.ts";

/** LINKTYPE_* values of the link layers this module builds. */
export const LINKTYPE = { ethernet: 1, raw: 101, sll: 113, sll2: 276 } as const;

/** EtherType values used here. */
export const ETHERTYPE = { ipv4: 0x0800, arp: 0x0806, vlan: 0x8100, qinq: 0x88a8, ipv6: 0x86dd } as const;

/** Options of an Ethernet II frame. */
export interface EthernetOptions {
  /** Source MAC, default 02:00:00:00:00:01 (locally administered). */
  src?: string;
  /** Destination MAC, default 02:00:00:00:00:02. */
  dst?: string;
  /** 802.1Q VLAN IDs (TCI values), outermost first; two or more make QinQ. */
  vlan?: number[];
  /** TPID of the outer tag when there are several (default 0x88a8, 802.1ad); inner tags use 0x8100. */
  outerTpid?: number;
  /** EtherType of the payload. */
  type: number;
  /** Network-layer payload. */
  payload: Uint8Array;
  /** Pad to the 60-byte Ethernet minimum, as a receiving host captures short frames (default false). */
  pad?: boolean;
}

/** An Ethernet II frame, with 802.1Q/802.1ad tags when `vlan` is given (no FCS). */
export function ethernet(o: EthernetOptions): Uint8Array {
  const tags = o.vlan ?? [];
  const hdr = new Uint8Array(14 + 4 * tags.length);
  hdr.set(parseMac(o.dst ?? "02:00:00:00:00:02"), 0);
  hdr.set(parseMac(o.src ?? "02:00:00:00:00:01"), 6);
  tags.forEach((tci, i) => {
    const tpid = i === 0 && tags.length > 1 ? (o.outerTpid ?? ETHERTYPE.qinq) : ETHERTYPE.vlan;
    put16(hdr, 12 + 4 * i, tpid);
    put16(hdr, 14 + 4 * i, tci);
  });
  put16(hdr, 12 + 4 * tags.length, o.type);
  const frame = concat([hdr, o.payload]);
  if (!o.pad || frame.length >= 60) return frame;
  const padded = new Uint8Array(60);
  padded.set(frame);
  return padded;
}

/** Options of a Linux cooked-capture (SLL) header. */
export interface SllOptions {
  /** Protocol (EtherType) of the payload. */
  proto: number;
  /** Network-layer payload. */
  payload: Uint8Array;
  /** Packet type: 0 to us, 1 broadcast, 2 multicast, 3 other host, 4 sent by us (default 4). */
  pktType?: number;
  /** ARPHRD_* type of the device (default 1, Ethernet). */
  arphrd?: number;
  /** Link-layer source address (MAC text), default 02:00:00:00:00:01. */
  addr?: string;
}

/** A LINKTYPE_LINUX_SLL frame (16-byte header). */
export function sll(o: SllOptions): Uint8Array {
  const hdr = new Uint8Array(16);
  const addr = parseMac(o.addr ?? "02:00:00:00:00:01");
  put16(hdr, 0, o.pktType ?? 4);
  put16(hdr, 2, o.arphrd ?? 1);
  put16(hdr, 4, addr.length);
  hdr.set(addr, 6);
  put16(hdr, 14, o.proto);
  return concat([hdr, o.payload]);
}

/** Options of a Linux cooked-capture v2 (SLL2) header. */
export interface Sll2Options extends SllOptions {
  /** Interface index (default 1). */
  ifindex?: number;
}

/** A LINKTYPE_LINUX_SLL2 frame (20-byte header). */
export function sll2(o: Sll2Options): Uint8Array {
  const hdr = new Uint8Array(20);
  const addr = parseMac(o.addr ?? "02:00:00:00:00:01");
  put16(hdr, 0, o.proto);
  put32(hdr, 4, o.ifindex ?? 1);
  put16(hdr, 8, o.arphrd ?? 1);
  hdr[10] = o.pktType ?? 4;
  hdr[11] = addr.length;
  hdr.set(addr, 12);
  return concat([hdr, o.payload]);
}

/** A LINKTYPE_RAW frame: the IP packet itself (a copy). */
export function rawIp(packet: Uint8Array): Uint8Array {
  return packet.slice();
}
