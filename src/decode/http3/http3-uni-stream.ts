// HTTP/3 unidirectional streams (RFC 9114 §6.2): a varint stream type, then the control stream's frames
// (SETTINGS first, §6.2.1), a server push (skipped: its requests are in PUSH_PROMISE frames we do not
// follow), or the QPACK encoder and decoder streams (RFC 9204 §4.2). Reserved and unknown types (§6.2.3,
// extensions such as WebTransport) are ignored as the RFC says a receiver must.

import { readVarint, type Varint } from "../quic/quic-header.ts";
import { H3_FRAME, type Http3FrameHandler, Http3FrameReader } from "./http3-frames.ts";

/** Unidirectional stream types (RFC 9114 §6.2, RFC 9204 §4.2). */
export const UNI_STREAM_TYPES = {
  control: 0x00,
  push: 0x01,
  qpackEncoder: 0x02,
  qpackDecoder: 0x03,
} as const;

/** SETTINGS_QPACK_MAX_TABLE_CAPACITY (RFC 9204 §5). */
const SETTINGS_QPACK_MAX_TABLE_CAPACITY = 0x01;
/** HTTP/2 setting identifiers that HTTP/3 reserves (RFC 9114 §7.2.4.1). */
const HTTP2_SETTINGS: ReadonlySet<number> = new Set([0x02, 0x03, 0x04, 0x05]);

/** What a unidirectional stream reports to its connection. */
export interface UniStreamHost {
  /** The sender's SETTINGS_QPACK_MAX_TABLE_CAPACITY. */
  maxTableCapacity(fromClient: boolean, capacity: number): void;
  /** Bytes of the sender's QPACK encoder stream. */
  encoderStream(fromClient: boolean, bytes: Uint8Array): void;
  /** A malformed stream or frame. */
  problem(name: "http3_bad_frame" | "http3_frame_too_large", detail: string): void;
}

/** One unidirectional stream. */
export class UniStream {
  private type = -1;
  private readonly typeBytes = new Uint8Array(8);
  private typeLen = 0;
  private control: Http3FrameReader | undefined;
  private frames = 0;
  private readonly v: Varint = { value: 0, next: 0 };

  /** A stream sent by the client (`fromClient`) or the server. */
  constructor(
    private readonly fromClient: boolean,
    private readonly host: UniStreamHost,
    private readonly maxFrame: number,
  ) {}

  /** In-order bytes of the stream. */
  push(bytes: Uint8Array): void {
    let off = 0;
    if (this.type < 0) {
      off = this.readType(bytes);
      if (this.type < 0) return;
    }
    const rest = off === 0 ? bytes : bytes.subarray(off);
    if (rest.length === 0) return;
    if (this.type === UNI_STREAM_TYPES.qpackEncoder) this.host.encoderStream(this.fromClient, rest);
    else if (this.control) this.control.push(rest);
  }

  /** Reads the stream type varint (it may be split across STREAM frames); bytes of `b` it used. */
  private readType(b: Uint8Array): number {
    const take = Math.min(8 - this.typeLen, b.length);
    this.typeBytes.set(b.subarray(0, take), this.typeLen);
    const have = this.typeLen + take;
    if (readVarint(this.typeBytes, 0, have, this.v).next < 0) {
      this.typeLen = have;
      return take;
    }
    const used = this.v.next - this.typeLen;
    this.type = this.v.value;
    if (this.type === UNI_STREAM_TYPES.control)
      this.control = new Http3FrameReader(this.handler(), this.maxFrame);
    return used;
  }

  private handler(): Http3FrameHandler {
    return {
      start: (type) => {
        const first = this.frames++ === 0;
        if (first && type !== H3_FRAME.settings) {
          this.host.problem(
            "http3_bad_frame",
            `control stream starts with frame type 0x${type.toString(16)}`,
          );
        }
        if (type === H3_FRAME.settings) return first ? "whole" : this.bad(type);
        if (type === H3_FRAME.data || type === H3_FRAME.headers || type === H3_FRAME.pushPromise) {
          return this.bad(type);
        }
        return "skip";
      },
      frame: (_type, payload) => {
        this.settings(payload);
        return true;
      },
      chunk() {},
      problem: (name, detail) => this.host.problem(name, detail),
    };
  }

  private bad(type: number): "skip" {
    this.host.problem("http3_bad_frame", `frame type 0x${type.toString(16)} on the control stream`);
    return "skip";
  }

  /** SETTINGS (§7.2.4): identifier/value varint pairs. */
  private settings(p: Uint8Array): void {
    let off = 0;
    while (off < p.length) {
      const id = readVarint(p, off, p.length, this.v);
      if (id.next < 0) break;
      const ident = id.value;
      const val = readVarint(p, id.next, p.length, this.v);
      if (val.next < 0) break;
      off = val.next;
      if (HTTP2_SETTINGS.has(ident)) {
        this.host.problem("http3_bad_frame", `reserved HTTP/2 setting 0x${ident.toString(16)}`);
      } else if (ident === SETTINGS_QPACK_MAX_TABLE_CAPACITY)
        this.host.maxTableCapacity(this.fromClient, val.value);
    }
    if (off !== p.length) this.host.problem("http3_bad_frame", "truncated SETTINGS frame");
  }
}
