// The chunked transfer coding (RFC 9112 §7.1): chunk-size lines with extensions, chunk data, the CRLF after
// each chunk, the last chunk and the trailer section, read incrementally from any split of the bytes.

import type { BodyBuffer } from "./body-buffer.ts";
import { LineBuffer, parseChunkSize } from "./http-bytes.ts";
import { fieldText } from "./http-head.ts";

/** Where a chunked reader puts what it reads. */
export interface ChunkSink {
  /** The decoded body. */
  readonly body: BodyBuffer;
  /** A trailer field. */
  trailer(name: string, value: string): void;
  /** A problem (`http_bad_chunk`, `http_header_too_long`, `http_bad_header`). */
  weird(name: string, detail: string): void;
}

const MAX_CHUNK_LINE = 4096;

// Reader states.
const SIZE = 0;
const DATA = 1;
const DATA_END = 2;
const TRAILERS = 3;
const DONE = 4;
const BAD = 5;

/** Reads one chunked body. */
export class ChunkedReader {
  private state = SIZE;
  private remaining = 0;
  private sawCr = false;
  private trailerBytes = 0;
  private fields = 0;
  private readonly line = new LineBuffer();

  /** @param maxTrailerBytes bound of the trailer section; @param maxFields fields allowed in all. */
  constructor(
    private readonly sink: ChunkSink,
    private readonly maxTrailerBytes: number,
    private readonly maxFields: number,
  ) {}

  /** Starts a new body whose head already has `fields` fields. */
  reset(fields: number): void {
    this.state = SIZE;
    this.line.len = 0;
    this.fields = fields;
  }

  /** Gives the line buffer's storage back (between bodies). */
  release(): void {
    this.line.len = 0;
    this.line.release();
  }

  /** The last chunk and trailer section were read. */
  get done(): boolean {
    return this.state === DONE;
  }

  /** The body cannot be read on (a weird said why). */
  get bad(): boolean {
    return this.state === BAD;
  }

  /** In the trailer section: all data was read, so ending here loses nothing. */
  get inTrailers(): boolean {
    return this.state === TRAILERS;
  }

  /** Reads from b[off]; returns where it stopped (at `done`/`bad`, or the end of b). */
  step(b: Uint8Array, off: number): number {
    while (off < b.length && this.state < DONE) {
      if (this.state === DATA) off = this.data(b, off);
      else if (this.state === SIZE) off = this.size(b, off);
      else if (this.state === DATA_END) off = this.dataEnd(b, off);
      else off = this.trailers(b, off);
    }
    return off;
  }

  /** `len` lost bytes: absorbed when they fall inside chunk data; returns the bytes that did not. */
  gap(len: number): number {
    if (this.state !== DATA) return len;
    const n = Math.min(len, this.remaining);
    this.sink.body.skip(n);
    this.remaining -= n;
    if (this.remaining === 0) this.toDataEnd();
    return len - n;
  }

  private data(b: Uint8Array, off: number): number {
    const n = Math.min(this.remaining, b.length - off);
    this.sink.body.append(b, off, off + n);
    this.remaining -= n;
    if (this.remaining === 0) this.toDataEnd();
    return off + n;
  }

  private toDataEnd(): void {
    this.state = DATA_END;
    this.sawCr = false;
  }

  /** chunk-size [ chunk-ext ] CRLF; the line is bounded. */
  private size(b: Uint8Array, off: number): number {
    let e = b.indexOf(0x0a, off);
    const found = e >= 0;
    if (!found) e = b.length;
    if (!this.line.append(b, off, found ? e + 1 : e, MAX_CHUNK_LINE))
      return this.fail("chunk-size line too long");
    if (!found) return e;
    const size = parseChunkSize(this.line.buf, this.line.len);
    this.line.len = 0;
    if (size < 0) return this.fail("bad chunk-size line");
    if (size === 0) {
      this.state = TRAILERS;
      this.trailerBytes = 0;
    } else {
      this.remaining = size;
      this.state = DATA;
    }
    return e + 1;
  }

  /** The CRLF after chunk data (a bare LF is tolerated). */
  private dataEnd(b: Uint8Array, off: number): number {
    const c = b[off];
    if (c === 0x0d && !this.sawCr) {
      this.sawCr = true;
      return off + 1;
    }
    if (c === 0x0a) {
      this.state = SIZE;
      return off + 1;
    }
    return this.fail(`0x${c.toString(16)} after chunk data instead of CRLF`);
  }

  /** trailer-section CRLF (RFC 9112 §7.1.2), bounded like a head. */
  private trailers(b: Uint8Array, off: number): number {
    let e = b.indexOf(0x0a, off);
    const found = e >= 0;
    if (!found) e = b.length;
    this.trailerBytes += e - off;
    if (this.trailerBytes > this.maxTrailerBytes || !this.line.append(b, off, e, MAX_CHUNK_LINE)) {
      this.sink.weird("http_header_too_long", "chunked trailer section too long");
      this.state = BAD;
      return b.length;
    }
    if (!found) return e;
    let len = this.line.len;
    if (len > 0 && this.line.buf[len - 1] === 0x0d) len--;
    this.line.len = 0;
    if (len === 0) this.state = DONE;
    else this.trailerField(len);
    return e + 1;
  }

  private trailerField(len: number): void {
    const buf = this.line.buf;
    const colon = buf.indexOf(0x3a);
    if (colon <= 0 || colon >= len || this.fields >= this.maxFields) {
      this.sink.weird("http_bad_header", "bad or surplus trailer field");
      return;
    }
    this.fields++;
    this.sink.trailer(
      fieldText(buf, 0, colon),
      fieldText(buf, colon + 1, len).replace(/^[ \t]+|[ \t]+$/g, ""),
    );
  }

  private fail(why: string): number {
    this.sink.weird("http_bad_chunk", why);
    this.state = BAD;
    return Number.MAX_SAFE_INTEGER;
  }
}
