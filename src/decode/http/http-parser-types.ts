// What a direction parser (http-parser.ts) and its connection (http-session.ts) exchange: the bounds, the
// host callbacks, and the handler that takes a direction's bytes once they stop being HTTP messages.

import type { BodyFraming } from "./http-framing.ts";
import type { ParsedHead } from "./http-head.ts";
import type { HttpDirection } from "./http-parser.ts";

/** Weird names the direction parser reports itself (head and framing weirds come from their modules). */
export const HTTP_PARSER_WEIRD_NAMES = [
  "http_header_too_long",
  "http_bad_chunk",
  "http_content_gap",
  "http_truncated_head",
] as const;

/** Bounds of a direction. */
export interface HttpParserOptions {
  /** Bytes of a message head (start line + fields) at most (default 64 KiB). */
  maxHeadBytes: number;
  /** Header fields kept per message (default 256). */
  maxHeaders: number;
  /** Body bytes kept per message for the detector (default 8 MiB); the rest is counted. */
  maxBodyBytes: number;
  /** Bytes held while a CONNECT or Upgrade waits for its answer (default 64 KiB). */
  maxHeldBytes: number;
}

/** Receives a direction's bytes once they are no longer HTTP messages (WebSocket frames, a tunnel). */
export interface PassHandler {
  /** Bytes of the direction, in order. */
  data(b: Uint8Array, ts: number, frame: number): void;
  /** `len` bytes were never seen. */
  gap(len: number): void;
}

/** What a direction needs from its connection. */
export interface HttpParserHost {
  /** A head is complete: how is its body framed? (A response's framing depends on its request.) */
  onHead(dir: HttpDirection, head: ParsedHead): BodyFraming;
  /** The message (head, body, trailers) is complete; `dir.head`, `dir.body` ... describe it. */
  onMessage(dir: HttpDirection): void;
  /** A weird, at the direction's current packet. */
  weird(name: string, detail: string, ts: number, frame: number): void;
}
