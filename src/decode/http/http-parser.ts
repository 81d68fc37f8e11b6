// Sans-IO, incremental parser of one direction of an HTTP/1.x connection (RFC 9112): heads, then bodies
// framed by Content-Length, chunked coding (extensions and trailers) or the connection's end, message after
// message (keep-alive, pipelining). Bytes arrive in any split; every buffer is bounded. The host (one per
// connection) pairs requests with responses and decides what a response's body framing is.

import { BodyBuffer } from "./body-buffer.ts";
import type { BodyFraming } from "./http-framing.ts";
import { escapeShort, fieldText, looksLikeResponse, type ParsedHead, parseHead } from "./http-head.ts";

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

// Parser states.
const HEAD = 0;
const BODY_LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_END = 4;
const TRAILERS = 5;
const BODY_CLOSE = 6;
const HOLD = 7;
const PASS = 8;
const DEAD = 9;

const MAX_CHUNK_LINE = 4096;

/** One direction of an HTTP/1.x connection. */
export class HttpDirection {
  /** Whether this direction carries requests or responses (set by its first message). */
  kind: "request" | "response" | undefined;
  /** Messages completed. */
  messages = 0;
  /** Head of the current message. */
  head: ParsedHead | undefined;
  /** Framing of the current message. */
  framing: BodyFraming | undefined;
  /** Body of the current message. */
  readonly body: BodyBuffer;
  /** True when the current body ended before its framing said (gap, or end of the connection). */
  incomplete = false;
  /** Time and frame of the message's first and latest bytes. */
  firstTs = 0;
  firstFrame = 0;
  lastTs = 0;
  lastFrame = 0;

  private state = HEAD;
  private line: Buffer = Buffer.allocUnsafe(512);
  private lineLen = 0;
  private headLen = 0;
  private atLineStart = false;
  private remaining = 0;
  private sawCr = false;
  private trailerBytes = 0;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private pass: PassHandler | undefined;

  /** @param fromOrig whether this is the originator's direction. */
  constructor(
    readonly fromOrig: boolean,
    private readonly host: HttpParserHost,
    private readonly o: HttpParserOptions,
  ) {
    this.body = new BodyBuffer(o.maxBodyBytes);
  }

  /** The bytes of the head just parsed; valid only during the host's onHead(). */
  headBytes(): Uint8Array {
    return this.line.subarray(0, this.headLen);
  }

  /** True when this direction reads nothing more (not HTTP, or unrecoverable). */
  get dead(): boolean {
    return this.state === DEAD;
  }

  /** True while between messages with nothing buffered. */
  get idle(): boolean {
    return this.state === HEAD && this.lineLen === 0;
  }

  /** Feeds bytes. */
  push(b: Uint8Array, ts: number, frame: number): void {
    this.lastTs = ts;
    this.lastFrame = frame;
    let off = 0;
    while (off < b.length) {
      switch (this.state) {
        case HEAD:
          off = this.headStep(b, off);
          break;
        case BODY_LENGTH:
        case CHUNK_DATA:
          off = this.counted(b, off);
          break;
        case CHUNK_SIZE:
          off = this.chunkSize(b, off);
          break;
        case CHUNK_END:
          off = this.chunkEnd(b, off);
          break;
        case TRAILERS:
          off = this.trailers(b, off);
          break;
        case BODY_CLOSE:
          this.body.append(b, off, b.length);
          off = b.length;
          break;
        case HOLD:
          this.holdBytes(b.subarray(off));
          off = b.length;
          break;
        case PASS:
          this.pass!.data(off === 0 ? b : b.subarray(off), ts, frame);
          off = b.length;
          break;
        default:
          return;
      }
    }
  }

