// Finds the flow of a packet without allocating: an open-addressing hash table (linear probing, backward-
// shift deletion, so no tombstones) keyed on the raw address/port words read straight from the packet.
// The hash is symmetric, so both directions of a connection land on the same slot chain.

import type { PacketLayers } from "../model/layers.ts";
import { fmix32 } from "./digest.ts";
import type { Flow } from "./flow.ts";

const MIN_SLOTS = 1024;

/** Mixes one 32-bit word into a running hash (MurmurHash3's block step). */
function mixWord(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * Big-endian 32-bit word at `data[off..off+4)`, as a signed 32-bit integer: it is only compared, and V8 keeps
 * int32 fields unboxed where an unsigned value above 2^31 (most IPv4 addresses) would be a boxed double.
 */
function word(data: Uint8Array, off: number): number {
  return (data[off] << 24) | (data[off + 1] << 16) | (data[off + 2] << 8) | data[off + 3];
}

/** Hash table of live flows by 5-tuple. */
export class FlowIndex {
  private slots: (Flow | null)[] = new Array<Flow | null>(MIN_SLOTS).fill(null);
  private mask = MIN_SLOTS - 1;
  private count = 0;

  /** Source address words of the packet last given to `read` (IPv4: s0 only, the rest 0). */
  s0 = 0;
  /** Source address, second word. */
  s1 = 0;
  /** Source address, third word. */
  s2 = 0;
  /** Source address, fourth word. */
  s3 = 0;
  /** Destination address words, as for the source. */
  d0 = 0;
  /** Destination address, second word. */
  d1 = 0;
  /** Destination address, third word. */
  d2 = 0;
  /** Destination address, fourth word. */
  d3 = 0;
  /** Source port of the packet last given to `read`. */
  sport = 0;
  /** Destination port of the packet last given to `read`. */
  dport = 0;
  /** Hash of the packet last given to `read`. */
  hash = 0;
  /** After a successful `find`: the packet travels originator → responder. */
  fromOrig = true;

  /** Flows in the index. */
  get size(): number {
    return this.count;
  }

  /** Loads the packet's tuple into the scratch fields and hashes it. Offsets must be valid. */
  read(l: PacketLayers): void {
    const d = l.data;
    const n = l.addrLen;
    this.s0 = word(d, l.srcOff);
    this.d0 = word(d, l.dstOff);
    if (n === 16) {
      this.s1 = word(d, l.srcOff + 4);
      this.s2 = word(d, l.srcOff + 8);
      this.s3 = word(d, l.srcOff + 12);
      this.d1 = word(d, l.dstOff + 4);
      this.d2 = word(d, l.dstOff + 8);
      this.d3 = word(d, l.dstOff + 12);
    } else {
      this.s1 = this.s2 = this.s3 = this.d1 = this.d2 = this.d3 = 0;
    }
    this.sport = l.srcPort & 0xffff;
    this.dport = l.dstPort & 0xffff;
    const hs = mixWord(mixWord(mixWord(mixWord(mixWord(0, this.s0), this.s1), this.s2), this.s3), this.sport);
    const hd = mixWord(mixWord(mixWord(mixWord(mixWord(0, this.d0), this.d1), this.d2), this.d3), this.dport);
    // Adding the two sides makes the hash independent of direction.
    this.hash = fmix32((hs + hd + Math.imul(l.ipProto, 0x9e3779b1) + n) | 0);
  }

  /** The flow of the packet last given to `read`, or null. Sets `fromOrig`. */
  find(proto: number, addrLen: number): Flow | null {
    const h = this.hash;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const f = this.slots[i];
      if (f === null) return null;
      if (f.hash !== h || f.proto !== proto || f.addrLen !== addrLen) continue;
      if (this.sideIsOrig(f, true) && this.sideIsResp(f, false)) {
        this.fromOrig = true;
        return f;
      }
      if (this.sideIsOrig(f, false) && this.sideIsResp(f, true)) {
        this.fromOrig = false;
        return f;
      }
    }
  }

  /** Whether the packet's source (src) or destination (!src) endpoint is the flow's originator. */
  private sideIsOrig(f: Flow, src: boolean): boolean {
    return src
      ? f.o0 === this.s0 &&
          f.o1 === this.s1 &&
          f.o2 === this.s2 &&
          f.o3 === this.s3 &&
          f.origPort === this.sport
      : f.o0 === this.d0 &&
          f.o1 === this.d1 &&
          f.o2 === this.d2 &&
          f.o3 === this.d3 &&
          f.origPort === this.dport;
  }

  /** Whether the packet's source (src) or destination (!src) endpoint is the flow's responder. */
  private sideIsResp(f: Flow, src: boolean): boolean {
    return src
      ? f.r0 === this.s0 &&
          f.r1 === this.s1 &&
          f.r2 === this.s2 &&
          f.r3 === this.s3 &&
          f.respPort === this.sport
      : f.r0 === this.d0 &&
          f.r1 === this.d1 &&
          f.r2 === this.d2 &&
          f.r3 === this.d3 &&
          f.respPort === this.dport;
  }

  /** Adds a flow whose key and `hash` are set. */
  insert(f: Flow): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    let i = f.hash & this.mask;
    while (this.slots[i] !== null) i = (i + 1) & this.mask;
    this.slots[i] = f;
    this.count++;
  }

  /** Removes a flow; closes the probe chain by shifting later entries back (Knuth 6.4, Algorithm R). */
  remove(f: Flow): void {
    let i = f.hash & this.mask;
    while (this.slots[i] !== f) {
      if (this.slots[i] === null) return;
      i = (i + 1) & this.mask;
    }
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      const g = this.slots[j];
      if (g === null) break;
      const home = g.hash & this.mask;
      // g may move into the hole at i only if its home slot is not cyclically within (i, j].
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (between) continue;
      this.slots[i] = g;
      i = j;
    }
    this.slots[i] = null;
    this.count--;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Array<Flow | null>(old.length * 2).fill(null);
    this.mask = this.slots.length - 1;
    for (const f of old) {
      if (f === null) continue;
      let i = f.hash & this.mask;
      while (this.slots[i] !== null) i = (i + 1) & this.mask;
      this.slots[i] = f;
    }
  }
}
