// HTTP/2 frame layout (RFC 9113 §4.1, §6): the 9-byte header, frame types and flags, the payload parts that
// padding and priority wrap around a field block or data, and the weird names of the HTTP/2 decoder.

/** Weird names an HTTP/2 connection can produce (besides the content-decoding ones). */
export const HTTP2_FRAME_WEIRD_NAMES = [
  "http2_bad_preface",
  "http2_frame_too_large",
  "http2_bad_frame_size",
  "http2_bad_padding",
  "http2_bad_stream_id",
  "http2_bad_settings",
  "http2_bad_continuation",
  "http2_header_block_too_large",
  "http2_header_list_too_large",
  "http2_hpack_error",
  "http2_malformed_headers",
  "http2_stream_error",
  "http2_stream_reset",
  "http2_too_many_streams",
  "http2_goaway_error",
  "http2_gap",
] as const;
export type Http2WeirdName = (typeof HTTP2_FRAME_WEIRD_NAMES)[number];

/** Frame types of RFC 9113 §6, by their type code. */
export const FRAME_TYPES = [
  "DATA",
  "HEADERS",
  "PRIORITY",
  "RST_STREAM",
  "SETTINGS",
  "PUSH_PROMISE",
  "PING",
  "GOAWAY",
  "WINDOW_UPDATE",
  "CONTINUATION",
] as const;

export const DATA = 0x0;
export const HEADERS = 0x1;
export const PRIORITY = 0x2;
export const RST_STREAM = 0x3;
export const SETTINGS = 0x4;
export const PUSH_PROMISE = 0x5;
export const PING = 0x6;
export const GOAWAY = 0x7;
export const WINDOW_UPDATE = 0x8;
export const CONTINUATION = 0x9;

/** END_STREAM on DATA and HEADERS; ACK on SETTINGS and PING (the same bit). */
export const FLAG_END_STREAM = 0x1;
export const FLAG_ACK = 0x1;
export const FLAG_END_HEADERS = 0x4;
export const FLAG_PADDED = 0x8;
export const FLAG_PRIORITY = 0x20;

/** Error codes of RFC 9113 §7, by code. */
export const ERROR_CODES = [
  "NO_ERROR",
  "PROTOCOL_ERROR",
  "INTERNAL_ERROR",
  "FLOW_CONTROL_ERROR",
  "SETTINGS_TIMEOUT",
  "STREAM_CLOSED",
  "FRAME_SIZE_ERROR",
  "REFUSED_STREAM",
  "CANCEL",
  "COMPRESSION_ERROR",
  "CONNECT_ERROR",
  "ENHANCE_YOUR_CALM",
  "INADEQUATE_SECURITY",
  "HTTP_1_1_REQUIRED",
] as const;

/** Name of an error code, or its hex value when unknown (RFC 9113 §7: unknown codes are not special). */
export function errorName(code: number): string {
  return ERROR_CODES[code] ?? `0x${code.toString(16)}`;
}

/** Name of a frame type, or its number when not one of RFC 9113's. */
export function frameName(type: number): string {
  return FRAME_TYPES[type] ?? `type ${type}`;
}

/** Bytes of a frame header. */
export const FRAME_HEADER_BYTES = 9;
/** The initial and smallest SETTINGS_MAX_FRAME_SIZE (RFC 9113 §6.5.2). */
export const DEFAULT_MAX_FRAME_SIZE = 16384;
/** The largest SETTINGS_MAX_FRAME_SIZE (2^24-1, the length field's range). */
export const MAX_MAX_FRAME_SIZE = 16777215;

/** A frame's header. */
export interface FrameHeader {
  /** Payload length. */
  length: number;
  /** Frame type code. */
  type: number;
  /** Flag bits. */
  flags: number;
  /** Stream identifier (the reserved bit dropped). */
  streamId: number;
}

/** Reads a frame header at `off` (RFC 9113 §4.1: 24-bit length, type, flags, R + 31-bit stream id). */
export function readFrameHeader(b: Uint8Array, off: number): FrameHeader {
  return {
    length: (b[off] << 16) | (b[off + 1] << 8) | b[off + 2],
    type: b[off + 3],
    flags: b[off + 4],
    streamId: readU31(b, off + 5),
  };
}

/** A 31-bit big-endian value, its top (reserved) bit ignored. */
export function readU31(b: Uint8Array, off: number): number {
  return ((b[off] & 0x7f) << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3];
}

/** A 32-bit big-endian value. */
export function readU32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

/** The content of a padded frame, or why the padding is wrong. */
export type Unpadded =
  | { start: number; end: number }
  | { name: "http2_bad_padding" | "http2_bad_frame_size"; error: string };

/**
 * The bounds of a DATA / HEADERS / PUSH_PROMISE payload's content once the Pad Length byte, `fixed` more
 * bytes (priority fields, promised stream id) and the padding are taken off (RFC 9113 §6.1, §6.2, §6.6).
 * Padding as long as the payload or longer is an error.
 */
export function unpad(h: FrameHeader, payload: Uint8Array, fixed: number): Unpadded {
  if ((h.flags & FLAG_PADDED) === 0) {
    if (payload.length >= fixed) return { start: fixed, end: payload.length };
    const error = `${frameName(h.type)} of ${payload.length} bytes is too short`;
    return { name: "http2_bad_frame_size", error };
  }
  const pad = payload.length > 0 ? payload[0] : 0;
  if (payload.length < 1 || 1 + fixed + pad > payload.length) {
    const error = `pad length ${pad} in a ${frameName(h.type)} payload of ${payload.length} bytes`;
    return { name: "http2_bad_padding", error };
  }
  return { start: 1 + fixed, end: payload.length - pad };
}
