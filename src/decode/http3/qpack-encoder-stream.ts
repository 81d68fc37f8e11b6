// The peer's QPACK encoder stream (RFC 9204 §4.3): Set Dynamic Table Capacity, Insert With Name Reference,
// Insert With Literal Name and Duplicate, applied to the dynamic table that decodes that peer's field
// sections. Bytes arrive in arbitrary pieces, so an incomplete instruction waits (bounded) for the rest. A
// malformed instruction desynchronises the table for good: the reader stops and says why.

import { ENTRY_OVERHEAD, QpackDynamicTable } from "./qpack-dynamic-table.ts";
import {
  fieldText,
  type QpackReader,
  qpackReader,
  readPrefixInt,
  readQpackString,
} from "./qpack-primitives.ts";
import { QPACK_STATIC_TABLE } from "./qpack-static-table.ts";

/** Bytes of one incomplete instruction kept at most (two strings of a large entry). */
export const MAX_INSTRUCTION_BYTES = 128 * 1024;

/** Reads one peer's encoder stream into its table. */
export class EncoderStreamReader {
  private held: Uint8Array = new Uint8Array(0);
  /** Why the stream stopped being read, once it did. */
  failed: string | undefined;

  /** A reader filling `table`. */
  constructor(readonly table: QpackDynamicTable = new QpackDynamicTable()) {}

  /** Adds encoder stream bytes; returns how many entries they inserted. */
  push(bytes: Uint8Array): number {
    if (this.failed !== undefined) return 0;
    const before = this.table.inserted;
    let buf = bytes;
    if (this.held.length > 0) {
      buf = new Uint8Array(this.held.length + bytes.length);
      buf.set(this.held);
      buf.set(bytes, this.held.length);
    }
    const r = qpackReader(buf);
    while (r.pos < r.end && this.failed === undefined) {
      const start = r.pos;
      const problem = this.instruction(r);
      if (r.short) {
        r.pos = start;
        break;
      }
      if (problem !== undefined || r.error !== undefined) this.failed = problem ?? r.error;
    }
    const rest = r.end - r.pos;
    if (this.failed === undefined && rest > MAX_INSTRUCTION_BYTES) {
      this.failed = `instruction longer than ${MAX_INSTRUCTION_BYTES} bytes`;
    }
    this.held = this.failed === undefined && rest > 0 ? buf.slice(r.pos) : new Uint8Array(0);
    return this.table.inserted - before;
  }

  /** One instruction at the cursor; an error text, or undefined (also when it was short). */
  private instruction(r: QpackReader): string | undefined {
    const b = r.buf[r.pos];
    if (b & 0x80) return this.insertWithNameRef(r, (b & 0x40) !== 0);
    if (b & 0x40) return this.insertWithLiteralName(r);
    if (b & 0x20) {
      const cap = readPrefixInt(r, 5);
      return cap < 0 ? undefined : this.table.setCapacity(cap);
    }
    const rel = readPrefixInt(r, 5);
    if (rel < 0) return undefined;
    const e = this.table.relative(rel);
    if (!e) return `Duplicate of relative index ${rel}: no such entry`;
    return this.table.insert(e.name, e.value, e.nameOctets, e.size - e.nameOctets - ENTRY_OVERHEAD);
  }

  /** 1 T index(6+) value (§4.3.2): T set names the static table. */
  private insertWithNameRef(r: QpackReader, isStatic: boolean): string | undefined {
    const index = readPrefixInt(r, 6);
    if (index < 0) return undefined;
    const value = readQpackString(r, 7);
    if (value === undefined) return undefined;
    if (isStatic) {
      const s = QPACK_STATIC_TABLE[index];
      if (!s) return `Insert With Name Reference to static index ${index}`;
      return this.table.insert(s[0], fieldText(value), s[0].length, value.length);
    }
    const e = this.table.relative(index);
    if (!e) return `Insert With Name Reference to relative index ${index}: no such entry`;
    return this.table.insert(e.name, fieldText(value), e.nameOctets, value.length);
  }

  /** 01 H name-length(5+) name value (§4.3.3). */
  private insertWithLiteralName(r: QpackReader): string | undefined {
    const name = readQpackString(r, 5);
    if (name === undefined) return undefined;
    const value = readQpackString(r, 7);
    if (value === undefined) return undefined;
    return this.table.insert(fieldText(name), fieldText(value), name.length, value.length);
  }
}
