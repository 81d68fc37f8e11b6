// Writes pcap and pcapng files for tests and the benchmark generator: both byte orders, µs/ns/modified pcap,
// FCS bits, and pcapng sections with any mix of standard, custom and unknown blocks. Straightforward
// rather than fast-at-all-costs, except `pcapRecord`, which streaming generators call per packet.

import { concat } from "./net-bytes.ts";

export { concat };

/** One frame to write. */
export interface WriteFrame {
  /** Frame bytes as captured. */
  data: Uint8Array;
  /** Whole seconds since the epoch (default 0). */
  tsSec?: number;
  /** Nanoseconds within the second (default 0); truncated to the file's resolution. */
  tsNsec?: number;
  /** Length on the wire (default data.length). */
  origLen?: number;
  /** pcapng: interface index within the section (default 0); modified pcap: the ifindex field. */
  iface?: number;
  /** pcapng EPB/PB: an opt_comment. */
  comment?: string;
}

/** Options of a pcap file. */
export interface PcapWriteOptions {
  /** Byte order of every field (default little). */
  byteOrder?: "little" | "big";
  /** Nanosecond magic a1b23c4d (default µs). */
  nanos?: boolean;
  /** Modified (Kuznetzov) format, magic a1b2cd34, 24-byte record headers. */
  modified?: boolean;
  /** LINKTYPE_* value (default 1, Ethernet). */
  linkType?: number;
  /** Snapshot length (default 262144). */
  snapLen?: number;
  /** FCS length in 16-bit units (0–15) for bits 28–31 of the link-type field; sets the P bit too. */
  fcsBits?: number;
}

/** The 24-byte pcap file header. */
export function pcapHeader(opts: PcapWriteOptions = {}): Uint8Array {
  const le = opts.byteOrder !== "big";
  const out = new Uint8Array(24);
  const v = new DataView(out.buffer);
  const magic = opts.modified ? 0xa1b2cd34 : opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4;
  v.setUint32(0, magic, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, opts.snapLen ?? 262144, le);
  let lt = (opts.linkType ?? 1) & 0xffff;
  if (opts.fcsBits !== undefined) lt = (lt | 0x04000000 | ((opts.fcsBits & 0xf) << 28)) >>> 0;
  v.setUint32(20, lt, le);
  return out;
}

/** One pcap record (header + data). */
export function pcapRecord(frame: WriteFrame, opts: PcapWriteOptions = {}): Uint8Array {
  const le = opts.byteOrder !== "big";
  const hdr = opts.modified ? 24 : 16;
  const out = new Uint8Array(hdr + frame.data.length);
  const v = new DataView(out.buffer);
  const nsec = frame.tsNsec ?? 0;
  v.setUint32(0, frame.tsSec ?? 0, le);
  v.setUint32(4, opts.nanos && !opts.modified ? nsec : Math.floor(nsec / 1000), le);
  v.setUint32(8, frame.data.length, le);
  v.setUint32(12, frame.origLen ?? frame.data.length, le);
  if (opts.modified) v.setUint32(16, frame.iface ?? 0, le);
  out.set(frame.data, hdr);
  return out;
}

/** A whole pcap file. */
export function writePcap(frames: WriteFrame[], opts: PcapWriteOptions = {}): Uint8Array {
  return concat([pcapHeader(opts), ...frames.map((f) => pcapRecord(f, opts))]);
}

/** One pcapng interface (an IDB). */
export interface PcapngInterfaceSpec {
  /** LINKTYPE_* value. */
  linkType: number;
  /** Snapshot length (default 0, unlimited). */
  snapLen?: number;
  /** Raw if_tsresol byte: 6 = µs (default), 9 = ns, 0x80 | n = 2^-n. */
  tsresol?: number;
  /** if_tsoffset, seconds. */
  tsoffset?: number;
  /** if_name. */
  name?: string;
  /** if_description. */
  description?: string;
  /** if_os. */
  os?: string;
  /** if_fcslen (raw byte). */
  fcslen?: number;
  /** opt_comment. */
  comment?: string;
}

/** Counters of an Interface Statistics Block. */
export interface IsbSpec {
  kind: "isb";
  /** Interface index within the section. */
  iface: number;
  /** Block timestamp in interface units (default 0). */
  ts?: bigint;
  /** isb_ifrecv. */
  ifrecv?: bigint;
  /** isb_ifdrop. */
  ifdrop?: bigint;
  /** isb_osdrop. */
  osdrop?: bigint;
  /** isb_starttime, in interface units. */
  starttime?: bigint;
  /** opt_comment. */
  comment?: string;
}

