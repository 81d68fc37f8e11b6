// IP fragment reassembly for IPv4 (RFC 791 3.2) and IPv6 (RFC 8200 4.5). Holds the fragments of each
// datagram until it is complete, then hands back the whole datagram as one new buffer with a header that
// says it is unfragmented. Bounded everywhere: datagrams pending, bytes per datagram, bytes in total, and
// time (packet time, not wall time), with a weird whenever a bound or a conflict drops data.

import type { WeirdSink } from "../model/weird.ts";

/** Weirds this module emits. */
export const IP_DEFRAG_WEIRDS = [
  "fragment_overlap_mismatch",
  "fragment_too_big",
  "fragment_inconsistent_length",
  "fragment_reassembly_timeout",
  "fragment_evicted",
  "fragment_incomplete",
] as const;

/** One fragment, as the IP decoders describe it; the bytes stay in `data` (only copied when kept). */
export interface FragmentInfo {
  /** IP version. */
  version: 4 | 6;
  /** Buffer holding the fragment. */
  data: Uint8Array;
  /** Offset of the IP header. */
  ipOff: number;
  /** IPv4 header length (options included), or 40 for IPv6 (extension headers before the fragment header are dropped). */
  hdrLen: number;
  /** Identification. */
  id: number;
  /** Protocol of the fragmented payload. */
  proto: number;
  /** Byte offset of the fragment data within the datagram's payload. */
  offset: number;
  /** More fragments follow. */
  more: boolean;
  /** Offset of the fragment data in `data`. */
  payOff: number;
  /** Fragment data bytes captured. */
  payLen: number;
}

/** Bounds of the reassembler. */
export interface IpDefragOptions {
  /** Datagrams pending at once; the oldest is dropped beyond (default 1024). */
  maxDatagrams?: number;
  /** Payload bytes of one datagram (default and maximum 65535, the IP length fields' limit). */
  maxBytes?: number;
  /** Bytes held over all pending datagrams (default 16 MiB). */
  maxTotalBytes?: number;
  /** Seconds of packet time from a datagram's first fragment to giving up on it (default 30). */
  timeoutSec?: number;
}

interface Pending {
  key: string;
  version: 4 | 6;
  firstTs: number;
  firstFrame: number;
  /** Copy of the IP header of the fragment at offset 0, once seen. */
  header: Uint8Array | undefined;
  proto: number;
  buf: Uint8Array;
  /** Covered byte ranges, sorted and merged: [start0, end0, start1, end1, ...]. */
  ranges: number[];
  /** Payload length, known once the last fragment (more = false) arrived; -1 before. */
  end: number;
  /** The overlap weird was already emitted for this datagram. */
  mismatch: boolean;
}

const MAX_IP_PAYLOAD = 65535;

/** Reassembles IP fragments; one instance per input. */
export class IpDefrag {
  private readonly weird: WeirdSink;
  private readonly maxDatagrams: number;
  private readonly maxBytes: number;
  private readonly maxTotalBytes: number;
  private readonly timeoutSec: number;
  private readonly pending = new Map<string, Pending>();
  private totalBytes = 0;
  private nextDeadline = Number.POSITIVE_INFINITY;

  constructor(weird: WeirdSink, opts: IpDefragOptions = {}) {
    this.weird = weird;
    this.maxDatagrams = Math.max(1, opts.maxDatagrams ?? 1024);
    this.maxBytes = Math.min(MAX_IP_PAYLOAD, Math.max(8, opts.maxBytes ?? MAX_IP_PAYLOAD));
    this.maxTotalBytes = Math.max(this.maxBytes, opts.maxTotalBytes ?? 16 * 1024 * 1024);
    this.timeoutSec = opts.timeoutSec ?? 30;
  }

  /** Datagrams waiting for fragments. */
  get size(): number {
    return this.pending.size;
  }

  /** Bytes held by waiting datagrams. */
  get bytesHeld(): number {
    return this.totalBytes;
  }

