// The TLS record layer of one direction (RFC 8446 §5.1, RFC 5246 §6.2): records reassembled across TCP
// segments, handshake messages reassembled across records (§5.1: a message may span records, a record may
// hold several), alerts and ChangeCipherSpec picked out. Ciphertext is skipped by arithmetic, never copied,
// unless a decryptor asked for whole records: then a record inside one segment is handed on as a view of it,
// and one spanning segments is gathered in a buffer the reader reuses, so decrypting allocates nothing per
// record here. Every buffer is bounded.

import { u24 } from "./tls-bytes.ts";
import { CONTENT_TYPE } from "./tls-names.ts";

/** Largest record body accepted: TLSCiphertext may exceed 2^14 by 2048 bytes (RFC 5246 §6.2.3). */
export const MAX_RECORD_BODY = 16384 + 2048;

/** Largest handshake message kept whole; longer ones are cut here (a long chain keeps its leaf). */
export const MAX_HANDSHAKE_KEPT = 64 * 1024;

const EMPTY = new Uint8Array(0);

/**
 * Record buffers no connection is filling right now, shared by all readers: a connection holds one only while
 * a protected record that spans segments is being gathered, so hundreds of quiet TLS connections hold none
 * (they held ~12 KB each). At most MAX_SPARE wait here.
 */
const spare: Uint8Array[] = [];
const MAX_SPARE = 16;

/** A buffer for one whole protected record. */
function takeRecordBuffer(): Uint8Array {
  return spare.pop() ?? new Uint8Array(MAX_RECORD_BODY);
}

/** Gives a record buffer (one takeRecordBuffer made) back for the next record, of any connection. */
function giveRecordBuffer(b: Uint8Array): void {
  if (spare.length < MAX_SPARE) spare.push(b);
}

/** What one direction's record reader reports to the connection. */
export interface RecordEvents {
  /** True once the connection wants nothing more: readers stop mid-segment. */
  readonly halted: boolean;
  /** Whether to keep handshake messages of this type (others are skipped without copying). */
  wantsHandshake(fromOrig: boolean, msgType: number): boolean;
  /** A record header was read. */
  record(fromOrig: boolean, contentType: number, length: number): void;
  /** A whole handshake message body, or its first MAX_HANDSHAKE_KEPT bytes when `truncated`. */
  handshake(fromOrig: boolean, msgType: number, body: Uint8Array, truncated: boolean): void;
  /** A ChangeCipherSpec record ended. */
  changeCipherSpec(fromOrig: boolean): void;
  /** An alert; level and description are -1 when the alert was encrypted. */
  alert(fromOrig: boolean, level: number, description: number): void;
  /** A whole protected record, when the reader `collect`s them (for a decryptor). Valid during the call. */
  protectedRecord(fromOrig: boolean, contentType: number, body: Uint8Array): void;
  /** The bytes are not TLS records (weird name, detail); the reader stops. */
  bad(fromOrig: boolean, name: string, detail: string): void;
}

/** Reassembles handshake messages (type 1 byte, length 3 bytes, body) from a stream of record fragments. */
export class HandshakeAssembler {
  private readonly hdr = new Uint8Array(4);
  private hdrLen = 0;
  private remaining = 0;
  private declared = 0;
  private buf: Uint8Array | undefined = undefined;
  private fill = 0;

  /** Messages of `fromOrig`'s side go to `events`. */
  constructor(
    private readonly fromOrig: boolean,
    private readonly events: RecordEvents,
  ) {}

  /** Takes handshake bytes b[start, end). */
  push(b: Uint8Array, start: number, end: number): void {
    let p = start;
    const ev = this.events;
    while (p < end && !ev.halted) {
      if (this.hdrLen < 4) {
        // Fast path: a whole message inside this fragment is handed on without a copy.
        if (this.hdrLen === 0 && p + 4 <= end && p + 4 + u24(b, p + 1) <= end) {
          const len = u24(b, p + 1);
          if (ev.wantsHandshake(this.fromOrig, b[p])) {
            ev.handshake(this.fromOrig, b[p], b.subarray(p + 4, p + 4 + len), false);
          }
          p += 4 + len;
          continue;
        }
        this.hdr[this.hdrLen++] = b[p++];
        if (this.hdrLen === 4) this.begin();
        continue;
      }
      const take = Math.min(this.remaining, end - p);
      if (this.buf) {
        const room = Math.min(take, this.buf.length - this.fill);
        this.buf.set(b.subarray(p, p + room), this.fill);
        this.fill += room;
      }
      p += take;
      this.remaining -= take;
      if (this.remaining === 0) this.finish();
    }
  }

