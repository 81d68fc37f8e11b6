// HPACK's dynamic table (RFC 7541 §2.3.2, §4): a FIFO of fields, newest first in index order, whose size
// (name + value octets + 32 per entry, §4.1) stays within a maximum the encoder sets with size updates;
// inserting evicts the oldest entries (§4.4). One per direction of a connection.

import type { HttpHeader } from "../../model/http-message.ts";

/** Bytes an entry costs beyond its name and value (RFC 7541 §4.1). */
export const ENTRY_OVERHEAD = 32;

/** One stored field with its sizes. */
export interface TableEntry {
  /** The field as text. */
  field: HttpHeader;
  /** Octets of the name as sent (sizes count octets, not characters). */
  nameLen: number;
  /** HPACK size: name and value octets + 32. */
  size: number;
}

// Evicted entries are left at the front of `entries` and compacted in bulk, so eviction is not O(n).
const COMPACT_AT = 256;

/** The dynamic table of one decoding context. */
export class DynamicTable {
  private entries: TableEntry[] = [];
  private start = 0;
  /** Current size in HPACK octets. */
  size = 0;

  /** @param maxSize the table's maximum size, initially SETTINGS_HEADER_TABLE_SIZE's default. */
  constructor(public maxSize = 4096) {}

  /** Number of entries. */
  get length(): number {
    return this.entries.length - this.start;
  }

  /** The entry at dynamic index `i` (0 = newest), or undefined. */
  get(i: number): TableEntry | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return this.entries[this.entries.length - 1 - i];
  }

  /** Adds a field whose name and value have these octet lengths; one larger than the table empties it (§4.4). */
  add(field: HttpHeader, nameLen: number, valueLen: number): void {
    const size = nameLen + valueLen + ENTRY_OVERHEAD;
    this.evictTo(this.maxSize - size);
    if (size > this.maxSize) return;
    this.entries.push({ field, nameLen, size });
    this.size += size;
  }

  /** A dynamic table size update (§6.3): the new maximum, evicting to fit (§4.3). */
  resize(maxSize: number): void {
    this.maxSize = maxSize;
    this.evictTo(maxSize);
  }

  /** Empties the table. */
  clear(): void {
    this.entries = [];
    this.start = 0;
    this.size = 0;
  }

  private evictTo(limit: number): void {
    while (this.size > Math.max(0, limit) && this.length > 0) this.size -= this.entries[this.start++].size;
    if (this.length === 0) this.size = 0;
    if (this.start >= COMPACT_AT && this.start * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
  }
}
