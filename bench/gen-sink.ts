// The benchmark generator's output: writes Ethernet/IP/TCP-or-UDP frames with correct checksums straight
// into a large reusable buffer and flushes it to the file in big chunks, so memory stays flat at any size.

import { closeSync, write, writeSync } from "node:fs";
import { pcapHeader } from "../test/helpers/capture-writer.ts";

/** LINKTYPE_ETHERNET. */
const LINK_ETHERNET = 1;
/** Snapshot length announced in the file header. */
const SNAPLEN = 262144;
/** Bytes buffered before a write to disk (two buffers: one fills while the other is written). */
const CHUNK = 8 << 20;
/** Room kept free at the end of a buffer: more than any one frame and its record header. */
const MARGIN = 64 << 10;
/** Minimum Ethernet frame without FCS (IEEE 802.3): shorter frames get zero padding, as a receiver sees. */
const MIN_FRAME = 60;

const PHONE_MAC = Uint8Array.of(0x02, 0x00, 0x5e, 0x10, 0x00, 0x23);
const GATEWAY_MAC = Uint8Array.of(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01);

/** Two endpoints of a flow; the client is the phone. */
export interface Endpoints {
  /** True for IPv6 addresses. */
  v6: boolean;
  /** Client (phone) address, 4 or 16 bytes. */
  client: Uint8Array;
  /** Server address, same length. */
  server: Uint8Array;
  /** Client port. */
  cPort: number;
  /** Server port. */
  sPort: number;
}

/** A TCP connection's sequence state (next sequence number each side sends). */
export interface TcpConn extends Endpoints {
  cNext: number;
  sNext: number;
}

/** TCP flag bits (RFC 9293 §3.1). */
export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

/**
 * Streams frames to a pcap file descriptor (µs timestamps, little-endian). The caller checks `full` between
 * frames and awaits `rotate()`, which hands the buffer to an asynchronous write and carries on in the other
 * one, so generating and writing overlap.
 */
export class FrameSink {
  private buf = Buffer.allocUnsafe(CHUNK);
  private spare = Buffer.allocUnsafe(CHUNK);
  private view = viewOf(this.buf);
  private spareView = viewOf(this.spare);
  private pending: Promise<void> = Promise.resolve();
  private pos = 0;
  private ipId = 1;
  /** Frames written so far; the last frame's number. */
  frames = 0;
  /** File bytes written so far (header included). */
  bytes = 0;
  /** The clock, microseconds since the epoch. */
  us: number;

  /** Writes the file header and starts the clock at `startUs`. */
  constructor(
    private readonly fd: number,
    startUs: number,
  ) {
    this.us = startUs;
    const hdr = pcapHeader({ linkType: LINK_ETHERNET, snapLen: SNAPLEN });
    this.buf.set(hdr, 0);
    this.pos = hdr.length;
    this.bytes = hdr.length;
  }

  /**
   * One TCP segment carrying `src[off, off+len)` (and `opts` as TCP options); advances the sender's
   * sequence number by the payload (+1 for SYN and FIN). Returns the frame number.
   */
  tcp(
    c: TcpConn,
    fromClient: boolean,
    flags: number,
    src: Uint8Array,
    off: number,
    len: number,
    opts?: Uint8Array,
  ): number {
    const seq = fromClient ? c.cNext : c.sNext;
    const ack = flags & ACK ? (fromClient ? c.sNext : c.cNext) : 0;
    const optLen = opts ? opts.length : 0;
    const l4 = this.ipHeader(c, fromClient, 6, 20 + optLen + len);
    const b = this.buf;
    put16(b, l4, fromClient ? c.cPort : c.sPort);
    put16(b, l4 + 2, fromClient ? c.sPort : c.cPort);
    put32(b, l4 + 4, seq);
    put32(b, l4 + 8, ack);
    b[l4 + 12] = ((20 + optLen) >> 2) << 4;
    b[l4 + 13] = flags;
    put16(b, l4 + 14, 64240);
    put32(b, l4 + 16, 0); // checksum and urgent pointer
    if (opts) b.set(opts, l4 + 20);
    b.set(src.subarray(off, off + len), l4 + 20 + optLen);
    const adv = len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
    if (fromClient) c.cNext = (c.cNext + adv) >>> 0;
    else c.sNext = (c.sNext + adv) >>> 0;
    return this.finish(c, 6, l4, 20 + optLen + len, 16);
  }

  /** One UDP datagram carrying `head` (if any) then `src[off, off+len)`. Returns the frame number. */
  udp(
    e: Endpoints,
    fromClient: boolean,
    head: Uint8Array | undefined,
    src: Uint8Array,
    off: number,
    len: number,
  ): number {
    const hl = head ? head.length : 0;
    const l4 = this.ipHeader(e, fromClient, 17, 8 + hl + len);
    const b = this.buf;
    put16(b, l4, fromClient ? e.cPort : e.sPort);
    put16(b, l4 + 2, fromClient ? e.sPort : e.cPort);
    put16(b, l4 + 4, 8 + hl + len);
    put16(b, l4 + 6, 0);
    if (head) b.set(head, l4 + 8);
    b.set(src.subarray(off, off + len), l4 + 8 + hl);
    return this.finish(e, 17, l4, 8 + hl + len, 6);
  }

