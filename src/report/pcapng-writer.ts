// A streaming pcapng writer (draft-ietf-opsawg-pcapng): one little-endian section, one Interface Description
// Block per link type (written the first time a packet of that type arrives), Enhanced Packet Blocks with
// opt_comment, and Decryption Secrets Blocks so Wireshark can decrypt TLS without a separate key log file.
// Output goes to a file descriptor through a bounded buffer, or is collected in memory for the caller.

import { writeSync } from "node:fs";
import { BLOCK } from "../capture/pcapng-reader.ts";
import { DSB_TLS_KEY_LOG } from "../decrypt/key-log.ts";

/** Timestamp resolutions an interface can be written with (if_tsresol 6 or 9). */
export const TS_RESOLUTIONS = ["us", "ns"] as const;
export type TsResolution = (typeof TS_RESOLUTIONS)[number];

/** Largest frame kept per packet: Wireshark refuses longer records (its standard maximum packet size). */
export const MAX_FRAME_BYTES = 262_144;
/** An option value's length is a 16-bit field (§3.5), so longer comments are cut to this. */
export const MAX_OPTION_BYTES = 65_535;
/** Largest secrets payload per DSB; longer key logs are split at line ends into several blocks. */
export const MAX_DSB_BYTES = 8 * 1024 * 1024;
/** Default bytes held before a write to the file descriptor. */
export const DEFAULT_BUFFER_BYTES = 64 * 1024;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_HARDWARE = 2;
const SHB_OS = 3;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Options of a writer. */
export interface PcapngWriterOptions {
  /** File descriptor to write to; without one the bytes are collected and `close()` returns them. */
  fd?: number;
  /** Section comment (SHB opt_comment). */
  comment?: string;
  /** shb_hardware. */
  hardware?: string;
  /** shb_os. */
  os?: string;
  /** shb_userappl, the application that wrote the file. */
  userappl?: string;
  /** Resolution of interfaces made by `interfaceFor` (default "us"). */
  resolution?: TsResolution;
  /** Bytes held before writing to `fd` (default 64 KiB). */
  bufferBytes?: number;
}

/** An interface (IDB) to declare explicitly. */
export interface PcapngInterface {
  /** LINKTYPE_* value. */
  linkType: number;
  /** Timestamp resolution (default the writer's). */
  resolution?: TsResolution;
  /** if_name. */
  name?: string;
  /** if_description. */
  description?: string;
}

/** One packet to write; a reader's `Packet` fits (its `data[offset, offset + capLen)` is the frame). */
export interface PcapngPacket {
  /** LINKTYPE_* of the frame; picks (or creates) the interface unless `iface` is given. */
  linkType: number;
  /** An interface index returned by `addInterface`/`interfaceFor`, instead of choosing by link type. */
  iface?: number;
  /** Whole seconds since the Unix epoch. */
  tsSec: number;
  /** Nanoseconds within the second; truncated to the interface's resolution. */
  tsNsec: number;
  /** Bytes holding the frame. */
  data: Uint8Array;
  /** Start of the frame in `data` (default 0). */
  offset?: number;
  /** Frame length in `data` (default the rest of `data`). */
  capLen?: number;
  /** Length on the wire (default the captured length). */
  origLen?: number;
  /** Packet comments, one opt_comment each. */
  comments?: readonly string[];
}

interface IfaceState {
  linkType: number;
  resolution: TsResolution;
}

