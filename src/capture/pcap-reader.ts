// Sans-IO parser for the classic libpcap file format (draft-ietf-opsawg-pcap): both byte orders,
// microsecond and nanosecond magic, and the "modified" (Kuznetzov) variant whose records carry 8 more bytes.

import type { Packet } from "../model/packet.ts";
import type { CaptureHandler } from "./capture-events.ts";
import { type ParserOptions, RecordFramer } from "./record-framer.ts";

/** Magic numbers as read in the file's own byte order. */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
/** Nanosecond-resolution magic. */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Modified pcap (Alexey Kuznetzov's patched libpcap). */
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

const FILE_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;
const MODIFIED_RECORD_HEADER_LEN = 24;
/** The per-record bound Wireshark and libpcap apply to most link types; a larger snaplen raises it. */
const MAX_SNAPLEN = 262144;

/** Link-type field layout (draft-ietf-opsawg-pcap §4): low 16 bits type, bits 16–25 reserved. */
const LT_TYPE_MASK = 0x0000ffff;
const LT_RESERVED_MASK = 0x03ff0000;
/** "P"/"F" bit: the FCS length in bits 28–31 is valid. */
const LT_FCS_PRESENT = 0x04000000;

/** A fresh Packet object (each parser allocates one and reuses it for every frame). */
export function newPacket(): Packet {
  return {
    frame: 0,
    tsSec: 0,
    tsNsec: 0,
    linkType: 0,
    iface: 0,
    data: new Uint8Array(0),
    offset: 0,
    capLen: 0,
    origLen: 0,
    comments: undefined,
  };
}

/** Parses a pcap byte stream pushed in chunks of any size. */
export class PcapParser extends RecordFramer {
  private readonly pkt: Packet = newPacket();
  private le = true;
  private nanos = false;
  private recHeaderLen = RECORD_HEADER_LEN;
  private capBound = MAX_SNAPLEN;

  constructor(handler: CaptureHandler, opts: ParserOptions) {
    super(handler, opts);
  }

  protected headerBytes(): number {
    return this.headerDone ? this.recHeaderLen : FILE_HEADER_LEN;
  }

  protected recordLength(_buf: Uint8Array, view: DataView, pos: number): number {
    if (!this.headerDone) return FILE_HEADER_LEN;
    const capLen = view.getUint32(pos + 8, this.le);
    if (capLen > this.capBound) {
      this.fail(
        "pcap_bad_caplen",
        this.recordStart,
        `record ${this.pkt.frame + 1} claims ${capLen} captured bytes, more than the ${this.capBound}-byte bound`,
      );
      return -1;
    }
    return this.recHeaderLen + capLen;
  }

  protected record(buf: Uint8Array, view: DataView, pos: number, len: number): void {
    if (!this.headerDone) {
      this.fileHeader(view, pos);
      return;
    }
    const p = this.pkt;
    const le = this.le;
    let sec = view.getUint32(pos, le);
    let nsec = view.getUint32(pos + 4, le);
    if (!this.nanos) nsec *= 1000;
    p.frame++;
    // A fraction field of a second or more is malformed but seen in the wild; readers disagree on it
    // (Wireshark overflows), so report it and carry it into the seconds to keep tsNsec < 1e9.
    if (nsec >= 1e9) {
      this.problem(
        "pcap_bad_timestamp",
        this.recordStart,
        `frame ${p.frame}: sub-second field ${nsec / (this.nanos ? 1 : 1000)} is a second or more`,
      );
      const carry = Math.floor(nsec / 1e9);
      sec += carry;
      nsec -= carry * 1e9;
    }
    p.tsSec = sec;
    p.tsNsec = nsec;
    p.data = buf;
    p.offset = pos + this.recHeaderLen;
    p.capLen = len - this.recHeaderLen;
    p.origLen = view.getUint32(pos + 12, le);
    this.handler.packet(p);
  }

  /** The 24-byte file header; anything unreadable here makes the whole input unreadable. */
  private fileHeader(view: DataView, pos: number): void {
    const magic = view.getUint32(pos, false);
    const swapped = view.getUint32(pos, true);
    let m = magic;
    if (isPcapMagic(magic)) this.le = false;
    else if (isPcapMagic(swapped)) {
      this.le = true;
      m = swapped;
    } else {
      this.fail("pcap_bad_magic", 0, `not a pcap file: magic 0x${magic.toString(16).padStart(8, "0")}`);
      return;
    }
    const le = this.le;
    const major = view.getUint16(pos + 4, le);
    const minor = view.getUint16(pos + 6, le);
    // Every reader since 1998 writes 2.4; 2.x is readable, anything else is another format.
    if (major !== 2) this.fail("pcap_bad_version", 4, `unsupported pcap version ${major}.${minor}`);
    const snapLen = view.getUint32(pos + 16, le);
    const ltField = view.getUint32(pos + 20, le);
    if ((ltField & LT_RESERVED_MASK) !== 0) {
      const hex = (ltField & LT_RESERVED_MASK).toString(16).padStart(8, "0");
      this.fail("pcap_bad_linktype", 20, `link-type field reserved bits are not zero (0x${hex})`);
    }
    this.nanos = m === PCAP_MAGIC_NS;
    const modified = m === PCAP_MAGIC_MODIFIED;
    this.recHeaderLen = modified ? MODIFIED_RECORD_HEADER_LEN : RECORD_HEADER_LEN;
    this.capBound = Math.min(this.maxRecordBytes - this.recHeaderLen, Math.max(snapLen, MAX_SNAPLEN));
    this.headerDone = true;
    const linkType = ltField & LT_TYPE_MASK;
    this.pkt.linkType = linkType;
    this.pkt.iface = 0;
    this.handler.section?.({
      index: 0,
      byteOrder: le ? "little" : "big",
      version: `${major}.${minor}`,
      variant: this.nanos ? "ns" : modified ? "modified" : "us",
      options: {},
      comments: [],
      offset: 0,
    });
    this.handler.iface?.({
      index: 0,
      section: 0,
      linkType,
      // FCS length counts 16-bit units, valid only with the P bit (draft-ietf-opsawg-pcap §4).
      fcsLen: (ltField & LT_FCS_PRESENT) !== 0 ? (ltField >>> 28) * 2 : undefined,
      snapLen,
      tsResolution: this.nanos ? 1e9 : 1e6,
      tsOffset: 0,
      options: {},
      comments: [],
    });
  }
}

function isPcapMagic(m: number): boolean {
  return m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || m === PCAP_MAGIC_MODIFIED;
}
