// Streams a capture from a file or stdin into the matching parser: gunzips transparently, detects the
// format by magic, and keeps memory bounded (two read buffers, plus at most one record's tail).

import { type FileHandle, open } from "node:fs/promises";
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { CaptureError, type CaptureFormat, type CaptureHandler } from "./capture-events.ts";
import { DETECT_HEAD_BYTES, detectFormat, magicText } from "./detect-format.ts";
import { PcapParser } from "./pcap-reader.ts";
import { PcapngParser, type PcapngParserOptions } from "./pcapng-reader.ts";

/** Options of `readCapture`. */
export interface ReadCaptureOptions {
  /** Bytes per read from the file (default 1 MiB: one read stays in flight while the last is parsed). */
  chunkSize?: number;
  /** Largest record accepted (default 64 MiB). */
  maxRecordBytes?: number;
  /** pcapng only: observer of every block (type, offset, length). */
  onBlock?: PcapngParserOptions["onBlock"];
  /** Called after each chunk with the (decompressed) bytes read so far, for a progress bar. */
  onProgress?: (bytes: number) => void;
  /**
   * Awaited before each chunk is parsed: lets a consumer on another thread catch up, so what waits for it
   * stays bounded (the detector worker, issue 8).
   */
  beforeChunk?: () => Promise<void> | undefined;
}

/** What `readCapture` found. */
export interface ReadCaptureResult {
  /** Container format; for "har" nothing was parsed (the caller hands the file to the HAR reader). */
  format: CaptureFormat;
  /** True when the input was gzip-compressed. */
  compressed: boolean;
  /** Bytes of (decompressed) input read. */
  bytes: number;
}

const DEFAULT_CHUNK = 1024 * 1024;
/** Decompressed output chunk: large, so few records straddle chunks. */
const GUNZIP_CHUNK = 256 * 1024;

/**
 * Reads `file` (a path, or "-" for stdin) to the end, driving `handler`. Throws CaptureError when the input
 * cannot be read at all (missing file, empty, not a capture, unreadable header); problems inside the
 * capture (bad block, truncated tail, corrupt gzip tail) go to `handler.problem` and reading ends there.
 */
export async function readCapture(
  file: string,
  handler: CaptureHandler,
  opts: ReadCaptureOptions = {},
): Promise<ReadCaptureResult> {
  const mode: ReadMode = { reuse: false };
  const raw = rawChunks(file, opts.chunkSize ?? DEFAULT_CHUNK, mode)[Symbol.asyncIterator]();
  let source: AsyncIterator<Uint8Array> = raw;
  try {
    const first = await readHead(raw, 3);
    if (first.bytes.length === 0) throw new CaptureError(file, 0, "empty file");
    const compressed = detectFormat(first.bytes) === "gzip";
    source = compressed ? gunzipChunks(prepend(first, raw))[Symbol.asyncIterator]() : prepend(first, raw);
    const head = await readHead(source, DETECT_HEAD_BYTES, compressed ? file : undefined);
    if (head.bytes.length === 0) throw new CaptureError(file, 0, "empty file (after gzip decompression)");
    const format = detectFormat(head.bytes);
    if (format === undefined || format === "gzip") {
      const what = compressed ? "gzip-compressed data is not a capture file" : "not a capture file";
      throw new CaptureError(file, 0, `${what}: magic ${magicText(head.bytes)}`);
    }
    if (format === "har") return { format, compressed, bytes: head.bytes.length };
    mode.reuse = !compressed;
    const popts = { file, maxRecordBytes: opts.maxRecordBytes, onBlock: opts.onBlock };
    const parser = format === "pcap" ? new PcapParser(handler, popts) : new PcapngParser(handler, popts);
    const bytes = await pump(prepend(head, source), parser, handler, compressed, opts);
    parser.end();
    return { format, compressed, bytes };
  } finally {
    await source.return?.(undefined);
    if (source !== raw) await raw.return?.(undefined);
  }
}

/** Pushes every chunk into the parser; a gzip error after some output becomes a problem, not a throw. */
async function pump(
  it: AsyncIterator<Uint8Array>,
  parser: PcapParser | PcapngParser,
  handler: CaptureHandler,
  compressed: boolean,
  opts: Pick<ReadCaptureOptions, "onProgress" | "beforeChunk">,
): Promise<number> {
  const { onProgress, beforeChunk } = opts;
  let bytes = 0;
  for (;;) {
    let r: IteratorResult<Uint8Array>;
    try {
      r = await it.next();
    } catch (e) {
      if (e instanceof CaptureError || !compressed) throw e;
      const code = (e as { code?: string }).code;
      handler.problem?.({
        name: code === "Z_BUF_ERROR" ? "gzip_truncated" : "gzip_corrupt",
        offset: bytes,
        detail: `gzip stream ends badly after ${bytes} decompressed bytes: ${(e as Error).message}`,
      });
      return bytes;
    }
    if (r.done) return bytes;
    const wait = beforeChunk?.();
    if (wait) await wait;
    bytes += r.value.length;
    parser.push(r.value);
    onProgress?.(bytes);
  }
}

