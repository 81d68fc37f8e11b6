// Zstandard content decoding (RFC 8878, HTTP content coding `zstd` per RFC 9659) on top of `fzstd`, bounded:
// each frame header is read here first, so a frame that announces a window or content size beyond the bound
// is refused before fzstd allocates it, and output is counted block by block so a bomb stops at the cap.

import { decodeFrameGuarded } from "./zstd-worker.ts";

/** What one zstd decode produced. */
export interface ZstdResult {
  /** Decoded bytes, at most the cap. */
  data: Uint8Array;
  /** Why decoding stopped early: the cap was reached, or the data is not valid zstd. */
  problem?: "limit" | "corrupt";
  /** Specifics for the weird. */
  detail?: string;
}

/** Window size RFC 9659 §3 lets an HTTP zstd encoder use; larger windows are allowed only up to the cap. */
export const ZSTD_HTTP_WINDOW = 8 * 1024 * 1024;

const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

class LimitReached extends Error {}

function u32le(b: Uint8Array, off: number): number {
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
}

/** Parsed zstd frame header (RFC 8878 §3.1.1.1): where blocks start and the window it needs. */
interface FrameHeader {
  /** Offset of the first block header. */
  blocks: number;
  /** Window size in bytes (the Frame_Content_Size for single-segment frames). */
  window: number;
  /** Frame_Content_Size, when given. */
  contentSize?: number;
  /** Whether a 4-byte content checksum follows the last block. */
  checksum: boolean;
}

function readFrameHeader(b: Uint8Array, off: number): FrameHeader | string {
  if (off + 5 > b.length) return "frame header cut";
  const fhd = b[off + 4];
  if (fhd & 0x08) return "reserved bit set in frame header";
  const single = (fhd >> 5) & 1;
  const fcsFlag = fhd >> 6;
  const dictBytes = [0, 1, 2, 4][fhd & 3];
  const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
  let p = off + 5;
  let window = 0;
  if (!single) {
    // Window_Descriptor: 2^(10 + exponent) plus mantissa eighths of it (RFC 8878 §3.1.1.1.2).
    const wd = b[p++];
    const base = 2 ** (10 + (wd >> 3));
    window = base + (base / 8) * (wd & 7);
  }
  p += dictBytes;
  if (p + fcsBytes > b.length) return "frame header cut";
  let contentSize: number | undefined;
  if (fcsBytes > 0) {
    contentSize = 0;
    for (let i = fcsBytes - 1; i >= 0; i--) contentSize = contentSize * 256 + b[p + i];
    if (fcsBytes === 2) contentSize += 256;
  }
  p += fcsBytes;
  if (single) window = contentSize ?? 0;
  return { blocks: p, window, contentSize, checksum: ((fhd >> 2) & 1) === 1 };
}

/** End offset of the frame whose blocks start at `p`, or -1 when the input ends inside it. */
function frameEnd(b: Uint8Array, p: number, checksum: boolean): number | string {
  for (;;) {
    if (p + 3 > b.length) return -1;
    const h = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16);
    const type = (h >> 1) & 3;
    const size = h >>> 3;
    if (type === 3) return "reserved block type";
    // An RLE block carries one byte that is repeated Block_Size times (RFC 8878 §3.1.1.2.2).
    p += 3 + (type === 1 ? 1 : size);
    if (p > b.length) return -1;
    if (h & 1) return checksum ? (p + 4 <= b.length ? p + 4 : -1) : p;
  }
}

/** Collects output up to the cap; throws LimitReached past it. */
class Sink {
  readonly parts: Uint8Array[] = [];
  total = 0;
  constructor(readonly max: number) {}
  add(chunk: Uint8Array): void {
    const room = this.max - this.total;
    if (chunk.length > room) {
      if (room > 0) this.parts.push(new Uint8Array(chunk.subarray(0, room)));
      this.total = this.max;
      throw new LimitReached();
    }
    if (chunk.length > 0) this.parts.push(new Uint8Array(chunk));
    this.total += chunk.length;
  }
  bytes(): Uint8Array {
    if (this.parts.length === 1) return this.parts[0];
    const out = new Uint8Array(this.total);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** Decodes a zstd body (one or more frames, skippable frames ignored), at most `maxBytes` of output. */
export function zstdDecode(input: Uint8Array, maxBytes: number): ZstdResult {
  const sink = new Sink(maxBytes);
  const done = (problem?: "limit" | "corrupt", detail?: string): ZstdResult =>
    problem ? { data: sink.bytes(), problem, detail } : { data: sink.bytes() };
  let off = 0;
  while (off + 4 <= input.length) {
    const magic = u32le(input, off);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (off + 8 > input.length) break;
      off += 8 + u32le(input, off + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) return done("corrupt", `bad frame magic at offset ${off}`);
    const head = readFrameHeader(input, off);
    if (typeof head === "string") return head === "frame header cut" ? done() : done("corrupt", head);
    if (head.window > Math.max(ZSTD_HTTP_WINDOW, maxBytes)) {
      const over = head.contentSize !== undefined && head.contentSize > maxBytes;
      return over
        ? done("limit", `frame announces ${head.contentSize} bytes`)
        : done("corrupt", `window of ${head.window} bytes is larger than allowed`);
    }
    const end = frameEnd(input, head.blocks, head.checksum);
    if (typeof end === "string") return done("corrupt", `${end} in frame at offset ${off}`);
    const stop = end < 0 ? input.length : end;
    const problem = decodeFrame(input.subarray(off, stop), end >= 0, sink);
    if (problem) return done(problem.kind, problem.detail);
    if (end < 0) break;
    off = end;
  }
  return done();
}

function decodeFrame(
  frame: Uint8Array,
  complete: boolean,
  sink: Sink,
): { kind: "limit" | "corrupt"; detail: string } | undefined {
  const r = decodeFrameGuarded(frame, complete, sink.max - sink.total);
  try {
    sink.add(r.data);
  } catch (e) {
    if (!(e instanceof LimitReached)) throw e;
  }
  if (r.problem === "limit") return { kind: "limit", detail: `output passed ${sink.total} bytes` };
  if (r.problem === "timeout")
    return { kind: "corrupt", detail: "zstd frame took too long to decode (malformed)" };
  if (r.problem === "corrupt") return { kind: "corrupt", detail: r.detail ?? "corrupt zstd frame" };
  return undefined;
}
