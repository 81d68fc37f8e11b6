// One HTTP/2 connection (RFC 9113): two frame readers, an HPACK decoding context per direction whose table
// limit and frame size bound follow the other side's SETTINGS, field blocks joined across CONTINUATION
// frames, and the frame-level checks; streams and records are Http2Streams' job. After a field block cannot
// be decoded the dynamic table state is unknown, so the connection's header decoding stops (data goes on).

import type { StreamContext } from "../../session/stream-consumer.ts";
import type { DecoderOutput } from "../stream-decoder.ts";
import { type HpackBounds, HpackDecoder } from "./hpack-decoder.ts";
import { FrameReader } from "./http2-frame-reader.ts";
import {
  CONTINUATION,
  DATA,
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FLAG_PRIORITY,
  type FrameHeader,
  frameName,
  GOAWAY,
  HEADERS,
  type Http2WeirdName,
  PING,
  PRIORITY,
  PUSH_PROMISE,
  RST_STREAM,
  readU31,
  readU32,
  SETTINGS,
  unpad,
  WINDOW_UPDATE,
} from "./http2-frames.ts";
import {
  goawayProblem,
  readSettings,
  SETTINGS_HEADER_TABLE_SIZE,
  SETTINGS_MAX_FRAME_SIZE,
} from "./http2-settings.ts";
import { type Http2StreamOptions, Http2Streams, type Moment } from "./http2-streams.ts";

/** Bounds and context of a connection decoder. */
export interface Http2ConnectionOptions extends Http2StreamOptions, HpackBounds {
  /** Bytes of one field block (HEADERS or PUSH_PROMISE with its CONTINUATIONs) at most. */
  maxHeaderBlockBytes: number;
}

/** A field block waiting for its CONTINUATION frames. */
interface Block {
  streamId: number;
  /** Promised stream id of a PUSH_PROMISE; 0 for HEADERS. */
  promised: number;
  endStream: boolean;
  parts: Uint8Array[];
  bytes: number;
}

/** The state of one direction. */
interface Direction {
  fromOrig: boolean;
  reader: FrameReader;
  hpack: HpackDecoder;
  frames: number;
  block?: Block;
  ts: number;
  frame: number;
}

/** The decoder state of one HTTP/2 connection. */
export class Http2Connection {
  private readonly dirs: [Direction, Direction];
  private readonly streams: Http2Streams;
  private headersLost = false;

  constructor(
    private readonly ctx: StreamContext,
    private readonly out: DecoderOutput,
    private readonly o: Http2ConnectionOptions,
  ) {
    this.streams = new Http2Streams(ctx, out, o, (name, detail, at) => this.weird(name, detail, at));
    this.dirs = [this.direction(true), this.direction(false)];
  }

  /** Bytes of one direction; false once neither direction can be read any more. */
  data(fromOrig: boolean, bytes: Uint8Array, ts: number, frame: number): boolean {
    const d = this.dirs[fromOrig ? 0 : 1];
    d.ts = ts;
    d.frame = frame;
    d.reader.push(bytes, ts, frame);
    return !(this.dirs[0].reader.dead && this.dirs[1].reader.dead);
  }

  /** Lost bytes: frame boundaries (and maybe field blocks) are gone, so the direction is no longer read. */
  gap(fromOrig: boolean, len: number): void {
    const d = this.dirs[fromOrig ? 0 : 1];
    if (d.reader.dead || len <= 0) return;
    d.reader.dead = true;
    this.weird(
      "http2_gap",
      `${len} bytes lost ${fromOrig ? "from the originator" : "from the responder"}`,
      this.at(d),
    );
  }

  /** End of the connection: open streams are logged. */
  end(): void {
    const [a, b] = this.dirs;
    this.streams.end(this.at(a.ts >= b.ts ? a : b));
  }

