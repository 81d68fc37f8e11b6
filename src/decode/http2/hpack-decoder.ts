// An HPACK header block decoder (RFC 7541 §3, §6) for one direction of an HTTP/2 connection: indexed fields,
// literals with and without indexing, dynamic table size updates bounded by the peer's
// SETTINGS_HEADER_TABLE_SIZE. A malformed block is an error after which the table state is unknown, so the
// caller stops decoding that connection's headers (HTTP/2 makes it a connection error, RFC 9113 §4.3).

import type { HttpHeader } from "../../model/http-message.ts";
import { fieldText } from "../http/http-head.ts";
import { DynamicTable, ENTRY_OVERHEAD } from "./hpack-dynamic-table.ts";
import { type HpackCursor, HpackError, readInteger, readString } from "./hpack-primitives.ts";
import { STATIC_TABLE } from "./hpack-static-table.ts";

/** Bounds of a decoder. */
export interface HpackBounds {
  /** Largest dynamic table accepted whatever the peer advertised (memory bound). */
  maxTableSize: number;
  /** HPACK size (name + value octets + 32 per field, RFC 9113 §6.5.2) of the fields kept per block. */
  maxHeaderListBytes: number;
  /** Fields kept per block. */
  maxHeaders: number;
}

/** Defaults: a 1 MiB table at most, 64 KiB and 256 fields kept per block (as HTTP/1 heads). */
export const DEFAULT_HPACK_BOUNDS: HpackBounds = {
  maxTableSize: 1024 * 1024,
  maxHeaderListBytes: 64 * 1024,
  maxHeaders: 256,
};

/** The initial value of SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2). */
export const DEFAULT_HEADER_TABLE_SIZE = 4096;

/** A decoded block. */
export interface HpackBlock {
  /** Fields in order, as text (names as sent; pseudo-header fields included). */
  headers: HttpHeader[];
  /** Fields decoded but not kept because of the bounds. */
  dropped: number;
}

/** What was wrong with a block. */
export interface HpackFailure {
  /** Specifics, for the weird's detail. */
  error: string;
}

/** Decoding context of one direction: its dynamic table and the limit the receiving peer set. */
export class HpackDecoder {
  /** The dynamic table (exposed for tests and diagnostics). */
  readonly table = new DynamicTable(DEFAULT_HEADER_TABLE_SIZE);
  private limit = DEFAULT_HEADER_TABLE_SIZE;

  constructor(private readonly bounds: HpackBounds = DEFAULT_HPACK_BOUNDS) {}

  /** The receiving peer's SETTINGS_HEADER_TABLE_SIZE: the largest size update allowed from now on (§6.3). */
  setLimit(size: number): void {
    this.limit = size;
  }

  /** Decodes one complete header block (HEADERS or PUSH_PROMISE plus CONTINUATIONs). Never throws. */
  decode(block: Uint8Array): HpackBlock | HpackFailure {
    const c: HpackCursor = { buf: block, pos: 0 };
    const out: HpackBlock = { headers: [], dropped: 0 };
    let listBytes = 0;
    let fields = 0;
    try {
      while (c.pos < block.length) {
        const b = block[c.pos];
        if ((b & 0xe0) === 0x20) {
          // A size update only at the start of a block (RFC 7541 §4.2).
          if (fields > 0) throw new HpackError("table size update after a field");
          this.sizeUpdate(readInteger(c, 5));
          continue;
        }
        const f = this.field(c, b);
        fields++;
        listBytes += f.size;
        if (listBytes > this.bounds.maxHeaderListBytes || out.headers.length >= this.bounds.maxHeaders) {
          out.dropped++;
        } else out.headers.push(f.field);
      }
    } catch (e) {
      if (!(e instanceof HpackError)) throw e;
      return { error: `${e.message} at offset ${c.pos} of ${block.length}` };
    }
    return out;
  }

  private sizeUpdate(size: number): void {
    if (size > this.limit) throw new HpackError(`table size update to ${size} above the limit ${this.limit}`);
    if (size > this.bounds.maxTableSize) {
      throw new HpackError(`table size update to ${size} above the bound ${this.bounds.maxTableSize}`);
    }
    this.table.resize(size);
  }

  /** One field representation (RFC 7541 §6.1, §6.2). */
  private field(c: HpackCursor, b: number): { field: HttpHeader; size: number } {
    if (b & 0x80) {
      const e = this.entry(readInteger(c, 7));
      return { field: e.field, size: e.size };
    }
    // 01: with incremental indexing, 6-bit prefix; 0000 without / 0001 never indexed, 4-bit prefix.
    const indexing = (b & 0x40) !== 0;
    const index = readInteger(c, indexing ? 6 : 4);
    let name: string;
    let nameLen: number;
    if (index === 0) {
      const n = readString(c);
      name = fieldText(n, 0, n.length);
      nameLen = n.length;
    } else {
      const e = this.entry(index);
      name = e.field.name;
      nameLen = e.nameLen;
    }
    const v = readString(c);
    const field = { name, value: fieldText(v, 0, v.length) };
    if (indexing) this.table.add(field, nameLen, v.length);
    return { field, size: nameLen + v.length + ENTRY_OVERHEAD };
  }

  /** The entry at a combined index: 1..61 static, then dynamic (RFC 7541 §2.3.3). */
  private entry(index: number): { field: HttpHeader; nameLen: number; size: number } {
    if (index === 0) throw new HpackError("index 0");
    if (index <= STATIC_TABLE.length) {
      const [name, value] = STATIC_TABLE[index - 1];
      return {
        field: { name, value },
        nameLen: name.length,
        size: name.length + value.length + ENTRY_OVERHEAD,
      };
    }
    const e = this.table.get(index - STATIC_TABLE.length - 1);
    if (!e) throw new HpackError(`index ${index} beyond the tables (dynamic has ${this.table.length})`);
    return e;
  }
}
