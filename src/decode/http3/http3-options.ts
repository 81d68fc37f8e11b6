// The bounds and weird names of the HTTP/3 decoder, shared by its parts.

import { DEFAULT_HTTP_OPTIONS } from "../http/http-decoder.ts";

/** Weird names an HTTP/3 connection emits (each at most once per connection). */
export const HTTP3_WEIRD_NAMES = [
  "http3_bad_frame",
  "http3_frame_too_large",
  "http3_too_many_streams",
  "qpack_bad_field_section",
  "qpack_bad_encoder_instruction",
  "qpack_blocked_stream",
] as const;
export type Http3Weird = (typeof HTTP3_WEIRD_NAMES)[number];

/** Bounds of one HTTP/3 connection. */
export interface Http3Options {
  /** A HEADERS or SETTINGS frame's payload at most. */
  maxFrameBytes: number;
  /** Body bytes kept per message. */
  maxBodyBytes: number;
  /** Body bytes kept over all the connection's messages. */
  maxBodyBudget: number;
  /** Cap on a body after content decoding. */
  maxDecodedBytes: number;
  /** Request streams open at once. */
  maxOpenRequests: number;
  /** Field sections waiting for encoder stream data at once. */
  maxBlocked: number;
  /** Stream bytes held behind one blocked field section. */
  maxHeldBytes: number;
}

/**
 * Defaults: the HTTP/1 decoder's heads (64 KiB) and bodies (8 MiB); 16 MiB of bodies kept per connection;
 * 256 KiB held behind each of at most 64 blocked sections.
 */
export const DEFAULT_HTTP3_OPTIONS: Http3Options = {
  maxFrameBytes: DEFAULT_HTTP_OPTIONS.maxHeadBytes,
  maxBodyBytes: DEFAULT_HTTP_OPTIONS.maxBodyBytes,
  maxBodyBudget: 16 * 1024 * 1024,
  maxDecodedBytes: DEFAULT_HTTP_OPTIONS.maxDecodedBytes,
  maxOpenRequests: 256,
  maxBlocked: 64,
  maxHeldBytes: 256 * 1024,
};