  private direction(fromOrig: boolean): Direction {
    const d = { fromOrig, frames: 0, ts: 0, frame: 0, hpack: new HpackDecoder(this.o) } as Direction;
    d.reader = new FrameReader({
      frame: (h, payload) => this.frame(d, h, payload),
      badPreface: (detail) => this.weird("http2_bad_preface", detail, this.at(d)),
      tooLarge: (h, max) => {
        const detail = `${frameName(h.type)} of ${h.length} bytes on stream ${h.streamId}; limit ${max}`;
        this.weird("http2_frame_too_large", detail, this.at(d));
        if (h.type === HEADERS || h.type === PUSH_PROMISE || h.type === CONTINUATION) this.loseHeaders(d);
      },
    });
    return d;
  }

  private at(d: Direction): Moment {
    return { ts: d.ts || this.ctx.ts, frame: d.frame, startFrame: d.reader.startFrame || d.frame };
  }

  private weird(name: Http2WeirdName, detail: string, at: Moment): void {
    this.out.weird({ ts: at.ts, name, uid: this.ctx.uid, frame: at.frame || undefined, detail });
  }

  private frame(d: Direction, h: FrameHeader, payload: Uint8Array): void {
    if (d.frames++ === 0 && d.reader.sawPreface) this.streams.clientFromOrig = d.fromOrig;
    if (d.block && (h.type !== CONTINUATION || h.streamId !== d.block.streamId)) {
      // Nothing may come between a field block's frames (RFC 9113 §6.10).
      const detail = `${frameName(h.type)} on stream ${h.streamId} inside the field block of ${d.block.streamId}`;
      this.weird("http2_bad_continuation", detail, this.at(d));
      this.loseHeaders(d);
    }
    if (!this.streamIdFits(d, h)) return;
    switch (h.type) {
      case DATA:
        this.dataFrame(d, h, payload);
        return;
      case HEADERS:
      case PUSH_PROMISE:
        this.blockStart(d, h, payload);
        return;
      case CONTINUATION:
        this.continuation(d, h, payload);
        return;
      case SETTINGS:
        this.settings(d, h, payload);
        return;
      case RST_STREAM:
        if (this.sized(d, h, payload.length === 4))
          this.streams.reset(h.streamId, readU32(payload, 0), this.at(d));
        return;
      case GOAWAY:
        if (this.sized(d, h, payload.length >= 8)) {
          const problem = goawayProblem(payload);
          if (problem) this.weird("http2_goaway_error", problem, this.at(d));
        }
        return;
      case PRIORITY:
        this.sized(d, h, payload.length === 5);
        return;
      case PING:
        this.sized(d, h, payload.length === 8);
        return;
      case WINDOW_UPDATE:
        this.sized(d, h, payload.length === 4);
        return;
    }
    // Unknown frame types are ignored (RFC 9113 §5.5).
  }

  /** Stream 0 for connection frames, another for stream frames (RFC 9113 §6). */
  private streamIdFits(d: Direction, h: FrameHeader): boolean {
    const connectionFrame = h.type === SETTINGS || h.type === PING || h.type === GOAWAY;
    const streamFrame = h.type <= CONTINUATION && h.type !== WINDOW_UPDATE && !connectionFrame;
    if ((connectionFrame && h.streamId !== 0) || (streamFrame && h.streamId === 0)) {
      this.weird("http2_bad_stream_id", `${frameName(h.type)} on stream ${h.streamId}`, this.at(d));
      return false;
    }
    return true;
  }

  /** Reports a frame whose length is wrong for its type (FRAME_SIZE_ERROR); true when it is right. */
  private sized(d: Direction, h: FrameHeader, ok: boolean): boolean {
    if (!ok) this.weird("http2_bad_frame_size", `${frameName(h.type)} of ${h.length} bytes`, this.at(d));
    return ok;
  }

  private dataFrame(d: Direction, h: FrameHeader, payload: Uint8Array): void {
    const u = unpad(h, payload, 0);
    if ("error" in u) {
      this.weird(u.name, u.error, this.at(d));
      return;
    }
    const end = (h.flags & FLAG_END_STREAM) !== 0;
    this.streams.data(d.fromOrig, h.streamId, payload.subarray(u.start, u.end), end, this.at(d));
  }

