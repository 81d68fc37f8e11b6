// Sans-IO, incremental parser of one direction of an HTTP/1.x connection (RFC 9112): heads, then bodies
// framed by Content-Length, chunked coding (extensions and trailers) or the connection's end, message after
// message (keep-alive, pipelining). Bytes arrive in any split; every buffer is bounded. The host (one per
// connection) pairs requests with responses and decides what a response's body framing is.

import { BodyBuffer } from "./body-buffer.ts";
import { ChunkedReader, type ChunkSink } from "./chunked.ts";
import { type HeadScan, LineBuffer, plausibleStart, scanHeadEnd } from "./http-bytes.ts";
import type { BodyFraming } from "./http-framing.ts";
import { escapeShort, fieldText, type ParsedHead, parseHead } from "./http-head.ts";
import type { HttpParserHost, HttpParserOptions, PassHandler } from "./http-parser-types.ts";

// Parser states.
const HEAD = 0;
const BODY_LENGTH = 1;
const CHUNKED = 2;
const BODY_CLOSE = 3;
const HOLD = 4;
const PASS = 5;
const DEAD = 6;

/** One direction of an HTTP/1.x connection. */
export class HttpDirection implements ChunkSink {
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
  private readonly line = new LineBuffer();
  private readonly scan: HeadScan = { end: 0, found: false, lineStart: false };
  private readonly chunked: ChunkedReader;
  private headLen = 0;
  private atLineStart = false;
  private remaining = 0;
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
    this.chunked = new ChunkedReader(this, o.maxHeadBytes, o.maxHeaders);
  }

  /** The bytes of the head just parsed; valid only during the host's onHead(). */
  headBytes(): Uint8Array {
    return this.line.buf.subarray(0, this.headLen);
  }

  /** See ChunkSink: trailer fields join the head's. */
  trailer(name: string, value: string): void {
    this.head?.headers.push({ name, value });
  }

  /** See ChunkSink. */
  weird(name: string, detail: string): void {
    this.host.weird(name, detail, this.lastTs, this.lastFrame);
  }

  /** True when this direction reads nothing more (not HTTP, or unrecoverable). */
  get dead(): boolean {
    return this.state === DEAD;
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
          off = this.counted(b, off);
          break;
        case CHUNKED:
          off = this.chunkStep(b, off);
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
    if (this.state === BODY_LENGTH) {
      const n = Math.min(len, this.remaining);
      this.body.skip(n);
      this.remaining -= n;
      this.incomplete = true;
      len -= n;
      if (this.remaining === 0) this.finish();
      if (len === 0) return;
    } else if (this.state === CHUNKED) {
      this.incomplete = true;
      len = this.chunked.gap(len);
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
    this.weird("http_content_gap", `${len} bytes lost, rest of direction unreadable`);
    this.state = DEAD;
  }

  /** The connection ended: a close-delimited or cut message completes here. */
  end(): void {
    if (this.state === BODY_CLOSE) this.finish();
    else if (this.state === BODY_LENGTH || this.state === CHUNKED) {
      // Ending among the trailer fields loses nothing of the body.
      if (!this.chunked.inTrailers || this.state === BODY_LENGTH) this.incomplete = true;
      this.finish();
    } else if (this.state === HEAD && this.line.len > 0 && this.messages > 0) {
      this.weird("http_truncated_head", `${this.line.len} bytes of a head`);
    }
    this.body.release();
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

  private holdBytes(b: Uint8Array): void {
    const take = Math.min(b.length, this.o.maxHeldBytes - this.heldBytes);
    if (take <= 0) return;
    // A copy (the caller reuses its buffer; Buffer#slice would only be a view).
    this.held.push(new Uint8Array(b.subarray(0, take)));
    this.heldBytes += take;
  }

  /** Collects head bytes up to the empty line that ends the head. */
  private headStep(b: Uint8Array, off: number): number {
    if (this.line.len === 0) {
      // RFC 9112 §2.2: empty lines before a start line are ignored (some clients add CRLF after a body).
      while (off < b.length && (b[off] === 0x0d || b[off] === 0x0a)) off++;
      if (off === b.length) return off;
      this.firstTs = this.lastTs;
      this.firstFrame = this.lastFrame;
      this.atLineStart = false;
    }
    const scan = scanHeadEnd(b, off, this.atLineStart, this.scan);
    this.atLineStart = scan.lineStart;
    if (!this.line.append(b, off, scan.end, this.o.maxHeadBytes)) {
      this.weird("http_header_too_long", `head longer than ${this.o.maxHeadBytes} bytes`);
      this.state = DEAD;
      return b.length;
    }
    if (!plausibleStart(this.line.buf, this.line.len)) {
      this.notHttp();
      return b.length;
    }
    if (scan.found) this.headDone();
    return scan.end;
  }

  private notHttp(): void {
    if (this.messages > 0) {
      const text = escapeShort(fieldText(this.line.buf, 0, Math.min(this.line.len, 80)));
      const name = this.kind === "response" ? "http_bad_status_line" : "http_bad_request_line";
      this.host.weird(name, text, this.lastTs, this.lastFrame);
    }
    this.state = DEAD;
  }

  private headDone(): void {
    const weird = (name: string, detail: string): void => this.weird(name, detail);
    const head = parseHead(this.line.buf, this.line.len, this.o.maxHeaders, weird);
    this.headLen = this.line.len;
    this.line.len = 0;
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
    } else if (f.kind === "chunked") {
      this.chunked.reset(head.headers.length);
      this.state = CHUNKED;
    } else if (f.kind === "close") this.state = BODY_CLOSE;
    else if (f.kind === "invalid") {
      this.finish();
      this.state = DEAD;
    } else this.finish();
  }

  /** Body bytes of a known count (Content-Length). */
  private counted(b: Uint8Array, off: number): number {
    const n = Math.min(this.remaining, b.length - off);
    this.body.append(b, off, off + n);
    this.remaining -= n;
    if (this.remaining === 0) this.finish();
    return off + n;
  }

  private chunkStep(b: Uint8Array, off: number): number {
    off = this.chunked.step(b, off);
    if (this.chunked.done) this.finish();
    else if (this.chunked.bad) {
      this.incomplete = true;
      this.finish();
      this.state = DEAD;
      return b.length;
    }
    return off;
  }

  private finish(): void {
    this.messages++;
    this.state = HEAD;
    this.line.len = 0;
    this.host.onMessage(this);
    // The host has handed the body on (synchronously); its buffer and the line buffers go back to pools.
    this.body.release();
    this.line.release();
    this.chunked.release();
  }
}