const enc = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** Writes one pcapng section block by block. */
export class PcapngWriter {
  private readonly fd: number | undefined;
  private readonly limit: number;
  private readonly resolution: TsResolution;
  private readonly ifaces: IfaceState[] = [];
  private readonly byLink = new Map<number, number>();
  /** Blocks not yet written to the fd, or every block when collecting. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private written = 0;
  private closed = false;

  /** Starts the section: the Section Header Block is queued at once. */
  constructor(opts: PcapngWriterOptions = {}) {
    this.fd = opts.fd;
    this.limit = Math.max(4096, opts.bufferBytes ?? DEFAULT_BUFFER_BYTES);
    this.resolution = opts.resolution ?? "us";
    const fixed = new Uint8Array(16);
    const v = new DataView(fixed.buffer);
    v.setUint32(0, BYTE_ORDER_MAGIC, true);
    v.setUint16(4, 1, true);
    v.setUint16(6, 0, true);
    // Section length unknown (-1): the writer streams and never seeks back (§4.1).
    v.setBigInt64(8, -1n, true);
    const opt = options([
      [OPT_COMMENT, opts.comment],
      [SHB_HARDWARE, opts.hardware],
      [SHB_OS, opts.os],
      [SHB_USERAPPL, opts.userappl],
    ]);
    this.emit(block(BLOCK.SHB, [fixed, opt]));
  }

  /** Bytes handed to the fd or collected so far (queued blocks included). */
  get bytesWritten(): number {
    return this.written + this.pendingBytes;
  }

  /** Declares an interface now; returns its index for `PcapngPacket.iface`. */
  addInterface(spec: PcapngInterface): number {
    this.assertOpen();
    const resolution = spec.resolution ?? this.resolution;
    const fixed = new Uint8Array(8);
    const v = new DataView(fixed.buffer);
    v.setUint16(0, spec.linkType & 0xffff, true);
    v.setUint32(4, MAX_FRAME_BYTES, true);
    const opt = options([
      [IF_NAME, spec.name],
      [IF_DESCRIPTION, spec.description],
      [IF_TSRESOL, Uint8Array.of(resolution === "ns" ? 9 : 6)],
    ]);
    this.emit(block(BLOCK.IDB, [fixed, opt]));
    this.ifaces.push({ linkType: spec.linkType, resolution });
    return this.ifaces.length - 1;
  }

  /** The interface of a link type, declared (at the writer's resolution) the first time it is asked for. */
  interfaceFor(linkType: number): number {
    const known = this.byLink.get(linkType);
    if (known !== undefined) return known;
    const i = this.addInterface({ linkType });
    this.byLink.set(linkType, i);
    return i;
  }

  /** Writes an Enhanced Packet Block; frames over MAX_FRAME_BYTES are cut (origLen keeps the real size). */
  packet(p: PcapngPacket): void {
    this.assertOpen();
    const iface = p.iface ?? this.interfaceFor(p.linkType);
    const state = this.ifaces[iface];
    if (!state) throw new RangeError(`pcapng writer: no interface ${iface}`);
    const start = p.offset ?? 0;
    const avail = Math.max(0, (p.capLen ?? p.data.length - start) | 0);
    const frame = p.data.subarray(start, start + Math.min(avail, MAX_FRAME_BYTES));
    const fixed = new Uint8Array(20);
    const v = new DataView(fixed.buffer);
    v.setUint32(0, iface, true);
    const ts = ticks(p.tsSec, p.tsNsec, state.resolution);
    v.setUint32(4, Number(ts >> 32n), true);
    v.setUint32(8, Number(ts & 0xffffffffn), true);
    v.setUint32(12, frame.length, true);
    v.setUint32(16, Math.max(frame.length, p.origLen ?? avail) >>> 0, true);
    const opt = options((p.comments ?? []).map((c) => [OPT_COMMENT, c] as const));
    this.emit(block(BLOCK.EPB, [fixed, frame, pad(frame.length), opt]));
  }

  /** Writes a Decryption Secrets Block (§4.7) of any secrets type; at most MAX_DSB_BYTES. */
  secrets(secretsType: number, data: Uint8Array): void {
    this.assertOpen();
    if (data.length > MAX_DSB_BYTES) throw new RangeError(`pcapng writer: ${data.length} bytes of secrets`);
    const fixed = new Uint8Array(8);
    const v = new DataView(fixed.buffer);
    v.setUint32(0, secretsType >>> 0, true);
    v.setUint32(4, data.length, true);
    this.emit(block(BLOCK.DSB, [fixed, data, pad(data.length)]));
  }