  /**
   * Adds a fragment seen at packet time `ts` in frame `frame`. Returns the reassembled datagram (IP header
   * + payload, a new buffer) when this fragment completes it, else undefined.
   */
  add(f: FragmentInfo, ts: number, frame: number): Uint8Array | undefined {
    this.expire(ts);
    const key = fragmentKey(f);
    const fend = f.offset + f.payLen;
    if (fend > this.maxBytes) {
      this.drop(key);
      this.emit(ts, "fragment_too_big", frame, `fragment ends at ${fend} > ${this.maxBytes} (id ${f.id})`);
      return undefined;
    }
    let p = this.pending.get(key);
    if (p === undefined) p = this.create(key, f, ts, frame);
    if (!this.checkEnd(p, f, fend, ts, frame)) return undefined;
    if (fend > p.buf.length) this.grow(p, fend, ts, frame);
    this.store(p, f, ts, frame);
    if (f.offset === 0 && p.header === undefined) {
      p.header = f.data.slice(f.ipOff, f.ipOff + f.hdrLen);
      p.proto = f.proto;
    }
    return this.complete(p, ts, frame);
  }

  /** Drops datagrams whose first fragment is older than the timeout at packet time `now`. */
  expire(now: number): void {
    if (now < this.nextDeadline) return;
    let next = Number.POSITIVE_INFINITY;
    for (const p of this.pending.values()) {
      const deadline = p.firstTs + this.timeoutSec;
      if (deadline <= now) {
        this.remove(p);
        const detail = `${describe(p)} after ${this.timeoutSec}s`;
        this.emit(now, "fragment_reassembly_timeout", p.firstFrame, detail);
      } else if (deadline < next) next = deadline;
    }
    this.nextDeadline = next;
  }

  /** End of input: every datagram still waiting is reported incomplete and dropped. */
  end(ts: number): void {
    for (const p of this.pending.values()) {
      this.emit(ts, "fragment_incomplete", p.firstFrame, `${describe(p)} at end of input`);
    }
    this.pending.clear();
    this.totalBytes = 0;
    this.nextDeadline = Number.POSITIVE_INFINITY;
  }

  private create(key: string, f: FragmentInfo, ts: number, frame: number): Pending {
    while (this.pending.size >= this.maxDatagrams) this.evictOldest(ts, frame, "too many datagrams pending");
    const p: Pending = {
      key,
      version: f.version,
      firstTs: ts,
      firstFrame: frame,
      header: undefined,
      proto: f.proto,
      buf: new Uint8Array(0),
      ranges: [],
      end: -1,
      mismatch: false,
    };
    this.pending.set(key, p);
    const deadline = ts + this.timeoutSec;
    if (deadline < this.nextDeadline) this.nextDeadline = deadline;
    return p;
  }

  /** A last fragment fixes the length; nothing may lie beyond it, and it may not change (RFC 815). */
  private checkEnd(p: Pending, f: FragmentInfo, fend: number, ts: number, frame: number): boolean {
    const covered = p.ranges.length === 0 ? 0 : p.ranges[p.ranges.length - 1];
    const bad = f.more ? p.end >= 0 && fend > p.end : (p.end >= 0 && p.end !== fend) || covered > fend;
    if (!bad) {
      if (!f.more) p.end = fend;
      return true;
    }
    this.remove(p);
    const known = p.end >= 0 ? p.end : covered;
    const detail = `fragment ends at ${fend}, datagram at ${known} (id ${f.id})`;
    this.emit(ts, "fragment_inconsistent_length", frame, detail);
    return false;
  }

  /** Grows the buffer (doubling, capped at the per-datagram bound), keeping the total within its bound. */
  private grow(p: Pending, need: number, ts: number, frame: number): void {
    const size = Math.min(this.maxBytes, Math.max(need, p.buf.length * 2, 1024));
    const buf = new Uint8Array(size);
    buf.set(p.buf);
    this.totalBytes += size - p.buf.length;
    p.buf = buf;
    while (this.totalBytes > this.maxTotalBytes && this.pending.size > 1) {
      this.evictOldest(ts, frame, "reassembly memory bound reached", p);
    }
  }