  /** Drops a partial message (the stream lost sync or turned encrypted). */
  reset(): void {
    this.hdrLen = 0;
    this.remaining = 0;
    this.buf = undefined;
    this.fill = 0;
  }

  private begin(): void {
    this.declared = u24(this.hdr, 1);
    this.remaining = this.declared;
    this.fill = 0;
    const keep = this.events.wantsHandshake(this.fromOrig, this.hdr[0]);
    this.buf = keep ? new Uint8Array(Math.min(this.declared, MAX_HANDSHAKE_KEPT)) : undefined;
    if (this.remaining === 0) this.finish();
  }

  private finish(): void {
    const buf = this.buf;
    const type = this.hdr[0];
    const truncated = this.declared > MAX_HANDSHAKE_KEPT;
    this.reset();
    if (buf) this.events.handshake(this.fromOrig, type, buf, truncated);
  }
}

/** One direction's record reader. */
export class TlsRecordReader {
  /** This side has sent ChangeCipherSpec under TLS ≤ 1.2: its handshake and alert records are encrypted. */
  encrypted = false;
  /** Protected records are assembled whole and handed to `protectedRecord` (set when a decryptor listens). */
  collect = false;
  /** The stream stopped being readable (not TLS, or a gap broke the framing). */
  failed = false;
  /** Handshake messages of this direction. */
  readonly handshakes: HandshakeAssembler;
  private readonly hdr = new Uint8Array(5);
  private hdrLen = 0;
  private inBody = false;
  private type = 0;
  private remaining = 0;
  /** The current record is protected and wanted whole (`collect` was on at its header). */
  private collecting = false;
  /** Buffer gathering the protected record in progress when it spans segments (from the shared spares). */
  private scratch: Uint8Array = EMPTY;
  private bodyFill = 0;
  /** The whole current record as a view of the pushed segment (no copy), when it fitted in one. */
  private direct: Uint8Array | undefined = undefined;
  private alertByte = -1;
  private recordBytes = 0;

  /** Reads `fromOrig`'s side, reporting to `events`. */
  constructor(
    private readonly fromOrig: boolean,
    private readonly events: RecordEvents,
  ) {
    this.handshakes = new HandshakeAssembler(fromOrig, events);
  }

  /** Takes the next in-order bytes of this direction. */
  push(b: Uint8Array): void {
    let p = 0;
    const n = b.length;
    const ev = this.events;
    while (p < n && !this.failed && !ev.halted) {
      if (!this.inBody) {
        if (this.hdrLen === 0 && p + 5 <= n) {
          this.header(b, p);
          p += 5;
        } else {
          this.hdr[this.hdrLen++] = b[p++];
          if (this.hdrLen === 5) this.header(this.hdr, 0);
        }
        continue;
      }
      const take = Math.min(this.remaining, n - p);
      this.content(b, p, p + take);
      p += take;
      this.remaining -= take;
      if (this.remaining === 0) this.endRecord();
    }
  }

  /**
   * `len` bytes of this direction were lost. Inside ciphertext that is only skipped nothing is lost;
   * anywhere else the framing is gone and the reader stops (returns false).
   */
  gap(len: number): boolean {
    if (this.failed) return false;
    if (this.inBody && this.skipping() && len <= this.remaining) {
      this.remaining -= len;
      if (this.remaining === 0) this.endRecord();
      return true;
    }
    this.failed = true;
    this.handshakes.reset();
    return false;
  }

  private skipping(): boolean {
    return (this.isProtected() && !this.collect) || this.type === CONTENT_TYPE.heartbeat;
  }

