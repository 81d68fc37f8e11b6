// HTTP/3 frames (RFC 9114 §7.1) read incrementally from one stream's in-order bytes: a varint type and a
// varint length, then the payload, which the handler chooses to get whole (HEADERS, SETTINGS: bounded),
// streamed (DATA) or skipped (unknown and reserved types, §9). The frame types HTTP/2 had and HTTP/3 reserves
// (§7.2.8) are reported and skipped. The reader can be paused mid-stream, for a HEADERS frame that has to
// wait for QPACK encoder stream data.

import { readVarint, type Varint } from "../quic/quic-header.ts";

/** Frame types of RFC 9114 §7.2. */
export const H3_FRAME = {
  data: 0x00,
  headers: 0x01,
  cancelPush: 0x03,
  settings: 0x04,
  pushPromise: 0x05,
  goaway: 0x07,
  maxPushId: 0x0d,
} as const;

/** HTTP/2 frame types with no HTTP/3 meaning; receiving one is an error (§7.2.8). */
const HTTP2_ONLY: ReadonlySet<number> = new Set([0x02, 0x06, 0x08, 0x09]);

/** What to do with a frame's payload. */
export const FRAME_HANDLINGS = ["whole", "stream", "skip"] as const;
export type FrameHandling = (typeof FRAME_HANDLINGS)[number];

/** Receives one stream's frames. */
export interface Http3FrameHandler {
  /** A frame header was read: how its payload should be handed on. */
  start(type: number, length: number): FrameHandling;
  /** A whole payload (a view valid during the call); false pauses the reader after this frame. */
  frame(type: number, payload: Uint8Array): boolean;
  /** Payload bytes of a streamed frame. */
  chunk(type: number, bytes: Uint8Array): void;
  /** Something wrong with a frame (it is skipped). */
  problem(name: "http3_bad_frame" | "http3_frame_too_large", detail: string): void;
}

const HEAD_MAX = 16; // two varints of at most 8 bytes

/** One stream's frame reader. */
export class Http3FrameReader {
  private readonly head = new Uint8Array(HEAD_MAX);
  private headLen = 0;
  private type = -1;
  private handling: FrameHandling | "head" = "head";
  private remaining = 0;
  private buf = new Uint8Array(0);
  private filled = 0;
  private paused = false;
  private readonly v: Varint = { value: 0, next: 0 };

  /** A reader that buffers whole payloads of at most `maxWhole` bytes. */
  constructor(
    private readonly handler: Http3FrameHandler,
    private readonly maxWhole: number,
  ) {}

  /** True between frames (a stream ending here ended cleanly). */
  get atBoundary(): boolean {
    return this.handling === "head" && this.headLen === 0;
  }

  /** Reads `bytes`; returns how many were consumed (fewer only when the handler paused the reader). */
  push(bytes: Uint8Array): number {
    let off = 0;
    while (off < bytes.length) {
      if (this.handling === "head") {
        off += this.readHead(bytes, off);
        if (this.paused) break;
        continue;
      }
      const take = Math.min(this.remaining, bytes.length - off);
      const part = bytes.subarray(off, off + take);
      off += take;
      this.remaining -= take;
      if (this.handling === "stream") this.handler.chunk(this.type, part);
      else if (this.handling === "whole") {
        this.buf.set(part, this.filled);
        this.filled += take;
      }
      if (this.remaining === 0) this.complete();
      if (this.paused) break;
    }
    this.paused = false;
    return off;
  }

  /** Reads header bytes at `off`; returns how many of them belonged to the header. */
  private readHead(bytes: Uint8Array, off: number): number {
    const take = Math.min(HEAD_MAX - this.headLen, bytes.length - off);
    this.head.set(bytes.subarray(off, off + take), this.headLen);
    const have = this.headLen + take;
    const t = readVarint(this.head, 0, have, this.v);
    const type = t.value;
    const l = t.next < 0 ? t : readVarint(this.head, t.next, have, this.v);
    if (l.next < 0) {
      this.headLen = have;
      return take;
    }
    const used = l.next - this.headLen;
    this.headLen = 0;
    this.begin(type, l.value);
    return used;
  }

  private begin(type: number, length: number): void {
    this.type = type;
    this.remaining = length;
    let h: FrameHandling = "skip";
    if (HTTP2_ONLY.has(type)) {
      this.handler.problem("http3_bad_frame", `reserved HTTP/2 frame type 0x${type.toString(16)}`);
    } else h = this.handler.start(type, length);
    if (h === "whole" && length > this.maxWhole) {
      this.handler.problem("http3_frame_too_large", `frame type 0x${type.toString(16)} of ${length} bytes`);
      h = "skip";
    }
    this.handling = h;
    if (h === "whole") {
      this.buf = new Uint8Array(length);
      this.filled = 0;
    }
    if (length === 0) this.complete();
  }

  /** The current frame's payload is all here (the handler may pause the reader). */
  private complete(): void {
    const h = this.handling;
    this.handling = "head";
    if (h !== "whole") return;
    const payload = this.buf;
    this.buf = new Uint8Array(0);
    if (!this.handler.frame(this.type, payload)) this.paused = true;
  }
}
