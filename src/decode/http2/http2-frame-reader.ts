// One direction of an HTTP/2 connection cut into frames: the client's connection preface (RFC 9113 §3.4)
// when the direction starts with one, then 9-byte headers and payloads. A frame that lies in one chunk is
// handed on as a view of it; only frames split across chunks are copied, into a buffer no larger than the
// SETTINGS_MAX_FRAME_SIZE the receiving peer allowed. Larger frames are reported and skipped, not buffered.

import {
  DEFAULT_MAX_FRAME_SIZE,
  FRAME_HEADER_BYTES,
  type FrameHeader,
  frameName,
  readFrameHeader,
  SETTINGS,
} from "./http2-frames.ts";

/** The client connection preface (RFC 9113 §3.4). */
export const CLIENT_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** What a reader reports to its connection. */
export interface FrameReaderHost {
  /** A whole frame; `payload` is valid during the call only. */
  frame(h: FrameHeader, payload: Uint8Array): void;
  /** The direction started with neither the client preface nor a SETTINGS frame. */
  badPreface(detail: string): void;
  /** A frame longer than the peer's SETTINGS_MAX_FRAME_SIZE (skipped). */
  tooLarge(h: FrameHeader, max: number): void;
}

type State = "start" | "preface" | "header" | "payload" | "skip";

/** Frames of one direction. */
export class FrameReader {
  /** SETTINGS_MAX_FRAME_SIZE of the receiving peer: the largest frame accepted. */
  maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  /** True once the client preface was read (this direction is the client's). */
  sawPreface = false;
  /** True after a bad preface: nothing more is read. */
  dead = false;
  /** Frame number of the packet in which the current (or last) frame started. */
  startFrame = 0;
  /** Time of that packet. */
  startTs = 0;
  private state: State = "start";
  private matched = 0;
  private readonly head = new Uint8Array(FRAME_HEADER_BYTES);
  private headN = 0;
  private h: FrameHeader | undefined;
  private buf: Uint8Array | undefined;
  private bufN = 0;
  private skip = 0;
  private frames = 0;

  constructor(private readonly host: FrameReaderHost) {}

  /** Bytes of the direction, in order, from the packet `frame` seen at `ts`. */
  push(b: Uint8Array, ts: number, frame: number): void {
    let off = 0;
    while (off < b.length && !this.dead) {
      switch (this.state) {
        case "start":
          // A frame header never starts with "P": that would be a frame of over 5 MB.
          this.state = b[off] === CLIENT_PREFACE[0] ? "preface" : "header";
          break;
        case "preface":
          off = this.preface(b, off);
          break;
        case "header":
          if (this.headN === 0) {
            this.startFrame = frame;
            this.startTs = ts;
          }
          off = this.header(b, off);
          break;
        case "payload":
          off = this.payload(b, off);
          break;
        case "skip": {
          const n = Math.min(this.skip, b.length - off);
          this.skip -= n;
          off += n;
          if (this.skip === 0) this.state = "header";
        }
      }
    }
  }

  private preface(b: Uint8Array, off: number): number {
    while (off < b.length && this.matched < CLIENT_PREFACE.length) {
      if (b[off] !== CLIENT_PREFACE[this.matched]) {
        this.dead = true;
        this.host.badPreface(`byte ${this.matched} of the client preface is 0x${b[off].toString(16)}`);
        return b.length;
      }
      off++;
      this.matched++;
    }
    if (this.matched === CLIENT_PREFACE.length) {
      this.sawPreface = true;
      this.state = "header";
    }
    return off;
  }

  private header(b: Uint8Array, off: number): number {
    let h: FrameHeader;
    if (this.headN === 0 && b.length - off >= FRAME_HEADER_BYTES) {
      h = readFrameHeader(b, off);
      off += FRAME_HEADER_BYTES;
    } else {
      const n = Math.min(FRAME_HEADER_BYTES - this.headN, b.length - off);
      this.head.set(b.subarray(off, off + n), this.headN);
      this.headN += n;
      off += n;
      if (this.headN < FRAME_HEADER_BYTES) return off;
      this.headN = 0;
      h = readFrameHeader(this.head, 0);
    }
    if (this.frames++ === 0 && (h.type !== SETTINGS || h.streamId !== 0)) {
      // Each side's first frame is SETTINGS (RFC 9113 §3.4), after the preface on the client's side.
      this.dead = true;
      this.host.badPreface(`first frame is ${frameName(h.type)} on stream ${h.streamId}, not SETTINGS`);
      return b.length;
    }
    if (h.length > this.maxFrameSize) {
      this.host.tooLarge(h, this.maxFrameSize);
      this.skip = h.length;
      this.state = h.length > 0 ? "skip" : "header";
      return off;
    }
    this.h = h;
    this.bufN = 0;
    this.state = "payload";
    if (h.length === 0) return this.deliver(new Uint8Array(0), off);
    if (b.length - off >= h.length) return this.deliver(b.subarray(off, off + h.length), off + h.length);
    return off;
  }

  private payload(b: Uint8Array, off: number): number {
    const h = this.h!;
    if (!this.buf || this.buf.length < h.length) this.buf = new Uint8Array(Math.max(h.length, 1024));
    const n = Math.min(h.length - this.bufN, b.length - off);
    this.buf.set(b.subarray(off, off + n), this.bufN);
    this.bufN += n;
    off += n;
    if (this.bufN < h.length) return off;
    const payload = this.buf.subarray(0, h.length);
    // The buffer is only reused for small frames; a big one is given up once handed on.
    if (this.buf.length > 64 * 1024) this.buf = undefined;
    return this.deliver(payload, off);
  }

  private deliver(payload: Uint8Array, off: number): number {
    const h = this.h!;
    this.h = undefined;
    this.state = "header";
    this.host.frame(h, payload);
    return off;
  }
}
