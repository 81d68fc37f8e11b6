// A minimal MaxMind DB writer (MaxMind DB File Format Specification 2.0) for tests: a search tree over a few
// planted prefixes, 24-bit records, and a data section of maps, strings, numbers, booleans and arrays. Lets
// lookups be checked against values the test planted, in either record layout (ip-location-db or MaxMind).

import { concat, parseIpv4, parseIpv6, utf8 } from "./net-bytes.ts";

/** A value of the data section. */
export type MmdbValue = string | number | boolean | MmdbValue[] | { [key: string]: MmdbValue };

/** One prefix and the record it maps to. */
export interface MmdbEntry {
  /** `a.b.c.d/len` or `v6addr/len`; IPv4 prefixes go under ::/96 in an IPv6 tree. */
  cidr: string;
  /** The record. */
  record: MmdbValue;
}

/** Tree and metadata options. */
export interface MmdbOptions {
  /** 4: a 32-bit tree; 6: a 128-bit tree. */
  ipVersion: 4 | 6;
  /** `database_type` metadata. */
  databaseType?: string;
  /** `build_epoch` metadata (seconds). */
  buildEpoch?: number;
  /** Bits per tree record (default 24). */
  recordSize?: 24 | 28 | 32;
  /** Zero bytes at the start of the data section, so record values outgrow 24 bits (default 0). */
  dataPad?: number;
}

/** The metadata marker: "\xAB\xCD\xEFMaxMind.com". */
export const MMDB_METADATA_MARKER = concat([new Uint8Array([0xab, 0xcd, 0xef]), utf8("MaxMind.com")]);

// Type numbers of the spec's "Output Data Section" (extended types are > 7).
const T = { string: 2, double: 3, uint16: 5, uint32: 6, map: 7, array: 11, boolean: 14 } as const;

/** Control byte(s) of a value: type and payload size (extended types and long sizes take extra bytes). */
function control(type: number, size: number): number[] {
  let sizeBits: number;
  let extra: number[];
  if (size < 29) [sizeBits, extra] = [size, []];
  else if (size < 285) [sizeBits, extra] = [29, [size - 29]];
  else if (size < 65821) [sizeBits, extra] = [30, [(size - 285) >> 8, (size - 285) & 0xff]];
  else throw new Error("test MMDB value too large");
  const first = ((type <= 7 ? type : 0) << 5) | sizeBits;
  return type > 7 ? [first, type - 7, ...extra] : [first, ...extra];
}

function uintBytes(v: number): number[] {
  const out: number[] = [];
  for (let x = v; x > 0; x = Math.floor(x / 256)) out.unshift(x % 256);
  return out;
}

/** The data-section encoding of `v`. */
export function encodeMmdbValue(v: MmdbValue): Uint8Array {
  if (typeof v === "string") {
    const b = utf8(v);
    return concat([new Uint8Array(control(T.string, b.length)), b]);
  }
  if (typeof v === "boolean") return new Uint8Array(control(T.boolean, v ? 1 : 0));
  if (typeof v === "number") {
    if (Number.isInteger(v) && v >= 0 && v < 2 ** 32) {
      const b = uintBytes(v);
      return new Uint8Array([...control(v < 65536 ? T.uint16 : T.uint32, b.length), ...b]);
    }
    const d = new DataView(new ArrayBuffer(8));
    d.setFloat64(0, v);
    return concat([new Uint8Array(control(T.double, 8)), new Uint8Array(d.buffer)]);
  }
  if (Array.isArray(v))
    return concat([new Uint8Array(control(T.array, v.length)), ...v.map(encodeMmdbValue)]);
  const keys = Object.keys(v);
  const parts = keys.flatMap((k) => [encodeMmdbValue(k), encodeMmdbValue(v[k])]);
  return concat([new Uint8Array(control(T.map, keys.length)), ...parts]);
}

/** The bits of a prefix, most significant first, in a tree of `ipVersion`. */
function prefixBits(cidr: string, ipVersion: 4 | 6): number[] {
  const [addr, lenText] = cidr.split("/");
  let bytes = addr.includes(":") ? parseIpv6(addr) : parseIpv4(addr);
  let len = Number(lenText);
  if (bytes.length === 4 && ipVersion === 6) {
    bytes = concat([new Uint8Array(12), bytes]);
    len += 96;
  }
  if (bytes.length === 16 && ipVersion === 4) throw new Error(`IPv6 prefix ${cidr} in an IPv4 tree`);
  const bits: number[] = [];
  for (let i = 0; i < len; i++) bits.push((bytes[i >> 3] >> (7 - (i & 7))) & 1);
  return bits;
}

type Slot = { node: number } | { data: number } | undefined;

/** The whole MMDB file. Prefixes must not nest (a test fixture has no need for it). */
export function writeMmdb(entries: readonly MmdbEntry[], opts: MmdbOptions): Buffer {
  const nodes: [Slot, Slot][] = [[undefined, undefined]];
  const data: Uint8Array[] = [new Uint8Array(opts.dataPad ?? 0)];
  let dataLen = opts.dataPad ?? 0;
  for (const e of entries) {
    const encoded = encodeMmdbValue(e.record);
    const slot = { data: dataLen };
    data.push(encoded);
    dataLen += encoded.length;
    const bits = prefixBits(e.cidr, opts.ipVersion);
    let n = 0;
    bits.forEach((bit, i) => {
      const cur = nodes[n][bit];
      if (i === bits.length - 1) {
        if (cur) throw new Error(`nested prefix ${e.cidr}`);
        nodes[n][bit] = slot;
      } else if (cur && "node" in cur) {
        n = cur.node;
      } else if (cur) {
        throw new Error(`nested prefix ${e.cidr}`);
      } else {
        nodes.push([undefined, undefined]);
        nodes[n][bit] = { node: nodes.length - 1 };
        n = nodes.length - 1;
      }
    });
  }
  const count = nodes.length;
  // Spec: a record equal to node_count means "no data"; data pointers are node_count + 16 + offset.
  const value = (s: Slot) => (!s ? count : "node" in s ? s.node : count + 16 + s.data);
  const size = opts.recordSize ?? 24;
  const tree = new Uint8Array((count * size) / 4);
  for (const [i, [l, r]] of nodes.entries()) tree.set(encodeNode(value(l), value(r), size), (i * size) / 4);
  const metadata = encodeMmdbValue({
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: opts.buildEpoch ?? 1_700_000_000,
    database_type: opts.databaseType ?? "test-country",
    description: { en: "phonehome test fixture" },
    ip_version: opts.ipVersion,
    languages: ["en"],
    node_count: count,
    record_size: size,
  });
  return Buffer.from(concat([tree, new Uint8Array(16), ...data, MMDB_METADATA_MARKER, metadata]));
}

/** One tree node: two records of `size` bits (spec, "Search Tree Section"; 28 bits share a middle byte). */
function encodeNode(l: number, r: number, size: 24 | 28 | 32): number[] {
  const be = (v: number, n: number) => Array.from({ length: n }, (_, k) => (v >>> (8 * (n - 1 - k))) & 0xff);
  if (size === 24) return [...be(l, 3), ...be(r, 3)];
  if (size === 32) return [...be(l, 4), ...be(r, 4)];
  return [...be(l & 0xffffff, 3), ((l >>> 20) & 0xf0) | ((r >>> 24) & 0x0f), ...be(r & 0xffffff, 3)];
}
