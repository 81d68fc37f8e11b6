// A MaxMind DB (MaxMind DB File Format Specification 2.0) read where it lies: the metadata from the file's
// tail, the data section (a few KB in a country table) into memory, and the search tree walked node by node
// through the source's page cache. mmdb-lib parses the metadata and decodes data records; the walk is ours,
// so the tree (nearly the whole file) never has to be in memory.

import * as decoderModule from "mmdb-lib/lib/decoder.js";
import { parseMetadata } from "mmdb-lib/lib/metadata.js";
import type { ParsedIp } from "./ip-address.ts";
import type { MmdbSource } from "./mmdb-source.ts";

/** What is used of mmdb-lib's data decoder. */
interface Decoder {
  decodeFast(offset: number): { value: unknown };
}
type DecoderClass = new (db: Buffer, baseOffset?: number) => Decoder;
/**
 * mmdb-lib's decoder is a CommonJS default export: Node's ESM loader (tests) puts the exports object under
 * `default`, the bundler the class itself.
 */
const shim = decoderModule as unknown as { default: DecoderClass | { default: DecoderClass } };
const DecoderClass: DecoderClass = typeof shim.default === "function" ? shim.default : shim.default.default;

/** The metadata section is at most 128 KiB, after its 14-byte start marker (spec, "Database Metadata"). */
const METADATA_TAIL_BYTES = 128 * 1024 + 14;
/** Zero bytes between the search tree and the data section. */
const SEPARATOR_BYTES = 16;

/** An open MMDB. */
export class MmdbTree {
  /** 4 for an IPv4-only tree, 6 for one that also holds IPv4 (under ::/96). */
  readonly ipVersion: number;
  /** `database_type` from the metadata. */
  readonly type: string;
  /** `build_epoch` from the metadata. */
  readonly built: Date;
  private readonly nodeCount: number;
  private readonly nodeBytes: number;
  private readonly recordSize: number;
  private readonly data: Decoder;
  private readonly dataBytes: number;
  private v4Start = -1;

  /** Reads the metadata and the data section; throws Error with a one-line reason when `src` is no MMDB. */
  constructor(private readonly src: MmdbSource) {
    const tailLen = Math.min(src.size, METADATA_TAIL_BYTES);
    const tail = src.read(src.size - tailLen, tailLen);
    const meta = parseMetadata(Buffer.from(tail));
    const metaStart = src.size - tailLen + markerStart(tail);
    if (!Number.isSafeInteger(meta.nodeCount) || meta.nodeCount <= 0) throw new Error("no search tree");
    if (meta.searchTreeSize + SEPARATOR_BYTES > metaStart) {
      throw new Error(`a search tree of ${meta.nodeCount} nodes does not fit before the metadata`);
    }
    this.ipVersion = meta.ipVersion;
    this.type = String(meta.databaseType);
    this.built = meta.buildEpoch;
    this.nodeCount = meta.nodeCount;
    this.nodeBytes = meta.nodeByteSize;
    this.recordSize = meta.recordSize;
    // From the separator on, so a record's value minus the node count is its offset here (pointers inside
    // the data section count from its start, past the separator).
    const data = Buffer.from(src.read(meta.searchTreeSize, metaStart - meta.searchTreeSize));
    this.dataBytes = data.length;
    this.data = new DecoderClass(data, SEPARATOR_BYTES);
  }

  /** The data record for `ip`, or undefined when the tree has none; throws on a damaged tree or record. */
  get(ip: ParsedIp): unknown {
    const bits = ip.family === 4 ? 32 : 128;
    let node = ip.family === 4 && this.ipVersion === 6 ? this.ipv4Start() : 0;
    for (let depth = 0; depth < bits && node < this.nodeCount; depth++) {
      const bit = Number((ip.value >> BigInt(bits - 1 - depth)) & 1n);
      node = this.child(node, bit);
    }
    if (node <= this.nodeCount) return undefined; // nodeCount itself means "no data"
    const at = node - this.nodeCount;
    if (at >= this.dataBytes) throw new Error(`record ${node} points past the data section`);
    return this.data.decodeFast(at).value;
  }

  /** Releases the source. */
  close(): void {
    this.src.close();
  }

  /** The left (0) or right (1) record of a node (24, 28 or 32 bits each). */
  private child(node: number, bit: number): number {
    const b = this.src.read(node * this.nodeBytes, this.nodeBytes);
    switch (this.recordSize) {
      case 24:
        return bit ? b.readUIntBE(3, 3) : b.readUIntBE(0, 3);
      case 28:
        return bit ? ((b[3] & 0x0f) << 24) | b.readUIntBE(4, 3) : ((b[3] & 0xf0) << 20) | b.readUIntBE(0, 3);
      default:
        return bit ? b.readUInt32BE(4) : b.readUInt32BE(0);
    }
  }

  /** Where IPv4 addresses begin in an IPv6 tree: 96 zero bits down from the root. */
  private ipv4Start(): number {
    if (this.v4Start < 0) {
      let node = 0;
      for (let i = 0; i < 96 && node < this.nodeCount; i++) node = this.child(node, 0);
      this.v4Start = node;
    }
    return this.v4Start;
  }
}

/** Offset of the metadata start marker in `tail` (its last occurrence; parseMetadata found one). */
function markerStart(tail: Uint8Array): number {
  const marker = Buffer.from("abcdef4d61784d696e642e636f6d", "hex");
  const at = Buffer.from(tail.buffer, tail.byteOffset, tail.length).lastIndexOf(marker);
  if (at < 0) throw new Error("no metadata marker");
  return at;
}
