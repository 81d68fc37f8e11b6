// Sans-IO parser for pcapng (draft-ietf-opsawg-pcapng): several sections of either byte order, interfaces
// with their own time resolution and offset, every standard packet block, name resolution, statistics,
// decryption secrets and custom blocks. Unknown blocks are skipped; a block whose framing is broken stops
// reading with a problem, since nothing after it can be trusted to start on a block boundary.

import type { Packet } from "../model/packet.ts";
import type { CaptureHandler, SectionInfo } from "./capture-events.ts";
import { newPacket } from "./pcap-reader.ts";
import { readCustom, readDsb, readIsb, readNrb } from "./pcapng-blocks.ts";
import { readIdb, readShbOptions } from "./pcapng-headers.ts";
import { OPT_COMMENT, type OptionVisitor, optionText, walkOptions } from "./pcapng-options.ts";
import { splitTimestamp, type TsScale } from "./pcapng-time.ts";
import { type ParserOptions, RecordFramer } from "./record-framer.ts";

/** Block types (draft-ietf-opsawg-pcapng §10.1). */
export const BLOCK = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  PB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  DSB: 0x0000000a,
  CB: 0x00000bad,
  DCB: 0x40000bad,
} as const;

/** Options of the pcapng parser. */
export interface PcapngParserOptions extends ParserOptions {
  /** Observer of every well-framed block: its type, absolute offset and total length (for block counts). */
  onBlock?: (type: number, offset: number, length: number) => void;
}

const BOM = 0x1a2b3c4d;
/** Interfaces kept per section; real captures have a handful, and the tables must stay bounded. */
const MAX_SECTION_INTERFACES = 65536;
const SHB_MIN_LEN = 28;
/** Parses a pcapng byte stream pushed in chunks of any size. */
export class PcapngParser extends RecordFramer {
  private readonly pkt: Packet = newPacket();
  private readonly onBlock: PcapngParserOptions["onBlock"];
  /** Byte order of the current section. */
  private le = true;
  private section = -1;
  /** Global index of the current section's first interface, and how many it has declared. */
  private ifBase = 0;
  private ifCount = 0;
  // Per interface of the current section (packets never refer to another section's), in parallel arrays
  // so the packet path does plain indexed loads.
  private readonly ifLink: number[] = [];
  private readonly ifSnap: number[] = [];
  private readonly ifScale: TsScale[] = [];
  private readonly ifOffset: number[] = [];
  /** Packet comments gathered by `packetOption` for the block being read. */
  private comments: string[] | undefined;
  private optBuf: Uint8Array = new Uint8Array(0);
  private readonly packetOption: OptionVisitor = (code, off, len) => {
    if (code !== OPT_COMMENT) return;
    const text = optionText(this.optBuf, off, len);
    if (this.comments === undefined) this.comments = [text];
    else this.comments.push(text);
  };

  constructor(handler: CaptureHandler, opts: PcapngParserOptions) {
    super(handler, opts);
    this.onBlock = opts.onBlock;
  }

  protected headerBytes(): number {
    // Type, length, and for an SHB the byte-order magic that says how to read the length.
    return 12;
  }

  protected recordLength(_buf: Uint8Array, view: DataView, pos: number): number {
    const type = view.getUint32(pos, this.le);
    let le = this.le;
    if (type === BLOCK.SHB) {
      const bom = view.getUint32(pos + 8, true);
      if (bom === BOM) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else {
        this.fail("pcapng_bad_byte_order", this.recordStart + 8, `bad byte-order magic 0x${hex(bom)}`);
        return -1;
      }
    } else if (!this.headerDone) {
      this.fail("pcapng_bad_magic", 0, `not a pcapng file: first block type 0x${hex(type)}`);
      return -1;
    }
    const len = view.getUint32(pos + 4, le);
    const min = type === BLOCK.SHB ? SHB_MIN_LEN : 12;
    if (len < min || (len & 3) !== 0) {
      this.fail(
        "pcapng_bad_block_length",
        this.recordStart + 4,
        `block type 0x${hex(type)} has length ${len} (must be a multiple of 4 and at least ${min})`,
      );
      return -1;
    }
    return len;
  }

