// Chunk framing shared by the pcap and pcapng parsers. Input arrives in chunks of any size; records are
// handed to the subclass in place (zero-copy) when they lie inside one chunk, and only a record that
// straddles chunks is copied into a tail buffer, which never grows past `maxRecordBytes`.

import { CaptureError, type CaptureHandler } from "./capture-events.ts";

/** Default bound on one record (pcap record or pcapng block), bytes. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** Options every capture parser takes. */
export interface ParserOptions {
  /** The input's name, for error messages (path, or `-` for stdin). */
  file: string;
  /** Largest record accepted; a record claiming more is a problem and reading stops. */
  maxRecordBytes?: number;
}

/** A tail buffer above this size is released once its record is done, so one huge record costs once. */
const TAIL_KEEP_BYTES = 1024 * 1024;

const EMPTY = new Uint8Array(0);

/** Base of the sans-IO parsers: `push(chunk)` any number of times, then `end()`. */
export abstract class RecordFramer {
  /** Callbacks the parser drives. */
  protected readonly handler: CaptureHandler;
  /** The input's name. */
  protected readonly file: string;
  /** Bound on one record. */
  protected readonly maxRecordBytes: number;
  /** Absolute offset of the record being framed (the next unread record between calls). */
  protected recordStart = 0;
  /** False until the file header was accepted; failures before that throw a CaptureError. */
  protected headerDone = false;
  /** Set once reading stopped after a problem; later input is ignored. */
  protected stopped = false;

  private tail: Uint8Array = EMPTY;
  private tailView = new DataView(EMPTY.buffer);
  private tailLen = 0;
  /** Full length of the record in the tail, 0 while its header is still incomplete. */
  private tailNeed = 0;
  private ended = false;

  constructor(handler: CaptureHandler, opts: ParserOptions) {
    this.handler = handler;
    this.file = opts.file;
    this.maxRecordBytes = Math.max(64, opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
  }

  /** Bytes needed at a record start before `recordLength` can answer. */
  protected abstract headerBytes(): number;

  /**
   * Full length of the record starting at `pos` (at least `headerBytes()` bytes are present), or -1
   * after the subclass called `fail` for it.
   */
  protected abstract recordLength(buf: Uint8Array, view: DataView, pos: number): number;

  /** Handles one complete record of `len` bytes at `pos`; `recordStart` is its absolute offset. */
  protected abstract record(buf: Uint8Array, view: DataView, pos: number, len: number): void;

  /** Feeds the next bytes of the input. The chunk is not kept after the call returns. */
  push(chunk: Uint8Array): void {
    if (this.stopped || this.ended || chunk.length === 0) return;
    let pos = 0;
    if (this.tailLen > 0) {
      pos = this.completeTail(chunk);
      if (pos < 0) return;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = chunk.length;
    let pending = 0;
    while (!this.stopped) {
      const avail = end - pos;
      if (avail < this.headerBytes()) break;
      const len = this.frameLength(chunk, view, pos);
      if (len < 0) break;
      if (len > avail) {
        pending = len;
        break;
      }
      this.record(chunk, view, pos, len);
      pos += len;
      this.recordStart += len;
    }
    if (!this.stopped && pos < end) this.saveTail(chunk, pos, end, pending);
  }

  /** Signals the end of input: a partial record left over becomes a `capture_truncated` problem. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stopped) return;
    if (!this.headerDone) {
      const what = this.tailLen === 0 ? "no capture header (empty input)" : "capture header is cut short";
      throw new CaptureError(this.file, this.recordStart, `${what}: ${this.tailLen} bytes`);
    }
    if (this.tailLen > 0) {
      const need = this.tailNeed > 0 ? `${this.tailNeed}-byte record` : "record header";
      this.problem("capture_truncated", this.recordStart, `input ends ${this.tailLen} bytes into a ${need}`);
      this.stopped = true;
      this.releaseTail();
    }
  }

  /** Reports a problem that does not stop reading. */
  protected problem(name: string, offset: number, detail: string): void {
    this.handler.problem?.({ name, offset, detail });
  }

  /**
   * A fatal defect: before the header was accepted it throws a CaptureError (the input is unreadable),
   * afterwards it is reported as a problem and reading stops (everything before stays processed).
   */
  protected fail(name: string, offset: number, detail: string): void {
    if (!this.headerDone) throw new CaptureError(this.file, offset, detail);
    this.problem(name, offset, detail);
    this.stopped = true;
    this.releaseTail();
  }

  /** `recordLength` plus the size bound; -1 when reading stopped. */
  private frameLength(buf: Uint8Array, view: DataView, pos: number): number {
    const len = this.recordLength(buf, view, pos);
    if (len < 0 || this.stopped) return -1;
    if (len > this.maxRecordBytes) {
      this.fail(
        "capture_record_too_large",
        this.recordStart,
        `record claims ${len} bytes, more than the ${this.maxRecordBytes}-byte limit`,
      );
      return -1;
    }
    return len;
  }

  /** Finishes the record held in the tail with bytes from `chunk`; returns where the chunk continues, or -1. */
  private completeTail(chunk: Uint8Array): number {
    let pos = 0;
    if (this.tailNeed === 0) {
      pos = this.appendTail(chunk, pos, this.headerBytes());
      if (this.tailLen < this.headerBytes()) return -1;
      const len = this.frameLength(this.tail, this.tailView, 0);
      if (len < 0) return -1;
      this.tailNeed = len;
    }
    pos = this.appendTail(chunk, pos, this.tailNeed);
    if (this.tailLen < this.tailNeed) return -1;
    const len = this.tailNeed;
    this.tailLen = 0;
    this.tailNeed = 0;
    this.record(this.tail, this.tailView, 0, len);
    this.recordStart += len;
    if (this.tail.length > TAIL_KEEP_BYTES) this.releaseTail();
    return this.stopped ? -1 : pos;
  }

  /** Copies bytes from `chunk[pos..]` into the tail until it holds `target` bytes; returns the new pos. */
  private appendTail(chunk: Uint8Array, pos: number, target: number): number {
    const n = Math.min(target - this.tailLen, chunk.length - pos);
    if (n <= 0) return pos;
    this.reserveTail(this.tailLen + n);
    this.tail.set(chunk.subarray(pos, pos + n), this.tailLen);
    this.tailLen += n;
    return pos + n;
  }

  /** Keeps the unfinished record at the end of a chunk; `need` is its length when already known (else 0). */
  private saveTail(chunk: Uint8Array, pos: number, end: number, need: number): void {
    this.tailLen = 0;
    this.tailNeed = need;
    this.appendTail(chunk, pos, end - pos);
  }

  private reserveTail(size: number): void {
    if (size <= this.tail.length) return;
    // Grow geometrically, but never past the record bound: the tail only ever holds one record.
    const cap = Math.min(Math.max(size, this.tail.length * 2, 4096), Math.max(size, this.maxRecordBytes));
    const next = new Uint8Array(cap);
    next.set(this.tail.subarray(0, this.tailLen));
    this.tail = next;
    this.tailView = new DataView(next.buffer);
  }

  private releaseTail(): void {
    this.tail = EMPTY;
    this.tailView = new DataView(EMPTY.buffer);
    this.tailLen = 0;
    this.tailNeed = 0;
  }
}