  /** `len` bytes of this direction were never seen. */
  gap(len: number): void {
    if (this.state === BODY_LENGTH || this.state === CHUNK_DATA) {
      const n = Math.min(len, this.remaining);
      this.body.skip(n);
      this.remaining -= n;
      this.incomplete = true;
      len -= n;
      if (this.remaining === 0) {
        if (this.state === BODY_LENGTH) this.finish();
        else this.state = CHUNK_END;
      }
      if (len === 0) return;
    } else if (this.state === BODY_CLOSE) {
      this.body.skip(len);
      this.incomplete = true;
      return;
    } else if (this.state === PASS) {
      this.pass!.gap(len);
      return;
    } else if (this.state === HOLD || this.state === DEAD) return;
    // Inside a head or chunk framing, the next message boundary cannot be found again.
    this.host.weird(
      "http_content_gap",
      `${len} bytes lost, rest of direction unreadable`,
      this.lastTs,
      this.lastFrame,
    );
    this.state = DEAD;
  }

  /** The connection ended: a close-delimited or cut message completes here. */
  end(): void {
    switch (this.state) {
      case BODY_CLOSE:
      case TRAILERS:
        this.finish();
        break;
      case BODY_LENGTH:
      case CHUNK_SIZE:
      case CHUNK_DATA:
      case CHUNK_END:
        this.incomplete = true;
        this.finish();
        break;
      case HEAD:
        if (this.lineLen > 0 && this.messages > 0) {
          this.host.weird(
            "http_truncated_head",
            `${this.lineLen} bytes of a head`,
            this.lastTs,
            this.lastFrame,
          );
        }
        break;
    }
    this.state = DEAD;
  }

  /** Holds further bytes (bounded) until `release`: a CONNECT or Upgrade request awaits its answer. */
  hold(): void {
    if (this.state === HEAD) this.state = HOLD;
  }

  /** Ends a hold: held and later bytes are parsed as HTTP again (`handler` undefined) or go to `handler`. */
  release(handler?: PassHandler): void {
    if (this.state !== HOLD) {
      if (handler && this.state !== DEAD) this.passTo(handler);
      return;
    }
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    if (handler) this.passTo(handler);
    else this.state = HEAD;
    for (const b of held) this.push(b, this.lastTs, this.lastFrame);
  }

  /** From now on the direction's bytes go to `handler` (WebSocket frames, or a tunnel to ignore). */
  passTo(handler: PassHandler): void {
    this.pass = handler;
    this.state = PASS;
  }

  /** Stops reading this direction. */
  kill(): void {
    this.state = DEAD;
  }

  private holdBytes(b: Uint8Array): void {
    const take = Math.min(b.length, this.o.maxHeldBytes - this.heldBytes);
    if (take <= 0) return;
    this.held.push(b.slice(0, take));
    this.heldBytes += take;
  }

  /** Collects head bytes up to the empty line that ends the head. */
  private headStep(b: Uint8Array, off: number): number {
    if (this.lineLen === 0) {
      // RFC 9112 §2.2: empty lines before a start line are ignored (some clients add CRLF after a body).
      while (off < b.length && (b[off] === 0x0d || b[off] === 0x0a)) off++;
      if (off === b.length) return off;
      this.firstTs = this.lastTs;
      this.firstFrame = this.lastFrame;
      this.atLineStart = false;
    }
    // Jump from line end to line end (native indexOf); the head ends at a line that is empty or a bare CR.
    let i = off;
    let found = false;
    let ls = this.atLineStart;
    while (i < b.length) {
      if (ls) {
        if (b[i] === 0x0a || (b[i] === 0x0d && b[i + 1] === 0x0a)) {
          i += b[i] === 0x0a ? 1 : 2;
          found = true;
          break;
        }
        if (b[i] === 0x0d && i + 1 === b.length) {
          i++;
          break; // a CR at the end of the bytes: the LF that may follow decides
        }
        ls = false;
      }
      const lf = b.indexOf(0x0a, i);
      if (lf < 0) {
        i = b.length;
        break;
      }
      i = lf + 1;
      ls = true;
    }
    this.atLineStart = ls;
    if (!this.appendLine(b, off, i, this.o.maxHeadBytes)) {
      this.host.weird(
        "http_header_too_long",
        `head longer than ${this.o.maxHeadBytes} bytes`,
        this.lastTs,
        this.lastFrame,
      );
      this.state = DEAD;
      return b.length;
    }
    if (!this.plausibleStart()) {
      this.notHttp();
      return b.length;
    }
    if (found) this.headDone();
    return i;
  }