  /** Writes the record, Ethernet and IP headers for an L4 payload of `l4Len`; returns the L4 offset. */
  private ipHeader(e: Endpoints, fromClient: boolean, proto: number, l4Len: number): number {
    const ipLen = (e.v6 ? 40 : 20) + l4Len;
    const cap = Math.max(MIN_FRAME, 14 + ipLen);
    if (this.pos + 16 + cap > this.buf.length) this.flush(); // only if the caller skipped rotate()
    const b = this.buf;
    let p = this.pos;
    const sec = Math.floor(this.us / 1e6);
    b.writeUInt32LE(sec, p);
    b.writeUInt32LE(this.us - sec * 1e6, p + 4);
    b.writeUInt32LE(cap, p + 8);
    b.writeUInt32LE(cap, p + 12);
    p += 16;
    b.set(fromClient ? GATEWAY_MAC : PHONE_MAC, p);
    b.set(fromClient ? PHONE_MAC : GATEWAY_MAC, p + 6);
    put16(b, p + 12, e.v6 ? 0x86dd : 0x0800);
    p += 14;
    const [src, dst] = fromClient ? [e.client, e.server] : [e.server, e.client];
    if (e.v6) {
      put32(b, p, 0x60000000);
      put16(b, p + 4, l4Len);
      b[p + 6] = proto;
      b[p + 7] = 64;
      b.set(src, p + 8);
      b.set(dst, p + 24);
      return p + 40;
    }
    b[p] = 0x45;
    b[p + 1] = 0;
    put16(b, p + 2, ipLen);
    put16(b, p + 4, this.ipId);
    this.ipId = (this.ipId + 1) & 0xffff;
    put16(b, p + 6, 0x4000); // DF, as phone stacks send
    b[p + 8] = 64;
    b[p + 9] = proto;
    put16(b, p + 10, 0);
    b.set(src, p + 12);
    b.set(dst, p + 16);
    put16(b, p + 10, ~sum16(b, p, p + 20, 0) & 0xffff);
    return p + 20;
  }

  /** Fills the transport checksum (pseudo-header, RFC 9293 §3.1 / RFC 8200 §8.1), pads, advances. */
  private finish(e: Endpoints, proto: number, l4: number, l4Len: number, ckOff: number): number {
    let s = l4Len + proto;
    s = sum16(e.client, 0, e.client.length, s);
    s = sum16(e.server, 0, e.server.length, s);
    let ck = ~sumView(this.view, this.buf, l4, l4 + l4Len, s) & 0xffff;
    if (ck === 0 && proto === 17) ck = 0xffff; // RFC 768: zero means "no checksum"
    put16(this.buf, l4 + ckOff, ck);
    const start = this.pos + 16;
    const end = l4 + l4Len;
    const cap = Math.max(MIN_FRAME, end - start);
    if (end - start < cap) this.buf.fill(0, end, start + cap);
    this.pos = start + cap;
    this.bytes += 16 + cap;
    this.frames++;
    return this.frames;
  }

  /** True when the buffer is nearly full: time to `await rotate()`. */
  get full(): boolean {
    return this.pos > CHUNK - MARGIN;
  }

  /** Waits for the previous write, starts writing this buffer, and continues in the other one. */
  async rotate(): Promise<void> {
    await this.pending;
    const buf = this.buf;
    const len = this.pos;
    this.pending = writeAll(this.fd, buf, len);
    this.buf = this.spare;
    this.spare = buf;
    [this.view, this.spareView] = [this.spareView, this.view];
    this.pos = 0;
  }

  /** Writes buffered bytes synchronously (after any pending write). */
  private flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.pos = 0;
  }

  /** Writes what is left and closes the file. */
  async close(): Promise<void> {
    await this.pending;
    this.flush();
    closeSync(this.fd);
  }
}

function writeAll(fd: number, buf: Buffer, len: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (off: number): void => {
      if (off >= len) {
        resolve();
        return;
      }
      write(fd, buf, off, len - off, null, (err, n) => (err ? reject(err) : step(off + n)));
    };
    step(0);
  });
}

function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 24) & 0xff;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

function viewOf(b: Buffer): DataView {
  return new DataView(b.buffer, b.byteOffset, b.length);
}

/** Like `sum16` over the sink's buffer, four bytes per step through a DataView (the hot loop). */
function sumView(v: DataView, b: Uint8Array, from: number, to: number, init: number): number {
  let s = init;
  let i = from;
  for (; i + 3 < to; i += 4) {
    const w = v.getUint32(i);
    s += (w >>> 16) + (w & 0xffff);
  }
  return sum16(b, i, to, s);
}

/** One's-complement sum (RFC 1071) of big-endian 16-bit words in b[from, to), folded, plus `init`. */
function sum16(b: Uint8Array, from: number, to: number, init: number): number {
  let s = init;
  let i = from;
  for (; i + 1 < to; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < to) s += b[i] << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}
