// What capture readers report besides packets: the structure of the file (sections, interfaces), the TLS
// secrets it carries, and problems. Readers are sans-IO parsers (`push(bytes)` / `end()`) that call a handler.

import type { Packet } from "../model/packet.ts";

/** Container formats a reader recognises by magic number. */
export const CAPTURE_FORMATS = ["pcap", "pcapng", "har"] as const;
export type CaptureFormat = (typeof CAPTURE_FORMATS)[number];

/** A pcap file header or a pcapng Section Header Block. */
export interface SectionInfo {
  /** 0-based section index within the input (pcap has exactly one). */
  index: number;
  /** Byte order of the section. */
  byteOrder: "little" | "big";
  /** `major.minor` version, e.g. `2.4` for pcap, `1.0` for pcapng. */
  version: string;
  /** pcap variant: `ns` nanosecond magic, `modified` the Kuznetzov/patched format. */
  variant?: "us" | "ns" | "modified";
  /** Section options (pcapng shb_hardware, shb_os, shb_userappl) by name. */
  options: Record<string, string>;
  /** Section comments (opt_comment). */
  comments: string[];
  /** Absolute byte offset of the header in the (decompressed) input. */
  offset: number;
}

/** A capture interface (pcap's single implicit one, or a pcapng Interface Description Block). */
export interface InterfaceInfo {
  /** Global interface index (the `iface` of packets it captured). */
  index: number;
  /** Section it belongs to. */
  section: number;
  /** LINKTYPE_* value with FCS/reserved bits removed. */
  linkType: number;
  /** FCS length in bytes announced by the pcap link-type field's FCS bits, when present. */
  fcsLen?: number;
  /** Snapshot length (0 = unlimited). */
  snapLen: number;
  /** Timestamp units per second (1e6 for µs, 1e9 for ns, or from if_tsresol). */
  tsResolution: number;
  /** Seconds added to every timestamp (pcapng if_tsoffset). */
  tsOffset: number;
  /** if_name, if_description, if_os, if_hardware, ... by name (string options only). */
  options: Record<string, string>;
  /** Interface comments. */
  comments: string[];
}

/** A pcapng Decryption Secrets Block. */
export interface SecretsInfo {
  /** Secrets type, e.g. 0x544c534b (`TLSK`, NSS key log text). */
  secretsType: number;
  /** The secrets bytes (for TLSK: NSS key log lines). */
  data: Uint8Array;
  /** Absolute byte offset of the block. */
  offset: number;
}

/** A pcapng Name Resolution Block entry. */
export interface NameRecord {
  /** Address in text form. */
  address: string;
  /** Names given for it. */
  names: string[];
}

/** A pcapng Interface Statistics Block. */
export interface InterfaceStats {
  /** Interface the statistics are for. */
  iface: number;
  /** Options (isb_ifrecv, isb_ifdrop, ... as decimal strings; comments under `comment`). */
  options: Record<string, string>;
}

/** A problem in the file that does not stop reading (bad block, truncated tail). */
export interface CaptureProblem {
  /** Stable snake_case name, e.g. `pcapng_bad_block_length`, `capture_truncated`. */
  name: string;
  /** Byte offset in the (decompressed) input. */
  offset: number;
  /** Human-readable specifics. */
  detail: string;
}

/** Callbacks a reader drives. Only `packet` is required. */
export interface CaptureHandler {
  /** A frame; the object is reused after the call returns. */
  packet(p: Packet): void;
  section?(s: SectionInfo): void;
  iface?(i: InterfaceInfo): void;
  secrets?(s: SecretsInfo): void;
  names?(n: NameRecord[]): void;
  stats?(s: InterfaceStats): void;
  /** A pcapng custom block (types 0x00000BAD / 0x40000BAD): private enterprise number and bytes. */
  custom?(pen: number, data: Uint8Array, copyable: boolean): void;
  problem?(p: CaptureProblem): void;
}

/** Thrown when the input cannot be read at all (not a capture, unreadable header). The CLI exits 2. */
export class CaptureError extends Error {
  /** Byte offset where reading failed. */
  readonly offset: number;
  /** The input's name (path, or `-` for stdin). */
  file: string;
  constructor(file: string, offset: number, message: string) {
    super(message);
    this.name = "CaptureError";
    this.file = file;
    this.offset = offset;
  }
  /** One line for the terminal: `file: offset N: problem`. */
  line(): string {
    return `${this.file}: offset ${this.offset}: ${this.message}`;
  }
}