/** A block after the section's IDBs, in file order. */
export type PcapngBlockSpec =
  | { kind: "epb"; frame: WriteFrame }
  | { kind: "spb"; frame: WriteFrame }
  | { kind: "pb"; frame: WriteFrame }
  | { kind: "idb"; iface: PcapngInterfaceSpec }
  | { kind: "dsb"; secretsType: number; data: Uint8Array }
  | { kind: "nrb"; records: { ip: string; names: string[] }[] }
  | IsbSpec
  | { kind: "custom"; pen: number; data: Uint8Array; copyable: boolean }
  | { kind: "raw"; type: number; body: Uint8Array };

/** One pcapng section: an SHB, its IDBs, then its blocks. */
export interface PcapngSectionSpec {
  /** Byte order of the section (default little). */
  byteOrder?: "little" | "big";
  /** SHB opt_comment. */
  comment?: string;
  /** SHB string options. */
  options?: { hardware?: string; os?: string; userappl?: string };
  /** IDBs written right after the SHB. */
  interfaces: PcapngInterfaceSpec[];
  /** Blocks in order (an "idb" block declares one more interface at that point). */
  blocks: PcapngBlockSpec[];
}

const enc = new TextEncoder();

/** A whole pcapng file of one or more sections. */
export function writePcapng(sections: PcapngSectionSpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const s of sections) {
    const le = s.byteOrder !== "big";
    const ifaces: PcapngInterfaceSpec[] = [];
    parts.push(shb(s, le));
    for (const i of s.interfaces) {
      ifaces.push(i);
      parts.push(idb(i, le));
    }
    for (const b of s.blocks) {
      if (b.kind === "idb") ifaces.push(b.iface);
      parts.push(blockBytes(b, ifaces, le));
    }
  }
  return concat(parts);
}

function blockBytes(b: PcapngBlockSpec, ifaces: PcapngInterfaceSpec[], le: boolean): Uint8Array {
  switch (b.kind) {
    case "epb":
    case "pb":
      return packetBlock(b.kind, b.frame, ifaces[b.frame.iface ?? 0], le);
    case "spb": {
      const body = new Uint8Array(4 + pad4(b.frame.data.length));
      new DataView(body.buffer).setUint32(0, b.frame.origLen ?? b.frame.data.length, le);
      body.set(b.frame.data, 4);
      return block(3, body, le);
    }
    case "idb":
      return idb(b.iface, le);
    case "dsb": {
      const body = new Uint8Array(8 + pad4(b.data.length));
      const v = new DataView(body.buffer);
      v.setUint32(0, b.secretsType, le);
      v.setUint32(4, b.data.length, le);
      body.set(b.data, 8);
      return block(0x0a, body, le);
    }
    case "nrb":
      return block(4, nrbBody(b.records, le), le);
    case "isb":
      return block(5, isbBody(b, le), le);
    case "custom": {
      const body = new Uint8Array(4 + pad4(b.data.length));
      new DataView(body.buffer).setUint32(0, b.pen, le);
      body.set(b.data, 4);
      return block(b.copyable ? 0xbad : 0x40000bad, body, le);
    }
    case "raw":
      return block(b.type, padded(b.body), le);
  }
}

function shb(s: PcapngSectionSpec, le: boolean): Uint8Array {
  const fixed = new Uint8Array(16);
  const v = new DataView(fixed.buffer);
  v.setUint32(0, 0x1a2b3c4d, le);
  v.setUint16(4, 1, le);
  v.setUint16(6, 0, le);
  v.setBigInt64(8, -1n, le);
  const opts: Uint8Array[] = [];
  if (s.comment !== undefined) opts.push(option(1, enc.encode(s.comment), le));
  if (s.options?.hardware !== undefined) opts.push(option(2, enc.encode(s.options.hardware), le));
  if (s.options?.os !== undefined) opts.push(option(3, enc.encode(s.options.os), le));
  if (s.options?.userappl !== undefined) opts.push(option(4, enc.encode(s.options.userappl), le));
  return block(0x0a0d0d0a, concat([fixed, ...withEnd(opts, le)]), le);
}

function idb(i: PcapngInterfaceSpec, le: boolean): Uint8Array {
  const fixed = new Uint8Array(8);
  const v = new DataView(fixed.buffer);
  v.setUint16(0, i.linkType, le);
  v.setUint32(4, i.snapLen ?? 0, le);
  const opts: Uint8Array[] = [];
  if (i.comment !== undefined) opts.push(option(1, enc.encode(i.comment), le));
  if (i.name !== undefined) opts.push(option(2, enc.encode(i.name), le));
  if (i.description !== undefined) opts.push(option(3, enc.encode(i.description), le));
  if (i.tsresol !== undefined) opts.push(option(9, Uint8Array.of(i.tsresol), le));
  if (i.os !== undefined) opts.push(option(12, enc.encode(i.os), le));
  if (i.fcslen !== undefined) opts.push(option(13, Uint8Array.of(i.fcslen), le));
  if (i.tsoffset !== undefined) opts.push(option(14, i64(BigInt(i.tsoffset), le), le));
  return block(1, concat([fixed, ...withEnd(opts, le)]), le);
}