  /**
   * Writes NSS key log text as TLSK secrets, split at line ends into blocks of at most MAX_DSB_BYTES.
   * Put it before the packets it decrypts: Wireshark reads the file in one pass.
   */
  tlsKeyLog(text: string): void {
    for (const part of splitLines(enc.encode(text), MAX_DSB_BYTES)) this.secrets(DSB_TLS_KEY_LOG, part);
  }

  /** Writes what is buffered to the fd (nothing to do when collecting). */
  flush(): void {
    if (this.fd === undefined || this.pending.length === 0) return;
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    let off = 0;
    while (off < all.length) off += writeSync(this.fd, all, off, all.length - off);
    this.written += all.length;
  }

  /** Flushes and ends the writer. Collecting: returns the whole file; with an fd: an empty array. */
  close(): Uint8Array {
    if (this.closed) return EMPTY;
    this.flush();
    this.closed = true;
    if (this.fd !== undefined) return EMPTY;
    const out = Buffer.concat(this.pending);
    this.pending = [];
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  }

  private emit(b: Uint8Array): void {
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.fd !== undefined && this.pendingBytes >= this.limit) this.flush();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("pcapng writer: already closed");
  }
}

/** A timestamp in interface units, truncated as the resolution requires; negative times clamp to 0. */
function ticks(sec: number, nsec: number, r: TsResolution): bigint {
  const s = BigInt(Math.max(0, Math.floor(sec)));
  const ns = BigInt(Math.min(999_999_999, Math.max(0, Math.floor(nsec))));
  const t = r === "ns" ? s * 1_000_000_000n + ns : s * 1_000_000n + ns / 1000n;
  return BigInt.asUintN(64, t);
}

/** An option list with opt_endofopt, or nothing when no value is set (§3.5: the list may be omitted). */
function options(list: readonly (readonly [number, string | Uint8Array | undefined])[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [code, value] of list) {
    if (value === undefined) continue;
    const bytes = typeof value === "string" ? utf8Cut(value, MAX_OPTION_BYTES) : value;
    const head = new Uint8Array(4);
    const v = new DataView(head.buffer);
    v.setUint16(0, code, true);
    v.setUint16(2, bytes.length, true);
    parts.push(head, bytes, pad(bytes.length));
  }
  if (parts.length === 0) return EMPTY;
  const end = new Uint8Array(4);
  new DataView(end.buffer).setUint16(0, OPT_ENDOFOPT, true);
  parts.push(end);
  return Buffer.concat(parts);
}

/** UTF-8 bytes of `text`, cut to at most `max` bytes without splitting a character. */
function utf8Cut(text: string, max: number): Uint8Array {
  const b = enc.encode(text);
  if (b.length <= max) return b;
  let end = max;
  // Back up over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}

/** Splits text bytes into pieces of at most `max` bytes, cutting after a newline where one exists. */
function splitLines(b: Uint8Array, max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let off = 0;
  while (off < b.length) {
    let end = Math.min(b.length, off + max);
    if (end < b.length) {
      const nl = b.lastIndexOf(0x0a, end - 1);
      if (nl >= off) end = nl + 1;
    }
    out.push(b.subarray(off, end));
    off = end;
  }
  return out;
}

/** Zero bytes padding `n` to a multiple of 4. */
function pad(n: number): Uint8Array {
  return new Uint8Array((4 - (n & 3)) & 3);
}

/** Type, total length, body parts, total length again (§3.1). */
function block(type: number, body: readonly Uint8Array[]): Uint8Array {
  let n = 12;
  for (const p of body) n += p.length;
  const out = new Uint8Array(n);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, n, true);
  let off = 8;
  for (const p of body) {
    out.set(p, off);
    off += p.length;
  }
  v.setUint32(n - 4, n, true);
  return out;
}
