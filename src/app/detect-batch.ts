// The wire format between the main thread and the detector worker: detector calls (`payload`,
// `endConnection`) packed into batches. One batch is two transferable buffers (numbers per call, payload
// bytes back to back) plus the few strings and connections it names, so a postMessage carries hundreds of
// calls and moves no bytes between threads; the worker hands the buffers back for reuse.

import type { PayloadChunk } from "../decode/stream-decoder.ts";
import type { ConnId } from "../model/conn.ts";
import type { FindingRecord } from "../model/finding.ts";

/** Payload bytes one standard batch holds; a larger payload travels alone in a batch of its own size. */
export const BATCH_DATA_BYTES = 1 << 20;
/** Calls one standard batch holds (a batch averages under a hundred on a phone capture). */
export const BATCH_MAX_OPS = 2048;

/** The two kinds of call, in the order the detector must see them. */
export const BATCH_OPS = ["payload", "end"] as const;
export type BatchOp = (typeof BATCH_OPS)[number];

/**
 * One call is BATCH_STRIDE float64 slots: op, uid, layer, flags, ts, frame, index, transport, conn, offset,
 * length. Strings and connections are indexes into the batch's tables; -1 means absent.
 */
export const BATCH_STRIDE = 11;
const FROM_ORIG = 1;

/** A batch as posted to the worker. */
export interface BatchMessage {
  type: "batch";
  /** Sequence number of the first call (calls are numbered from 1 over the pool's life). */
  first: number;
  /** Calls in the batch. */
  count: number;
  /** BATCH_STRIDE numbers per call. */
  meta: Float64Array<ArrayBuffer>;
  /** Payload bytes; each call names its offset and length. */
  data: Uint8Array<ArrayBuffer>;
  /** Strings the calls name (uids, layers, transports). */
  strings: string[];
  /** Connections the payloads belong to. */
  conns: ConnId[];
}

/** The worker's answer to one batch. */
export interface AckMessage {
  type: "ack";
  /** Every call up to this sequence number has been processed. */
  upTo: number;
  /** Findings, in the order the detector emitted them. */
  findings: FindingRecord[];
  /** For each finding, the sequence number of the call that produced it (non-decreasing). */
  seqs: number[];
  /** The batch's buffers, returned for reuse. */
  meta: Float64Array<ArrayBuffer>;
  data: Uint8Array<ArrayBuffer>;
}

/** Fills one batch. `add*` return false when the batch is full: post it and start another. */
export class BatchWriter {
  private ops = 0;
  private used = 0;
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly conns: ConnId[] = [];
  private readonly connIndex = new Map<ConnId, number>();
  private readonly maxOps: number;

  /** Calls go into `meta` (BATCH_STRIDE slots each), their bytes into `data`. */
  constructor(
    private readonly meta: Float64Array<ArrayBuffer>,
    private readonly data: Uint8Array<ArrayBuffer>,
  ) {
    this.maxOps = Math.floor(meta.length / BATCH_STRIDE);
  }

  /** Calls written so far. */
  get size(): number {
    return this.ops;
  }

  /** Appends a payload call, copying its bytes. */
  addPayload(p: PayloadChunk, conn: ConnId): boolean {
    if (this.ops >= this.maxOps || this.used + p.data.length > this.data.length) return false;
    const m = this.slot(0, p.uid);
    const meta = this.meta;
    meta[m + 2] = this.str(p.layer);
    meta[m + 3] = p.fromOrig ? FROM_ORIG : 0;
    meta[m + 4] = p.ts;
    meta[m + 5] = p.frame ?? -1;
    meta[m + 6] = p.index ?? -1;
    meta[m + 7] = p.transport === undefined ? -1 : this.str(p.transport);
    meta[m + 8] = this.conn(conn);
    meta[m + 9] = this.used;
    meta[m + 10] = p.data.length;
    this.data.set(p.data, this.used);
    this.used += p.data.length;
    return true;
  }

  /** Appends an endConnection call. */
  addEnd(uid: string): boolean {
    if (this.ops >= this.maxOps) return false;
    this.slot(1, uid);
    return true;
  }

  /** The finished batch; `first` is the sequence number of its first call. */
  message(first: number): BatchMessage {
    return {
      type: "batch",
      first,
      count: this.ops,
      meta: this.meta,
      data: this.data,
      strings: this.strings,
      conns: this.conns,
    };
  }

  private slot(op: number, uid: string): number {
    const m = this.ops * BATCH_STRIDE;
    this.ops++;
    this.meta[m] = op;
    this.meta[m + 1] = this.str(uid);
    return m;
  }

  private str(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  private conn(c: ConnId): number {
    let i = this.connIndex.get(c);
    if (i === undefined) {
      i = this.conns.length;
      this.conns.push(c);
      this.connIndex.set(c, i);
    }
    return i;
  }
}

/** Receives a batch's calls in order. */
export interface BatchHandler {
  /** A payload; `p.data` is a view into the batch, valid during the call only. */
  payload(p: PayloadChunk, conn: ConnId, seq: number): void;
  /** A connection ended. */
  end(uid: string, seq: number): void;
}

/** Replays a batch's calls. A call the writer could not have produced is an internal error and throws. */
export function readBatch(b: BatchMessage, h: BatchHandler): void {
  const { meta, data, strings, conns } = b;
  for (let i = 0; i < b.count; i++) {
    const m = i * BATCH_STRIDE;
    const seq = b.first + i;
    const uid = strings[meta[m + 1]];
    if (uid === undefined) throw new Error(`detect batch: malformed call ${seq}`);
    if (meta[m] === 1) {
      h.end(uid, seq);
      continue;
    }
    const conn = conns[meta[m + 8]];
    const off = meta[m + 9];
    const len = meta[m + 10];
    if (meta[m] !== 0 || conn === undefined || off + len > data.length) {
      throw new Error(`detect batch: malformed call ${seq}`);
    }
    const p: PayloadChunk = {
      uid,
      layer: strings[meta[m + 2]],
      data: data.subarray(off, off + len),
      fromOrig: (meta[m + 3] & FROM_ORIG) !== 0,
      ts: meta[m + 4],
    };
    if (meta[m + 5] >= 0) p.frame = meta[m + 5];
    if (meta[m + 6] >= 0) p.index = meta[m + 6];
    if (meta[m + 7] >= 0) p.transport = strings[meta[m + 7]] as PayloadChunk["transport"];
    h.payload(p, conn, seq);
  }
}