  protected record(buf: Uint8Array, view: DataView, pos: number, len: number): void {
    const type = view.getUint32(pos, this.le);
    if (type === BLOCK.EPB) {
      if (this.checkTrailer(view, pos, len, this.le))
        this.packetBlock(buf, view, pos, len, view.getUint32(pos + 8, this.le));
      return;
    }
    if (type === BLOCK.SHB) {
      const le = view.getUint32(pos + 8, true) === BOM;
      if (this.checkTrailer(view, pos, len, le)) this.shb(buf, view, pos, len, le);
      return;
    }
    if (!this.checkTrailer(view, pos, len, this.le)) return;
    this.otherBlock(type, buf, view, pos, len);
  }

  /** Blocks other than EPB and SHB. */
  private otherBlock(type: number, buf: Uint8Array, view: DataView, pos: number, len: number): void {
    const le = this.le;
    switch (type) {
      case BLOCK.IDB:
        this.idb(buf, view, pos, len);
        break;
      case BLOCK.SPB:
        this.spb(buf, view, pos, len);
        break;
      case BLOCK.PB:
        this.packetBlock(buf, view, pos, len, len >= 32 ? view.getUint16(pos + 8, le) : 0);
        break;
      case BLOCK.NRB:
        this.handler.names?.(readNrb(buf, view, pos, len, le, this.problemAt));
        break;
      case BLOCK.ISB:
        this.isb(buf, view, pos, len);
        break;
      case BLOCK.DSB: {
        const s = readDsb(buf, view, pos, len, le, this.recordStart, this.problemAt);
        if (s) this.handler.secrets?.(s);
        break;
      }
      case BLOCK.CB:
      case BLOCK.DCB: {
        // Wireshark lists custom blocks as frames; counting them keeps our frame numbers equal to its own,
        // so `frame.number == N` filters in findings point at the right packet.
        this.pkt.frame++;
        const c = readCustom(buf, view, pos, len, le);
        if (c) this.handler.custom?.(c.pen, c.data, type === BLOCK.CB);
        else this.problemAt("pcapng_bad_block", "custom block too short for its enterprise number");
        break;
      }
      default:
        // Unknown or local-use block: its framing was valid, so skip it.
        break;
    }
  }

  /** Verifies the trailing copy of the block length and tells the observer about the block. */
  private checkTrailer(view: DataView, pos: number, len: number, le: boolean): boolean {
    const trailer = view.getUint32(pos + len - 4, le);
    if (trailer !== len) {
      this.fail(
        "pcapng_block_length_mismatch",
        this.recordStart + len - 4,
        `block length ${len} but trailing length ${trailer}`,
      );
      return false;
    }
    this.onBlock?.(view.getUint32(pos, le), this.recordStart, len);
    return true;
  }

  /** Reports a problem in the block being read (it does not stop reading). */
  private readonly problemAt = (name: string, detail: string): void => {
    this.problem(name, this.recordStart, detail);
  };