  private appendLine(b: Uint8Array, s: number, e: number, max: number): boolean {
    const n = e - s;
    if (this.lineLen + n > max) return false;
    if (this.lineLen + n > this.line.length) {
      const next = Buffer.allocUnsafe(Math.min(max, Math.max(this.line.length * 2, this.lineLen + n)));
      this.line.copy(next, 0, 0, this.lineLen);
      this.line = next;
    }
    this.line.set(b.subarray(s, e), this.lineLen);
    this.lineLen += n;
    return true;
  }

  /** Whether the bytes so far can start a request line (token then space) or a status line (`HTTP/`). */
  private plausibleStart(): boolean {
    const b = this.line;
    const n = Math.min(this.lineLen, 24);
    if (b[0] === 0x48 && n < 5) return "HTTP/".startsWith(b.toString("latin1", 0, n)) || isTokenRun(b, n);
    if (n >= 5 && looksLikeResponse(b, 0)) return true;
    for (let i = 0; i < n; i++) {
      const c = b[i];
      if (c === 0x20) return i > 0;
      if (!isTchar(c)) return false;
    }
    return n < 24;
  }

  private notHttp(): void {
    if (this.messages > 0) {
      const text = escapeShort(fieldText(this.line, 0, Math.min(this.lineLen, 80)));
      const name = this.kind === "response" ? "http_bad_status_line" : "http_bad_request_line";
      this.host.weird(name, text, this.lastTs, this.lastFrame);
    }
    this.state = DEAD;
  }

  private headDone(): void {
    const weird = (name: string, detail: string): void =>
      this.host.weird(name, detail, this.lastTs, this.lastFrame);
    const head = parseHead(this.line, this.lineLen, this.o.maxHeaders, weird);
    this.headLen = this.lineLen;
    this.lineLen = 0;
    if (!head || (this.kind !== undefined && head.kind !== this.kind)) {
      if (head)
        weird(
          head.kind === "request" ? "http_bad_status_line" : "http_bad_request_line",
          "message of the other kind",
        );
      this.state = DEAD;
      return;
    }
    this.kind = head.kind;
    this.head = head;
    this.incomplete = false;
    const f = this.host.onHead(this, head);
    this.framing = f;
    this.body.reset(f.kind === "length" ? f.length : 0);
    if (f.kind === "length") {
      this.remaining = f.length;
      this.state = BODY_LENGTH;
    } else if (f.kind === "chunked") this.state = CHUNK_SIZE;
    else if (f.kind === "close") this.state = BODY_CLOSE;
    else if (f.kind === "invalid") {
      this.finish();
      this.state = DEAD;
    } else this.finish();
  }

  /** Body bytes of a known count (Content-Length body, or chunk data). */
  private counted(b: Uint8Array, off: number): number {
    const n = Math.min(this.remaining, b.length - off);
    this.body.append(b, off, off + n);
    this.remaining -= n;
    if (this.remaining === 0) {
      if (this.state === BODY_LENGTH) this.finish();
      else {
        this.state = CHUNK_END;
        this.sawCr = false;
      }
    }
    return off + n;
  }

  /** chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1); the size line is bounded. */
  private chunkSize(b: Uint8Array, off: number): number {
    let e = b.indexOf(0x0a, off);
    const found = e >= 0;
    if (!found) e = b.length;
    if (!this.appendLine(b, off, found ? e + 1 : e, MAX_CHUNK_LINE))
      return this.badChunk("chunk-size line too long");
    if (!found) return e;
    const size = parseChunkSize(this.line, this.lineLen);
    this.lineLen = 0;
    if (size < 0) return this.badChunk("bad chunk-size line");
    if (size === 0) {
      this.state = TRAILERS;
      this.trailerBytes = 0;
    } else {
      this.remaining = size;
      this.state = CHUNK_DATA;
    }
    return e + 1;
  }