function packetBlock(
  kind: "epb" | "pb",
  f: WriteFrame,
  i: PcapngInterfaceSpec | undefined,
  le: boolean,
): Uint8Array {
  const fixed = new Uint8Array(20);
  const v = new DataView(fixed.buffer);
  if (kind === "epb") v.setUint32(0, f.iface ?? 0, le);
  else v.setUint16(0, f.iface ?? 0, le);
  const ts = ticks(f, i);
  v.setUint32(4, Number(ts >> 32n) >>> 0, le);
  v.setUint32(8, Number(ts & 0xffffffffn), le);
  v.setUint32(12, f.data.length, le);
  v.setUint32(16, f.origLen ?? f.data.length, le);
  const opts = f.comment !== undefined ? withEnd([option(1, enc.encode(f.comment), le)], le) : [];
  return block(kind === "epb" ? 6 : 2, concat([fixed, padded(f.data), ...opts]), le);
}

/** The frame's timestamp in the interface's units, truncated, before if_tsoffset. */
function ticks(f: WriteFrame, i: PcapngInterfaceSpec | undefined): bigint {
  const r = i?.tsresol ?? 6;
  const units = (r & 0x80) !== 0 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r & 0x7f);
  const sec = BigInt(f.tsSec ?? 0) - BigInt(i?.tsoffset ?? 0);
  const t = sec * units + (BigInt(f.tsNsec ?? 0) * units) / 1_000_000_000n;
  return BigInt.asUintN(64, t);
}

function nrbBody(records: { ip: string; names: string[] }[], le: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const r of records) {
    const addr = ipBytes(r.ip);
    const names = r.names.map((n) => concat([enc.encode(n), Uint8Array.of(0)]));
    parts.push(option(addr.length === 4 ? 1 : 2, concat([addr, ...names]), le));
  }
  parts.push(new Uint8Array(4));
  return concat(parts);
}

function isbBody(b: IsbSpec, le: boolean): Uint8Array {
  const fixed = new Uint8Array(12);
  const v = new DataView(fixed.buffer);
  v.setUint32(0, b.iface, le);
  const ts = b.ts ?? 0n;
  v.setUint32(4, Number(ts >> 32n) >>> 0, le);
  v.setUint32(8, Number(ts & 0xffffffffn), le);
  const opts: Uint8Array[] = [];
  if (b.comment !== undefined) opts.push(option(1, enc.encode(b.comment), le));
  if (b.starttime !== undefined) opts.push(option(2, tsPair(b.starttime, le), le));
  if (b.ifrecv !== undefined) opts.push(option(4, u64(b.ifrecv, le), le));
  if (b.ifdrop !== undefined) opts.push(option(5, u64(b.ifdrop, le), le));
  if (b.osdrop !== undefined) opts.push(option(7, u64(b.osdrop, le), le));
  return concat([fixed, ...withEnd(opts, le)]);
}

/** IPv4 dotted quad or IPv6 text (with `::`) to bytes. */
export function ipBytes(ip: string): Uint8Array {
  if (!ip.includes(":")) return Uint8Array.from(ip.split(".").map(Number));
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, undefined];
  const hs = head ? head.split(":") : [];
  const ts = tail ? tail.split(":") : [];
  const groups = [...hs, ...Array(8 - hs.length - ts.length).fill("0"), ...ts].map((g) =>
    Number.parseInt(g, 16),
  );
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function option(code: number, value: Uint8Array, le: boolean): Uint8Array {
  const out = new Uint8Array(4 + pad4(value.length));
  const v = new DataView(out.buffer);
  v.setUint16(0, code, le);
  v.setUint16(2, value.length, le);
  out.set(value, 4);
  return out;
}

function withEnd(opts: Uint8Array[], le: boolean): Uint8Array[] {
  return opts.length > 0 ? [...opts, option(0, new Uint8Array(0), le)] : [];
}

/** Type, length, body, length. */
function block(type: number, body: Uint8Array, le: boolean): Uint8Array {
  const len = 12 + body.length;
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, le);
  v.setUint32(4, len, le);
  out.set(body, 8);
  v.setUint32(len - 4, len, le);
  return out;
}

function u64(x: bigint, le: boolean): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, x, le);
  return out;
}

function i64(x: bigint, le: boolean): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, x, le);
  return out;
}

/** A 64-bit timestamp as two 32-bit words, high first, each in the section's byte order. */
function tsPair(x: bigint, le: boolean): Uint8Array {
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint32(0, Number(x >> 32n) >>> 0, le);
  v.setUint32(4, Number(x & 0xffffffffn), le);
  return out;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function padded(b: Uint8Array): Uint8Array {
  if (b.length % 4 === 0) return b;
  const out = new Uint8Array(pad4(b.length));
  out.set(b);
  return out;
}