/** Whether file chunks may reuse read buffers; set once the format is known and the input is not gzip. */
interface ReadMode {
  reuse: boolean;
}

/** File or stdin chunks; any I/O error becomes a CaptureError naming the file and the offset reached. */
function rawChunks(file: string, chunkSize: number, mode: ReadMode): AsyncGenerator<Uint8Array> {
  return file === "-" ? stdinChunks() : fileChunks(file, chunkSize, mode);
}

async function* stdinChunks(): AsyncGenerator<Uint8Array> {
  let offset = 0;
  try {
    for await (const chunk of process.stdin) {
      offset += (chunk as Uint8Array).length;
      yield chunk as Uint8Array;
    }
  } catch (e) {
    throw new CaptureError("-", offset, (e as Error).message);
  }
}

/**
 * Reads a file with one read always in flight, so I/O overlaps parsing. Once `mode.reuse` is set, two
 * buffers alternate: a chunk's buffer is refilled only after the consumer asked for the next chunk,
 * which the parsers allow (they copy a straddling tail; packets are valid only during the callback).
 * Before that (format detection, gzip whose inflater holds its input) every read gets a fresh buffer.
 */
async function* fileChunks(file: string, chunkSize: number, mode: ReadMode): AsyncGenerator<Uint8Array> {
  let fh: FileHandle;
  try {
    fh = await open(file, "r");
  } catch (e) {
    throw new CaptureError(file, 0, (e as Error).message);
  }
  let offset = 0;
  let cur: Buffer = Buffer.allocUnsafe(chunkSize);
  let spare: Buffer | undefined;
  let pending: Promise<{ bytesRead: number }> = fh.read(cur, 0, chunkSize, null);
  try {
    for (;;) {
      let n: number;
      try {
        n = (await pending).bytesRead;
      } catch (e) {
        throw new CaptureError(file, offset, (e as Error).message);
      }
      if (n === 0) return;
      const got = cur;
      cur = mode.reuse && spare ? spare : Buffer.allocUnsafe(chunkSize);
      spare = got;
      pending = fh.read(cur, 0, chunkSize, null);
      offset += n;
      yield got.subarray(0, n);
    }
  } finally {
    await pending.catch(() => undefined);
    await fh.close();
  }
}

/** Decompresses a gzip byte stream (multi-member files included) with bounded buffering. */
async function* gunzipChunks(src: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  const gz = createGunzip({ chunkSize: GUNZIP_CHUNK });
  const input = Readable.from({ [Symbol.asyncIterator]: () => src }, { objectMode: false });
  // Errors of either side surface through iterating `gz`; the callback only keeps them from going unhandled.
  pipeline(input, gz, () => {});
  yield* gz as AsyncIterable<Uint8Array>;
}

interface Head {
  bytes: Uint8Array;
  /** A gzip error met after some output: replayed to the reader after the head. */
  error?: unknown;
}

/** Reads chunks until at least `min` bytes (or the end); returns them as one buffer. */
async function readHead(it: AsyncIterator<Uint8Array>, min: number, gzFile?: string): Promise<Head> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let error: unknown;
  while (total < min) {
    let r: IteratorResult<Uint8Array>;
    try {
      r = await it.next();
    } catch (e) {
      if (e instanceof CaptureError || gzFile === undefined) throw e;
      // A gzip stream broken before it yielded a byte is unreadable input; later, it is a problem.
      if (total === 0) throw new CaptureError(gzFile, 0, `gzip: ${(e as Error).message}`);
      error = e;
      break;
    }
    if (r.done) break;
    parts.push(r.value);
    total += r.value.length;
  }
  if (parts.length === 1) return { bytes: parts[0], error };
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    bytes.set(p, off);
    off += p.length;
  }
  return { bytes, error };
}

/** An iterator yielding `head` first, then the rest of `rest`. */
function prepend(head: Head, rest: AsyncIterator<Uint8Array>): AsyncIterator<Uint8Array> {
  let first = head.bytes.length > 0;
  let error = head.error;
  return {
    next: async () => {
      if (first) {
        first = false;
        return { done: false, value: head.bytes };
      }
      if (error !== undefined) {
        const e = error;
        error = undefined;
        throw e;
      }
      return rest.next();
    },
    return: async () => (rest.return ? rest.return() : { done: true, value: undefined }),
  };
}
