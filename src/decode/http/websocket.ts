// WebSocket frames (RFC 6455 §5) of one direction after an HTTP Upgrade: headers parsed across any split,
// client payloads unmasked, fragmented messages joined, permessage-deflate (RFC 7692) inflated, and every
// text or binary message handed to the detector. Messages are bounded; a bad frame stops the direction.

import zlib from "node:zlib";
import { BodyBuffer } from "./body-buffer.ts";
import type { PassHandler } from "./http-parser-types.ts";

/** Weird names WebSocket parsing reports. */
export const WS_WEIRD_NAMES = [
  "ws_bad_frame",
  "ws_unmasked_client_frame",
  "ws_masked_server_frame",
  "ws_message_too_long",
  "ws_content_gap",
  "ws_inflate_failed",
] as const;
export type WsWeirdName = (typeof WS_WEIRD_NAMES)[number];

/** Options of a WebSocket reader. */
export interface WebSocketOptions {
  /** Bytes of a message kept (default 1 MiB); longer messages are cut, with a weird. */
  maxMessageBytes?: number;
  /** Cap on an inflated message (default 4 × maxMessageBytes). */
  maxInflatedBytes?: number;
}

/** Where a reader sends its results. */
export interface WebSocketSink {
  /** A complete text (opcode 1) or binary (2) message; `data` is valid during the call only. */
  message(data: Uint8Array, opcode: number, ts: number, frame: number): void;
  /** A problem. */
  weird(name: WsWeirdName, detail: string, ts: number, frame: number): void;
}

// RFC 7692 §7.2.2: the sender drops this empty-block tail of every message; the receiver puts it back.
const DEFLATE_TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff);
const WINDOW = 32 * 1024;

/** Reads one direction's frames. */
export class WebSocketReader implements PassHandler {
  private readonly hdr = new Uint8Array(14);
  private hdrLen = 0;
  private readonly mask = new Uint8Array(4);
  private masked = false;
  private opcode = 0;
  private fin = false;
  private remaining = 0;
  private maskPos = 0;
  private inFrame = false;
  private msgOpcode = 0;
  private compressed = false;
  private cutReported = false;
  private maskReported = false;
  private dead = false;
  private window: Uint8Array | undefined;
  private readonly msg: BodyBuffer;
  private readonly control = new BodyBuffer(125);
  private ts = 0;
  private frame = 0;
  private readonly maxInflated: number;

  /** @param fromClient client frames must be masked, server frames must not (RFC 6455 §5.1). */
  constructor(
    private readonly fromClient: boolean,
    private readonly sink: WebSocketSink,
    opts: WebSocketOptions = {},
  ) {
    const max = opts.maxMessageBytes ?? 1024 * 1024;
    this.msg = new BodyBuffer(max);
    this.maxInflated = opts.maxInflatedBytes ?? 4 * max;
  }

  /** Feeds bytes of the direction. */
  data(b: Uint8Array, ts: number, frame: number): void {
    this.ts = ts;
    this.frame = frame;
    let off = 0;
    while (off < b.length && !this.dead) {
      off = this.inFrame ? this.payload(b, off) : this.header(b, off);
    }
  }

  /** Lost bytes: frame boundaries cannot be found again. */
  gap(len: number): void {
    if (this.dead) return;
    this.sink.weird("ws_content_gap", `${len} bytes lost`, this.ts, this.frame);
    this.dead = true;
  }

  /** The connection ended: a message still being assembled is handed on as it is. */
  end(): void {
    if (this.msgOpcode !== 0 && this.msg.kept > 0) this.deliver();
    this.dead = true;
  }

  private header(b: Uint8Array, off: number): number {
    for (;;) {
      if (this.hdrLen >= this.headerSize()) {
        this.startFrame();
        return off;
      }
      if (off >= b.length) return off;
      this.hdr[this.hdrLen++] = b[off++];
    }
  }

  /** Header bytes needed so far: 2, then the extended length and the masking key once known. */
  private headerSize(): number {
    if (this.hdrLen < 2) return 2;
    const len7 = this.hdr[1] & 0x7f;
    return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (this.hdr[1] & 0x80 ? 4 : 0);
  }

