// Undoes HTTP content codings (RFC 9110 §8.4: gzip, x-gzip, deflate, br, zstd, stacked as `gzip, br`) with a
// cap on the decoded size, so a decompression bomb stops at the cap instead of exhausting memory. Synchronous
// node:zlib calls with `maxOutputLength` never allocate past the cap; when one fails (cap reached, or corrupt
// data) the longest input prefix that still decodes is found, so what could be decoded is kept.

import zlib from "node:zlib";
import { zstdDecode } from "./zstd.ts";

/** Weird names content decoding reports. */
export const CONTENT_WEIRD_NAMES = [
  "decompressed_size_limit",
  "decompression_failed",
  "unknown_content_encoding",
] as const;
export type ContentWeirdName = (typeof CONTENT_WEIRD_NAMES)[number];

/** Content codings this module undoes (`identity` is a no-op). */
export const CONTENT_CODINGS = ["gzip", "x-gzip", "deflate", "br", "zstd", "identity"] as const;
export type ContentCoding = (typeof CONTENT_CODINGS)[number];

/** Default cap on decoded bytes. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;

/** Why decoding stopped early. */
export interface ContentProblem {
  /** Weird name. */
  name: ContentWeirdName;
  /** Specifics (which coding, sizes). */
  detail: string;
}

/** The result of undoing a body's codings. */
export interface DecodedContent {
  /** The decoded bytes (what could be decoded when a problem stopped it; the input when nothing applied). */
  data: Uint8Array;
  /** Codings undone, in the order they were undone. */
  applied: ContentCoding[];
  /** Set when decoding stopped early. */
  problem?: ContentProblem;
}

/** Options of `decodeContent`. */
export interface DecodeContentOptions {
  /** Cap on the decoded size of each step (default 16 MiB). */
  maxBytes?: number;
}

/**
 * The codings named by a Content-Encoding (or Transfer-Encoding) value, in the order they were applied,
 * lower case, `identity` and empty members dropped.
 */
export function parseCodings(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const part of value.split(",")) {
    const c = part.trim().toLowerCase();
    if (c !== "" && c !== "identity") out.push(c);
  }
  return out;
}

/** Undoes `codings` (applied order, as `parseCodings` returns them) on `body`, last applied first. */
export function decodeContent(
  body: Uint8Array,
  codings: readonly string[],
  opts: DecodeContentOptions = {},
): DecodedContent {
  const max = Math.max(1, opts.maxBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES);
  let data = body;
  const applied: ContentCoding[] = [];
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i];
    if (!isCoding(coding)) {
      const problem = { name: "unknown_content_encoding" as const, detail: `coding ${coding.slice(0, 40)}` };
      return { data, applied, problem };
    }
    const step = decompress(data, coding, max);
    data = step.data;
    applied.push(coding);
    if (step.problem) return { data, applied, problem: step.problem };
  }
  return { data, applied };
}

function isCoding(c: string): c is ContentCoding {
  return (CONTENT_CODINGS as readonly string[]).includes(c);
}

/** Undoes one coding, at most `maxBytes` of output. */
export function decompress(
  data: Uint8Array,
  coding: ContentCoding,
  maxBytes: number,
): { data: Uint8Array; problem?: ContentProblem } {
  switch (coding) {
    case "identity":
      return { data };
    case "gzip":
    case "x-gzip":
      return bounded(data, gunzip, maxBytes, coding);
    case "br":
      return bounded(data, brotli, maxBytes, coding);
    case "zstd": {
      const r = zstdDecode(data, maxBytes);
      if (!r.problem) return { data: r.data };
      const name = r.problem === "limit" ? "decompressed_size_limit" : "decompression_failed";
      return { data: r.data, problem: { name, detail: `zstd: ${r.detail ?? ""}` } };
    }
    case "deflate":
      return deflate(data, maxBytes);
  }
}

type OneShot = (input: Uint8Array, maxBytes: number) => Uint8Array;

// Z_SYNC_FLUSH as the finishing flush returns what a cut stream decoded so far instead of failing on the
// missing end; bodies cut by the capture or by the body bound are common and still worth reading.
const gunzip: OneShot = (input, max) =>
  zlib.gunzipSync(input, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH });
const inflate: OneShot = (input, max) =>
  zlib.inflateSync(input, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH });
const inflateRaw: OneShot = (input, max) =>
  zlib.inflateRawSync(input, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH });
const brotli: OneShot = (input, max) =>
  zlib.brotliDecompressSync(input, {
    maxOutputLength: max,
    finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
  });

/**
 * `deflate` is meant to be zlib-wrapped (RFC 9110 §8.4.1.2) but many servers send raw deflate (RFC 1951):
 * a valid zlib header (RFC 1950 §2.2: method 8, window ≤ 32 KiB, check bits) decides, and raw is the fallback.
 */
function deflate(data: Uint8Array, max: number): { data: Uint8Array; problem?: ContentProblem } {
  const zlibHeader =
    data.length >= 2 && (data[0] & 0x0f) === 8 && data[0] >> 4 <= 7 && ((data[0] << 8) | data[1]) % 31 === 0;
  if (zlibHeader) {
    const r = bounded(data, inflate, max, "deflate");
    if (!r.problem || r.problem.name === "decompressed_size_limit" || r.data.length > 0) return r;
  }
  return bounded(data, inflateRaw, max, "deflate");
}

/** Runs a one-shot decoder; on failure keeps the output of the longest input prefix that decodes. */
function bounded(
  data: Uint8Array,
  fn: OneShot,
  max: number,
  coding: string,
): { data: Uint8Array; problem?: ContentProblem } {
  try {
    return { data: fn(data, max) };
  } catch (e) {
    const limit = (e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
    const kept = salvage(data, fn, max);
    const detail = limit
      ? `${coding}: decoded size passed ${max} bytes; kept ${kept.length}`
      : `${coding}: ${e instanceof Error ? e.message : String(e)}; kept ${kept.length} bytes`;
    return {
      data: kept,
      problem: { name: limit ? "decompressed_size_limit" : "decompression_failed", detail },
    };
  }
}

/**
 * Output of the longest prefix of `data` that decodes within the cap. Output grows with the prefix, so a
 * galloping then binary search needs few trials; it stops once the gap is under 1/64 of the prefix or the
 * output is within 1/64 of the cap, since salvaging is about keeping most of what decodes, not every last
 * byte. Each trial is bounded by the cap.
 */
function salvage(data: Uint8Array, fn: OneShot, max: number): Uint8Array {
  const tryPrefix = (n: number): Uint8Array | undefined => {
    try {
      return fn(data.subarray(0, n), max);
    } catch {
      return undefined;
    }
  };
  let good = 0;
  let best: Uint8Array = new Uint8Array(0);
  let bad = data.length;
  for (let n = 256; n < bad; n *= 2) {
    const out = tryPrefix(n);
    if (!out) {
      bad = n;
      break;
    }
    good = n;
    best = out;
  }
  const enough = max - (max >> 6);
  while (bad - good > Math.max(1, good >> 6) && best.length < enough) {
    const mid = good + ((bad - good) >> 1);
    const out = tryPrefix(mid);
    if (out) {
      good = mid;
      best = out;
    } else bad = mid;
  }
  return best;
}