  /**
   * Copies the fragment into the gaps of the datagram. Bytes already held win (as in Zeek); where the new
   * fragment overlaps them with different bytes, one weird per datagram says so.
   */
  private store(p: Pending, f: FragmentInfo, ts: number, frame: number): void {
    const start = f.offset;
    const end = start + f.payLen;
    const r = p.ranges;
    let pos = start;
    for (let i = 0; i < r.length && pos < end; i += 2) {
      const rs = r[i];
      const re = r[i + 1];
      if (re <= pos) continue;
      if (rs >= end) break;
      if (rs > pos) p.buf.set(f.data.subarray(f.payOff + pos - start, f.payOff + rs - start), pos);
      const os = Math.max(rs, pos);
      const oe = Math.min(re, end);
      if (!p.mismatch && !sameBytes(p.buf, os, f.data, f.payOff + os - start, oe - os)) {
        p.mismatch = true;
        const detail = `bytes ${os}..${oe} differ from an earlier fragment (id ${f.id})`;
        this.emit(ts, "fragment_overlap_mismatch", frame, detail);
      }
      pos = oe;
    }
    if (pos < end) p.buf.set(f.data.subarray(f.payOff + pos - start, f.payOff + f.payLen), pos);
    if (f.payLen > 0) addRange(r, start, end);
  }

  /** Builds the datagram when every byte up to the end is there and the first fragment's header is known. */
  private complete(p: Pending, ts: number, frame: number): Uint8Array | undefined {
    const r = p.ranges;
    const whole = r.length === 2 && r[0] === 0 && r[1] === p.end;
    if (p.end < 0 || p.header === undefined || !whole) return undefined;
    this.remove(p);
    const hl = p.header.length;
    if (p.version === 4 && hl + p.end > MAX_IP_PAYLOAD) {
      this.emit(ts, "fragment_too_big", frame, `reassembled length ${hl + p.end} > ${MAX_IP_PAYLOAD}`);
      return undefined;
    }
    const out = new Uint8Array(hl + p.end);
    out.set(p.header);
    out.set(p.buf.subarray(0, p.end), hl);
    if (p.version === 4) {
      out[2] = (hl + p.end) >> 8;
      out[3] = (hl + p.end) & 0xff;
      out[6] &= 0x40; // keep DF; clear MF and the offset
      out[7] = 0;
    } else {
      out[4] = p.end >> 8;
      out[5] = p.end & 0xff;
      out[6] = p.proto; // the fragmentable part follows the fixed header directly now
    }
    return out;
  }

  private evictOldest(ts: number, frame: number, why: string, keep?: Pending): void {
    for (const p of this.pending.values()) {
      if (p === keep) continue;
      this.remove(p);
      this.emit(ts, "fragment_evicted", p.firstFrame, `${describe(p)}: ${why} (at frame ${frame})`);
      return;
    }
  }

  private drop(key: string): void {
    const p = this.pending.get(key);
    if (p !== undefined) this.remove(p);
  }

  private remove(p: Pending): void {
    this.pending.delete(p.key);
    this.totalBytes -= p.buf.length;
  }

  private emit(ts: number, name: (typeof IP_DEFRAG_WEIRDS)[number], frame: number, detail: string): void {
    this.weird({ ts, name, frame, detail });
  }
}

/** Datagram identity: RFC 791 uses source, destination, protocol and id; RFC 8200 source, destination and id. */
function fragmentKey(f: FragmentInfo): string {
  const d = f.data;
  const a = f.version === 4 ? f.ipOff + 12 : f.ipOff + 8;
  const n = f.version === 4 ? 8 : 32;
  let s = f.version === 4 ? `4/${f.proto}/${f.id}/` : `6/${f.id}/`;
  for (let i = 0; i < n; i += 2) s += String.fromCharCode((d[a + i] << 8) | d[a + i + 1]);
  return s;
}

/** Inserts [s, e) into sorted, merged ranges, merging touching ones. */
function addRange(r: number[], s: number, e: number): void {
  let i = 0;
  while (i < r.length && r[i + 1] < s) i += 2;
  let j = i;
  while (j < r.length && r[j] <= e) {
    s = Math.min(s, r[j]);
    e = Math.max(e, r[j + 1]);
    j += 2;
  }
  r.splice(i, j - i, s, e);
}

function sameBytes(a: Uint8Array, ao: number, b: Uint8Array, bo: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

function describe(p: Pending): string {
  const have = p.ranges.reduce((sum, v, i) => (i % 2 === 1 ? sum + v - p.ranges[i - 1] : sum), 0);
  return `IPv${p.version} datagram from frame ${p.firstFrame}: ${have} of ${p.end >= 0 ? p.end : "?"} bytes`;
}