  /** Section Header Block: a new section with its own byte order and interface numbering. */
  private shb(buf: Uint8Array, view: DataView, pos: number, len: number, le: boolean): void {
    const major = view.getUint16(pos + 12, le);
    const minor = view.getUint16(pos + 14, le);
    // 1.0 is the only version written; 1.2 appeared in old drafts and is read the same way.
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      this.fail("pcapng_bad_version", this.recordStart + 12, `unsupported pcapng version ${major}.${minor}`);
      return;
    }
    this.le = le;
    this.headerDone = true;
    this.section++;
    this.ifBase += this.ifCount;
    this.ifCount = 0;
    this.ifLink.length = 0;
    this.ifSnap.length = 0;
    this.ifScale.length = 0;
    this.ifOffset.length = 0;
    const info: SectionInfo = {
      index: this.section,
      byteOrder: le ? "little" : "big",
      version: `${major}.${minor}`,
      options: {},
      comments: [],
      offset: this.recordStart,
    };
    readShbOptions(info, buf, view, pos, len, le, this.problemAt);
    this.handler.section?.(info);
  }

  /** Interface Description Block. */
  private idb(buf: Uint8Array, view: DataView, pos: number, len: number): void {
    if (this.ifCount >= MAX_SECTION_INTERFACES) {
      this.problemAt(
        "pcapng_too_many_interfaces",
        `more than ${MAX_SECTION_INTERFACES} interfaces in one section`,
      );
      return;
    }
    const idb = readIdb(
      buf,
      view,
      pos,
      len,
      this.le,
      this.ifBase + this.ifCount,
      this.section,
      this.problemAt,
    );
    if (!idb) return;
    this.ifLink.push(idb.info.linkType);
    this.ifSnap.push(idb.info.snapLen);
    this.ifScale.push(idb.scale);
    this.ifOffset.push(idb.info.tsOffset);
    this.ifCount++;
    this.handler.iface?.(idb.info);
  }

  /** Enhanced Packet Block (and the obsolete Packet Block, laid out alike but for a 16-bit interface id). */
  private packetBlock(buf: Uint8Array, view: DataView, pos: number, len: number, local: number): void {
    if (len < 32) {
      this.problemAt("pcapng_bad_block", `packet block of ${len} bytes`);
      return;
    }
    const le = this.le;
    const capLen = view.getUint32(pos + 20, le);
    if (capLen > len - 32) {
      this.problemAt(
        "pcapng_bad_caplen",
        `captured length ${capLen} exceeds the ${len - 32} bytes the block holds`,
      );
      return;
    }
    if (local >= this.ifCount) {
      this.problemAt(
        "pcapng_unknown_interface",
        `packet on interface ${local}, section declares ${this.ifCount}`,
      );
      return;
    }
    const p = this.pkt;
    splitTimestamp(
      view.getUint32(pos + 12, le),
      view.getUint32(pos + 16, le),
      this.ifScale[local],
      this.ifOffset[local],
      p,
    );
    p.frame++;
    p.linkType = this.ifLink[local];
    p.iface = this.ifBase + local;
    p.data = buf;
    p.offset = pos + 28;
    p.capLen = capLen;
    p.origLen = view.getUint32(pos + 24, le);
    const optStart = pos + 28 + ((capLen + 3) & ~3);
    p.comments =
      optStart < pos + len - 4 ? this.packetComments(buf, view, optStart, pos + len - 4) : undefined;
    this.handler.packet(p);
  }

  /** opt_comment values of a packet block's options; other options (flags, hash, drops) are not kept. */
  private packetComments(buf: Uint8Array, view: DataView, start: number, end: number): string[] | undefined {
    this.comments = undefined;
    this.optBuf = buf;
    if (!walkOptions(view, start, end, this.le, this.packetOption)) {
      this.problemAt("pcapng_bad_option", "packet options overrun the block");
    }
    return this.comments;
  }

  /** Simple Packet Block: no timestamp, no interface id (the section's first interface). */
  private spb(buf: Uint8Array, view: DataView, pos: number, len: number): void {
    if (len < 16 || this.ifCount === 0) {
      const why =
        len < 16 ? `simple packet block of ${len} bytes` : "simple packet block before any interface";
      this.problemAt(len < 16 ? "pcapng_bad_block" : "pcapng_unknown_interface", why);
      return;
    }
    const origLen = view.getUint32(pos + 8, this.le);
    // The captured length is min(original length, snaplen) (§4.4); it must fit the block, and when it
    // does not (Wireshark refuses the file) the frame is kept with what the block holds.
    const snap = this.ifSnap[0];
    let capLen = snap > 0 && origLen > snap ? snap : origLen;
    if (capLen > len - 16) {
      this.problemAt("pcapng_bad_caplen", `simple packet of ${capLen} bytes in a block holding ${len - 16}`);
      capLen = len - 16;
    }
    const p = this.pkt;
    p.frame++;
    p.tsSec = 0;
    p.tsNsec = 0;
    p.linkType = this.ifLink[0];
    p.iface = this.ifBase;
    p.data = buf;
    p.offset = pos + 12;
    p.capLen = capLen;
    p.origLen = origLen;
    p.comments = undefined;
    this.handler.packet(p);
  }

  /** Interface Statistics Block. */
  private isb(buf: Uint8Array, view: DataView, pos: number, len: number): void {
    const local = len >= 24 ? view.getUint32(pos + 8, this.le) : 0;
    if (len >= 24 && local >= this.ifCount) {
      this.problemAt(
        "pcapng_unknown_interface",
        `statistics for interface ${local}, section declares ${this.ifCount}`,
      );
      return;
    }
    const g = this.ifBase + local;
    const stats = readIsb(
      buf,
      view,
      pos,
      len,
      this.le,
      g,
      this.ifScale[local],
      this.ifOffset[local],
      this.problemAt,
    );
    if (stats) this.handler.stats?.(stats);
  }
}

function hex(v: number): string {
  return v.toString(16).padStart(8, "0");
}
