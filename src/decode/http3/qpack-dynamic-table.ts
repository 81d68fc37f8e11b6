// One QPACK dynamic table (RFC 9204 §3.2), as the peer's encoder stream builds it: entries addressed by
// absolute index (the Nth insertion has index N-1, §3.2.4), sized as name + value octets + 32 (§3.2.1), the
// oldest evicted when an insertion or a smaller capacity needs room (§3.2.2). Our own memory bound caps the
// capacity whatever the peer's SETTINGS allowed.

/** One entry. */
export interface QpackEntry {
  /** Field name. */
  name: string;
  /** Field value. */
  value: string;
  /** Octets of the name (an Insert With Name Reference copies them). */
  nameOctets: number;
  /** Size per §3.2.1: name and value octets + 32. */
  size: number;
}

/** Per-entry overhead (§3.2.1). */
export const ENTRY_OVERHEAD = 32;

/** The largest capacity we accept (browsers use 64 KiB at most). */
export const MAX_QPACK_CAPACITY = 1024 * 1024;

/** A dynamic table. */
export class QpackDynamicTable {
  /** Current capacity (Set Dynamic Table Capacity, §4.3.1). */
  capacity = 0;
  /** Sum of the entries' sizes. */
  size = 0;
  /** Insert Count: entries ever inserted (§2.1.4 calls the decoder's own count this). */
  inserted = 0;
  /** Entries, oldest first; the first has absolute index `inserted - entries.length`. */
  private readonly entries: QpackEntry[] = [];

  /** A table that refuses capacities above `maxCapacity`. */
  constructor(readonly maxCapacity = MAX_QPACK_CAPACITY) {}

  /** Sets the capacity, evicting what no longer fits; an error text when above the maximum. */
  setCapacity(capacity: number): string | undefined {
    if (capacity > this.maxCapacity) return `capacity ${capacity} above ${this.maxCapacity}`;
    this.capacity = capacity;
    this.evictTo(capacity);
    return undefined;
  }

  /** Inserts an entry (with its octet lengths), evicting the oldest; an error text when it cannot fit. */
  insert(name: string, value: string, nameOctets: number, valueOctets: number): string | undefined {
    const size = nameOctets + valueOctets + ENTRY_OVERHEAD;
    if (size > this.capacity) return `entry of ${size} bytes above capacity ${this.capacity}`;
    this.evictTo(this.capacity - size);
    this.entries.push({ name, value, nameOctets, size });
    this.size += size;
    this.inserted++;
    return undefined;
  }

  /** The entry with absolute index `abs`, undefined when not inserted yet or evicted. */
  get(abs: number): QpackEntry | undefined {
    const first = this.inserted - this.entries.length;
    if (!Number.isInteger(abs) || abs < first || abs >= this.inserted) return undefined;
    return this.entries[abs - first];
  }

  /** The entry an encoder instruction's relative index names: absolute = Insert Count - 1 - relative (§3.2.5). */
  relative(rel: number): QpackEntry | undefined {
    return this.get(this.inserted - 1 - rel);
  }

  /** Entries held. */
  get length(): number {
    return this.entries.length;
  }

  private evictTo(limit: number): void {
    while (this.size > limit && this.entries.length > 0) this.size -= this.entries.shift()!.size;
  }
}