  /** The CRLF after chunk data (a bare LF is tolerated). */
  private chunkEnd(b: Uint8Array, off: number): number {
    const c = b[off];
    if (c === 0x0d && !this.sawCr) {
      this.sawCr = true;
      return off + 1;
    }
    if (c === 0x0a) {
      this.state = CHUNK_SIZE;
      return off + 1;
    }
    return this.badChunk(`0x${c.toString(16)} after chunk data instead of CRLF`);
  }

  /** trailer-section CRLF (RFC 9112 §7.1.2): fields appended to the head's, bounded like a head. */
  private trailers(b: Uint8Array, off: number): number {
    let e = b.indexOf(0x0a, off);
    const found = e >= 0;
    if (!found) e = b.length;
    this.trailerBytes += e - off;
    if (this.trailerBytes > this.o.maxHeadBytes || !this.appendLine(b, off, e, MAX_CHUNK_LINE)) {
      this.host.weird(
        "http_header_too_long",
        "chunked trailer section too long",
        this.lastTs,
        this.lastFrame,
      );
      this.state = DEAD;
      return b.length;
    }
    if (!found) return e;
    let len = this.lineLen;
    if (len > 0 && this.line[len - 1] === 0x0d) len--;
    this.lineLen = 0;
    if (len === 0) this.finish();
    else this.trailerField(len);
    return e + 1;
  }

  private trailerField(len: number): void {
    const colon = this.line.indexOf(0x3a);
    const head = this.head!;
    if (colon <= 0 || colon >= len || head.headers.length >= this.o.maxHeaders) {
      this.host.weird("http_bad_header", "bad or surplus trailer field", this.lastTs, this.lastFrame);
      return;
    }
    const value = fieldText(this.line, colon + 1, len).replace(/^[ \t]+|[ \t]+$/g, "");
    head.headers.push({ name: fieldText(this.line, 0, colon), value });
  }

  private badChunk(why: string): number {
    this.host.weird("http_bad_chunk", why, this.lastTs, this.lastFrame);
    this.incomplete = true;
    this.finish();
    this.state = DEAD;
    return Number.MAX_SAFE_INTEGER;
  }

  private finish(): void {
    this.messages++;
    this.state = HEAD;
    this.lineLen = 0;
    this.host.onMessage(this);
  }
}

/** Size of a chunk-size line, or -1 when it is not `1*HEXDIG [ BWS ";" chunk-ext ]`. */
export function parseChunkSize(b: Uint8Array, len: number): number {
  let n = 0;
  let digits = 0;
  let i = 0;
  for (; i < len; i++) {
    const c = b[i];
    const v =
      c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
    if (v < 0) break;
    // 13 hex digits (2^52) is past any body worth keeping and still an exact JS integer.
    if (++digits > 13) return -1;
    n = n * 16 + v;
  }
  if (digits === 0) return -1;
  while (i < len && (b[i] === 0x20 || b[i] === 0x09)) i++;
  if (i < len && b[i] !== 0x3b && b[i] !== 0x0d && b[i] !== 0x0a) return -1;
  return n;
}

function isTchar(c: number): boolean {
  // RFC 9110 §5.6.2: ALPHA / DIGIT / "!#$%&'*+-.^_`|~"
  if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) return true;
  return (
    c === 0x21 ||
    (c >= 0x23 && c <= 0x27) ||
    c === 0x2a ||
    c === 0x2b ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5e ||
    c === 0x5f ||
    c === 0x60 ||
    c === 0x7c ||
    c === 0x7e
  );
}

function isTokenRun(b: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (!isTchar(b[i])) return false;
  return true;
}