  /** HEADERS (priority fields skipped) or PUSH_PROMISE (promised stream id read). */
  private blockStart(d: Direction, h: FrameHeader, payload: Uint8Array): void {
    const push = h.type === PUSH_PROMISE;
    const u = unpad(h, payload, push ? 4 : h.flags & FLAG_PRIORITY ? 5 : 0);
    if ("error" in u) {
      this.weird(u.name, u.error, this.at(d));
      this.loseHeaders(d);
      return;
    }
    const block: Block = {
      streamId: h.streamId,
      promised: push ? readU31(payload, u.start - 4) : 0,
      endStream: !push && (h.flags & FLAG_END_STREAM) !== 0,
      parts: [],
      bytes: 0,
    };
    const fragment = payload.subarray(u.start, u.end);
    d.block = block;
    if (!this.fits(d, fragment.length)) return;
    if (h.flags & FLAG_END_HEADERS) {
      d.block = undefined;
      this.blockDone(d, block, fragment);
      return;
    }
    // Frame payloads are views of the input: a fragment kept for later is copied.
    block.parts.push(fragment.slice());
  }

  private continuation(d: Direction, h: FrameHeader, payload: Uint8Array): void {
    const block = d.block;
    if (!block) {
      const detail = `CONTINUATION on stream ${h.streamId} without a field block`;
      this.weird("http2_bad_continuation", detail, this.at(d));
      return;
    }
    if (!this.fits(d, payload.length)) return;
    block.parts.push(payload.slice());
    if ((h.flags & FLAG_END_HEADERS) === 0) return;
    d.block = undefined;
    const joined = Buffer.concat(block.parts, block.bytes);
    this.blockDone(d, block, joined);
  }

  /** Whether the pending block stays within its bound with `n` more bytes; if not, it is given up. */
  private fits(d: Direction, n: number): boolean {
    const block = d.block!;
    block.bytes += n;
    if (block.bytes <= this.o.maxHeaderBlockBytes) return true;
    const detail = `field block of stream ${block.streamId} over ${this.o.maxHeaderBlockBytes} bytes`;
    this.weird("http2_header_block_too_large", detail, this.at(d));
    this.loseHeaders(d);
    return false;
  }

  /** A complete field block: decoded (unless header decoding was lost) and handed to the streams. */
  private blockDone(d: Direction, block: Block, bytes: Uint8Array): void {
    const at = this.at(d);
    let fields: ReturnType<Direction["hpack"]["decode"]> | undefined;
    if (!this.headersLost) {
      fields = d.hpack.decode(bytes);
      if ("error" in fields) {
        this.weird("http2_hpack_error", `stream ${block.streamId}: ${fields.error}`, at);
        this.loseHeaders(d);
        fields = undefined;
      } else if (fields.dropped > 0) {
        const detail = `stream ${block.streamId}: ${fields.dropped} fields over the bounds dropped`;
        this.weird("http2_header_list_too_large", detail, at);
      }
    }
    const headers = fields && !("error" in fields) ? fields.headers : undefined;
    if (block.promised === 0) this.streams.headers(d.fromOrig, block.streamId, headers, block.endStream, at);
    else if (headers) this.streams.promise(d.fromOrig, block.streamId, block.promised, headers, at);
  }

  /** The table state is unknown from here: no more field blocks are decoded on this connection. */
  private loseHeaders(d: Direction): void {
    d.block = undefined;
    this.headersLost = true;
    this.streams.headersLost = true;
  }

  /** SETTINGS from one side bound what the other side sends (RFC 9113 §6.5.2). */
  private settings(d: Direction, h: FrameHeader, payload: Uint8Array): void {
    if (h.flags & FLAG_ACK) {
      this.sized(d, h, payload.length === 0);
      return;
    }
    if (!this.sized(d, h, payload.length % 6 === 0)) return;
    const peer = this.dirs[d.fromOrig ? 1 : 0];
    for (const { id, value, problem } of readSettings(payload)) {
      if (problem) this.weird("http2_bad_settings", `setting ${id} = ${value}: ${problem}`, this.at(d));
      else if (id === SETTINGS_HEADER_TABLE_SIZE) peer.hpack.setLimit(value);
      else if (id === SETTINGS_MAX_FRAME_SIZE) peer.reader.maxFrameSize = value;
    }
  }
}
