// The frames of a decrypted 1-RTT packet (RFC 9000 §19, §12.4 Table 3; DATAGRAM from RFC 9221): STREAM and
// RESET_STREAM go to a sink, CRYPTO (post-handshake messages) and CONNECTION_CLOSE too, the rest is skipped by
// its layout. A frame type we do not know has no length to skip by, so the walk stops there with a status.
// Never throws.

import {
  closeFrame,
  cryptoFrame,
  FRAME,
  type FrameWalk,
  skipAck,
  UNKNOWN_FRAME,
  walkFrames,
} from "./quic-frames.ts";
import { readVarint, type Varint } from "./quic-header.ts";

/** Receives the frames of a 1-RTT payload that carry data. */
export interface AppFrameSink {
  /** STREAM frame (§19.8): `data` (a view, valid during the call) at `offset` of stream `id`. */
  stream(id: number, offset: number, data: Uint8Array, fin: boolean): void;
  /** RESET_STREAM frame (§19.4): the sender abandoned stream `id` at `finalSize` bytes. */
  resetStream(id: number, finalSize: number): void;
  /** CRYPTO frame (§19.6) in the 1-RTT space (NewSessionTicket and the like). */
  crypto(offset: number, data: Uint8Array): void;
  /** CONNECTION_CLOSE frame (§19.19). */
  close(errorCode: number, application: boolean): void;
  /** NEW_CONNECTION_ID frame (§19.15): the peer may now address the sender with an ID of `length` bytes. */
  newConnectionId(length: number): void;
}

/** Frame types with only varint fields, and how many (§19.5, §19.9–19.17, §19.19). */
const VARINT_FIELDS: ReadonlyMap<number, number> = new Map([
  [0x05, 2], // STOP_SENDING: stream id, error code
  [0x10, 1], // MAX_DATA
  [0x11, 2], // MAX_STREAM_DATA
  [0x12, 1], // MAX_STREAMS (bidi)
  [0x13, 1], // MAX_STREAMS (uni)
  [0x14, 1], // DATA_BLOCKED
  [0x15, 2], // STREAM_DATA_BLOCKED
  [0x16, 1], // STREAMS_BLOCKED (bidi)
  [0x17, 1], // STREAMS_BLOCKED (uni)
  [0x19, 1], // RETIRE_CONNECTION_ID
]);

const HANDSHAKE_DONE = 0x1e;
const PATH_CHALLENGE = 0x1a;
const PATH_RESPONSE = 0x1b;

/** Walks a decrypted 1-RTT payload. */
export function walkAppFrames(p: Uint8Array, sink: AppFrameSink): FrameWalk {
  return walkFrames(p, sink, skipOrHandle);
}

/** One frame after its type; the offset after it, -1 when truncated, UNKNOWN_FRAME for a type we cannot walk. */
function skipOrHandle(p: Uint8Array, off: number, end: number, type: number, v: Varint, sink: AppFrameSink) {
  if (type >= 0x08 && type <= 0x0f) return streamFrame(p, off, end, type, v, sink);
  const n = VARINT_FIELDS.get(type);
  if (n !== undefined) return skipVarints(p, off, end, n, v);
  switch (type) {
    case FRAME.ping:
    case HANDSHAKE_DONE:
      return off;
    case FRAME.ack:
    case FRAME.ackEcn:
      return skipAck(p, off, end, type === FRAME.ackEcn, v);
    case 0x04: // RESET_STREAM: stream id, error code, final size
      return resetFrame(p, off, end, v, sink);
    case FRAME.crypto:
      return cryptoFrame(p, off, end, v, sink);
    case 0x07: // NEW_TOKEN: length, token
      return skipLengthPrefixed(p, off, end, v);
    case 0x18:
      return newConnectionId(p, off, end, v, sink);
    case PATH_CHALLENGE:
    case PATH_RESPONSE:
      return off + 8 <= end ? off + 8 : -1;
    case FRAME.closeTransport:
    case FRAME.closeApplication:
      return closeFrame(p, off, end, type === FRAME.closeApplication, v, sink);
    case 0x30: // DATAGRAM without length: runs to the end of the packet (RFC 9221 §4)
      return end;
    case 0x31:
      return skipLengthPrefixed(p, off, end, v);
    default:
      return UNKNOWN_FRAME;
  }
}

function skipVarints(p: Uint8Array, off: number, end: number, n: number, v: Varint): number {
  for (let i = 0; i < n && off >= 0; i++) off = readVarint(p, off, end, v).next;
  return off;
}

function skipLengthPrefixed(p: Uint8Array, off: number, end: number, v: Varint): number {
  off = readVarint(p, off, end, v).next;
  if (off < 0 || off + v.value > end) return -1;
  return off + v.value;
}

/** STREAM (§19.8): type bits 0x04 OFF, 0x02 LEN, 0x01 FIN; without LEN the data runs to the packet's end. */
function streamFrame(p: Uint8Array, off: number, end: number, type: number, v: Varint, sink: AppFrameSink) {
  off = readVarint(p, off, end, v).next;
  if (off < 0) return -1;
  const id = v.value;
  let offset = 0;
  if (type & 0x04) {
    off = readVarint(p, off, end, v).next;
    if (off < 0) return -1;
    offset = v.value;
  }
  let len = end - off;
  if (type & 0x02) {
    off = readVarint(p, off, end, v).next;
    if (off < 0 || off + v.value > end) return -1;
    len = v.value;
  }
  sink.stream(id, offset, p.subarray(off, off + len), (type & 0x01) !== 0);
  return off + len;
}

function resetFrame(p: Uint8Array, off: number, end: number, v: Varint, sink: AppFrameSink): number {
  off = readVarint(p, off, end, v).next;
  if (off < 0) return -1;
  const id = v.value;
  off = skipVarints(p, off, end, 2, v);
  if (off < 0) return -1;
  sink.resetStream(id, v.value);
  return off;
}

/** NEW_CONNECTION_ID (§19.15): sequence, retire prior to, length (1 byte, 1–20), ID, 16-byte reset token. */
function newConnectionId(p: Uint8Array, off: number, end: number, v: Varint, sink: AppFrameSink): number {
  off = skipVarints(p, off, end, 2, v);
  if (off < 0 || off >= end) return -1;
  const len = p[off];
  const next = off + 1 + len + 16;
  if (next > end) return -1;
  sink.newConnectionId(len);
  return next;
}