  private isProtected(): boolean {
    const t = this.type;
    // After ChangeCipherSpec every record is protected, heartbeats too (RFC 6520 §2): a decryptor must see
    // them all or its sequence numbers drift.
    return (
      t === CONTENT_TYPE.applicationData ||
      (this.encrypted &&
        (t === CONTENT_TYPE.handshake || t === CONTENT_TYPE.alert || t === CONTENT_TYPE.heartbeat))
    );
  }

  /** Validates the 5-byte header at b[off] (RFC 8446 §5.1) and starts its body. */
  private header(b: Uint8Array, off: number): void {
    this.hdrLen = 0;
    const type = b[off];
    const version = (b[off + 1] << 8) | b[off + 2];
    const len = (b[off + 3] << 8) | b[off + 4];
    if (
      type < CONTENT_TYPE.changeCipherSpec ||
      type > CONTENT_TYPE.heartbeat ||
      b[off + 1] !== 3 ||
      b[off + 2] > 4
    ) {
      this.fail(
        `record ${this.recordBytes === 0 ? "header" : "after a good one"}: type ${type}, version 0x${version.toString(16)}`,
      );
      return;
    }
    if (len > MAX_RECORD_BODY) {
      this.fail(`record length ${len} > ${MAX_RECORD_BODY}`);
      return;
    }
    this.type = type;
    this.remaining = len;
    this.recordBytes += 5 + len;
    this.inBody = true;
    this.collecting = this.collect && this.isProtected();
    this.bodyFill = 0;
    this.events.record(this.fromOrig, type, len);
    if (len === 0) this.endRecord();
  }

  private fail(detail: string): void {
    this.failed = true;
    this.handshakes.reset();
    this.events.bad(this.fromOrig, "tls_bad_record", detail);
  }

  /** Drops the reused record buffer (the connection ended), and a record half gathered; later ones still come. */
  release(): void {
    if (this.scratch !== EMPTY) giveRecordBuffer(this.scratch);
    this.scratch = EMPTY;
    this.direct = undefined;
    this.collecting = false;
    this.bodyFill = 0;
  }

  private content(b: Uint8Array, s: number, e: number): void {
    if (this.isProtected()) {
      if (this.collecting) this.collectBody(b, s, e);
      return;
    }
    if (this.type === CONTENT_TYPE.handshake) this.handshakes.push(b, s, e);
    else if (this.type === CONTENT_TYPE.alert) this.alertBytes(b, s, e);
  }

  /** Protected record bytes b[s, e) of a wanted record: a view when they are all of it, else a copy. */
  private collectBody(b: Uint8Array, s: number, e: number): void {
    // `remaining` still counts these bytes: equal means the record ends here.
    // Plain views, not b.subarray(): on a Buffer that goes through the species constructor.
    const view = new Uint8Array(b.buffer, b.byteOffset + s, e - s);
    if (this.bodyFill === 0 && e - s === this.remaining) {
      this.direct = view;
      return;
    }
    if (this.scratch === EMPTY) this.scratch = takeRecordBuffer();
    this.scratch.set(view, this.bodyFill);
    this.bodyFill += e - s;
  }

  /** Alerts are 2 bytes (level, description, RFC 5246 §7.2); a record may hold several or split one. */
  private alertBytes(b: Uint8Array, s: number, e: number): void {
    for (let i = s; i < e && !this.events.halted; i++) {
      if (this.alertByte < 0) this.alertByte = b[i];
      else {
        this.events.alert(this.fromOrig, this.alertByte, b[i]);
        this.alertByte = -1;
      }
    }
  }

  private endRecord(): void {
    this.inBody = false;
    const type = this.type;
    const prot = this.isProtected();
    if (prot && this.collecting) {
      this.collecting = false;
      const body = this.direct ?? this.scratch.subarray(0, this.bodyFill);
      this.direct = undefined;
      this.events.protectedRecord(this.fromOrig, type, body);
      // The record was used during the call (decrypted at once); its buffer serves the next one, anywhere.
      if (this.scratch !== EMPTY) {
        giveRecordBuffer(this.scratch);
        this.scratch = EMPTY;
      }
    } else if (prot) {
      if (type === CONTENT_TYPE.alert) this.events.alert(this.fromOrig, -1, -1);
    } else if (type === CONTENT_TYPE.changeCipherSpec) {
      this.events.changeCipherSpec(this.fromOrig);
    }
  }
}