  private startFrame(): void {
    const h = this.hdr;
    this.hdrLen = 0;
    this.fin = (h[0] & 0x80) !== 0;
    this.opcode = h[0] & 0x0f;
    this.masked = (h[1] & 0x80) !== 0;
    const len7 = h[1] & 0x7f;
    let p = 2;
    let len = len7;
    if (len7 === 126) {
      len = (h[2] << 8) | h[3];
      p = 4;
    } else if (len7 === 127) {
      // A 64-bit length; its top bit must be 0 (RFC 6455 §5.2), and anything past 2^53 is not a real frame.
      if (h[2] !== 0 || h[3] > 0x1f) {
        this.bad("64-bit length out of range");
        return;
      }
      len = 0;
      for (let i = 2; i < 10; i++) len = len * 256 + h[i];
      p = 10;
    }
    if (this.masked) this.mask.set(h.subarray(p, p + 4));
    if (!this.checkFrame(h[0], len)) return;
    if (this.masked !== this.fromClient && !this.maskReported) {
      this.maskReported = true;
      const name = this.fromClient ? "ws_unmasked_client_frame" : "ws_masked_server_frame";
      this.sink.weird(name, `opcode ${this.opcode}`, this.ts, this.frame);
    }
    this.remaining = len;
    this.maskPos = 0;
    this.inFrame = true;
    if (this.opcode >= 8) this.control.reset();
    else if (this.opcode !== 0) {
      this.msgOpcode = this.opcode;
      this.compressed = (h[0] & 0x40) !== 0;
      this.cutReported = false;
      this.msg.reset();
    }
    if (len === 0) this.endFrame();
  }

  /** Opcode, RSV bits and fragmentation rules (RFC 6455 §5.2, §5.4, §5.5). */
  private checkFrame(b0: number, len: number): boolean {
    const op = this.opcode;
    if (op > 10 || (op > 2 && op < 8)) return this.bad(`reserved opcode ${op}`);
    if (b0 & 0x30) return this.bad("RSV2/RSV3 set");
    if (op >= 8 && (!this.fin || len > 125))
      return this.bad(`control frame ${op} fragmented or ${len} bytes`);
    if (op === 0 && this.msgOpcode === 0) return this.bad("continuation without a message");
    if ((op === 1 || op === 2) && this.msgOpcode !== 0)
      return this.bad("new message inside a fragmented one");
    return true;
  }

  private payload(b: Uint8Array, off: number): number {
    const n = Math.min(this.remaining, b.length - off);
    const buf = this.opcode >= 8 ? this.control : this.msg;
    const before = buf.kept;
    buf.append(b, off, off + n);
    if (this.masked) {
      const view = buf.bytes();
      const m = this.mask;
      let k = this.maskPos;
      for (let i = before; i < buf.kept; i++, k++) view[i] ^= m[k & 3];
    }
    this.maskPos += n;
    this.remaining -= n;
    if (buf === this.msg && buf.truncated && !this.cutReported) {
      this.cutReported = true;
      this.sink.weird("ws_message_too_long", `message cut at ${buf.max} bytes`, this.ts, this.frame);
    }
    if (this.remaining === 0) this.endFrame();
    return off + n;
  }

  private endFrame(): void {
    this.inFrame = false;
    if (this.opcode < 8 && this.fin) this.deliver();
  }

  private deliver(): void {
    const op = this.msgOpcode;
    this.msgOpcode = 0;
    let data = this.msg.bytes();
    if (this.compressed) data = this.inflate(data);
    this.sink.message(data, op, this.ts, this.frame);
    this.msg.release();
  }

  /** permessage-deflate: the previous 32 KiB of output is the window (context takeover, RFC 7692 §7.2.3). */
  private inflate(data: Uint8Array): Uint8Array {
    const input = Buffer.concat([data, DEFLATE_TAIL]);
    try {
      const out = zlib.inflateRawSync(input, {
        dictionary: this.window,
        maxOutputLength: this.maxInflated,
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
      this.slide(out);
      return out;
    } catch (e) {
      this.sink.weird("ws_inflate_failed", e instanceof Error ? e.message : String(e), this.ts, this.frame);
      return data;
    }
  }

  /** Keeps the last 32 KiB of inflated output as the next message's window. */
  private slide(out: Uint8Array): void {
    if (out.length >= WINDOW || !this.window) {
      this.window = new Uint8Array(out.subarray(Math.max(0, out.length - WINDOW)));
      return;
    }
    const prev = this.window.subarray(Math.max(0, this.window.length - (WINDOW - out.length)));
    const next = new Uint8Array(prev.length + out.length);
    next.set(prev);
    next.set(out, prev.length);
    this.window = next;
  }

  private bad(why: string): false {
    this.sink.weird("ws_bad_frame", why, this.ts, this.frame);
    this.dead = true;
    return false;
  }
}
