// The frames an Initial packet may carry (RFC 9000 §12.4 Table 3, §19): PADDING, PING, ACK, CRYPTO and
// CONNECTION_CLOSE. Any other frame type is a protocol violation in an Initial (§17.2.2), so the walk stops
// there rather than guess its layout. Never throws; a truncated frame ends the walk with a status.

import { readVarint, type Varint } from "./quic-header.ts";

/** Frame types handled here (RFC 9000 §19). */
export const FRAME = {
  padding: 0x00,
  ping: 0x01,
  ack: 0x02,
  ackEcn: 0x03,
  crypto: 0x06,
  closeTransport: 0x1c,
  closeApplication: 0x1d,
} as const;

/** How a walk over a packet's frames ended. */
export const FRAME_WALK_STATUSES = ["ok", "truncated", "unexpected"] as const;
export type FrameWalkStatus = (typeof FRAME_WALK_STATUSES)[number];

/** Receives the frames that matter. */
export interface InitialFrameSink {
  /** A CRYPTO frame: `data` (a view, valid during the call) sits at `offset` of the crypto stream. */
  crypto(offset: number, data: Uint8Array): void;
  /** A CONNECTION_CLOSE frame (§19.19). */
  close(errorCode: number, application: boolean): void;
}

/** Outcome of a walk over a packet's frames. */
export interface FrameWalk {
  /** How the walk ended. */
  status: FrameWalkStatus;
  /** Type of the frame the walk stopped at (truncated or unexpected). */
  frameType: number;
  /** Offset in the payload where it stopped. */
  at: number;
}

/** A frame type the walk cannot lay out (returned by a FrameReader). */
export const UNKNOWN_FRAME = -2;

/**
 * Reads one frame after its type byte(s): returns the offset after it, -1 when it is cut short, or
 * UNKNOWN_FRAME for a type it does not know.
 */
export type FrameReader<S> = (
  p: Uint8Array,
  off: number,
  end: number,
  type: number,
  v: Varint,
  sink: S,
) => number;

/**
 * Walks the frames of a decrypted payload: types are varints (§12.4), runs of PADDING are skipped, and
 * `read` handles each other frame. Shared by the Initial and 1-RTT walks, which differ only in the frames
 * they allow.
 */
export function walkFrames<S>(p: Uint8Array, sink: S, read: FrameReader<S>): FrameWalk {
  const v: Varint = { value: 0, next: 0 };
  const end = p.length;
  let off = 0;
  while (off < end) {
    const at = off;
    if (readVarint(p, off, end, v).next < 0) return { status: "truncated", frameType: p[off], at };
    const type = v.value;
    off = v.next;
    if (type === FRAME.padding) {
      while (off < end && p[off] === 0) off++;
      continue;
    }
    off = read(p, off, end, type, v, sink);
    if (off === UNKNOWN_FRAME) return { status: "unexpected", frameType: type, at };
    if (off < 0) return { status: "truncated", frameType: type, at };
  }
  return { status: "ok", frameType: 0, at: end };
}

/** Walks the frames of a decrypted Initial payload, calling `sink` for CRYPTO and CONNECTION_CLOSE. */
export function walkInitialFrames(p: Uint8Array, sink: InitialFrameSink): FrameWalk {
  return walkFrames(p, sink, initialFrame);
}

/** One frame an Initial may carry: PING, ACK, CRYPTO, CONNECTION_CLOSE; anything else is UNKNOWN_FRAME. */
function initialFrame(
  p: Uint8Array,
  off: number,
  end: number,
  type: number,
  v: Varint,
  sink: InitialFrameSink,
) {
  if (type === FRAME.ping) return off;
  if (type === FRAME.ack || type === FRAME.ackEcn) return skipAck(p, off, end, type === FRAME.ackEcn, v);
  if (type === FRAME.crypto) return cryptoFrame(p, off, end, v, sink);
  if (type === FRAME.closeTransport || type === FRAME.closeApplication) {
    return closeFrame(p, off, end, type === FRAME.closeApplication, v, sink);
  }
  return UNKNOWN_FRAME;
}

/** Skips an ACK frame (§19.3): largest, delay, range count, first range, ranges, optional ECN counts. */
export function skipAck(p: Uint8Array, off: number, end: number, ecn: boolean, v: Varint): number {
  for (let i = 0; i < 3 && off >= 0; i++) off = readVarint(p, off, end, v).next;
  if (off < 0) return -1;
  const ranges = v.value;
  off = readVarint(p, off, end, v).next;
  // Each range is two varints of at least one byte: a count beyond what is left cannot be honest.
  if (off < 0 || ranges > (end - off) / 2) return -1;
  for (let i = 0; i < ranges * 2 && off >= 0; i++) off = readVarint(p, off, end, v).next;
  if (ecn) for (let i = 0; i < 3 && off >= 0; i++) off = readVarint(p, off, end, v).next;
  return off;
}

/** A CRYPTO frame (§19.6): offset, length, data; the offset after it, or -1 when truncated. */
export function cryptoFrame(
  p: Uint8Array,
  off: number,
  end: number,
  v: Varint,
  sink: Pick<InitialFrameSink, "crypto">,
): number {
  off = readVarint(p, off, end, v).next;
  if (off < 0) return -1;
  const offset = v.value;
  off = readVarint(p, off, end, v).next;
  if (off < 0 || off + v.value > end) return -1;
  const len = v.value;
  sink.crypto(offset, p.subarray(off, off + len));
  return off + len;
}

/** A CONNECTION_CLOSE frame (§19.19): error code, frame type (transport only), reason phrase. */
export function closeFrame(
  p: Uint8Array,
  off: number,
  end: number,
  application: boolean,
  v: Varint,
  sink: Pick<InitialFrameSink, "close">,
): number {
  off = readVarint(p, off, end, v).next;
  if (off < 0) return -1;
  const code = v.value;
  if (!application) off = readVarint(p, off, end, v).next;
  if (off >= 0) off = readVarint(p, off, end, v).next;
  if (off < 0 || off + v.value > end) return -1;
  sink.close(code, application);
  return off + v.value;
}
