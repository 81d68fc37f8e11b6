// Reads a HAR file (HTTP Archive 1.2, as browsers, Charles and mitmproxy export it) and yields one
// HttpExchange per entry. HAR is one JSON document, so the file is read whole, under a size bound.
// An unreadable file is a CaptureError naming the byte offset; a bad entry is a weird and is skipped.

import { open } from "node:fs/promises";
import type { HttpExchange } from "../model/http-message.ts";
import type { WeirdSink } from "../model/weird.ts";
import { CaptureError } from "./capture-events.ts";
import { harEntryToExchange } from "./har-entry.ts";
import { isObject, str } from "./har-fields.ts";
import { findJsonError, lineColumn } from "./har-json.ts";

/** Default bound on the HAR file's size. */
export const DEFAULT_MAX_HAR_BYTES = 512 * 1024 * 1024;
/** Default bound on each request or response body. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Options of `readHar` / `parseHar`. */
export interface HarOptions {
  /** A larger file is refused with a CaptureError (default 512 MiB). */
  maxFileBytes?: number;
  /** Bodies are cut here, with `bodyTruncated` and a `har_body_truncated` weird (default 8 MiB). */
  maxBodyBytes?: number;
  /** Receives the weirds (`HAR_WEIRD_NAMES`). */
  weird?: WeirdSink;
}

/** What a HAR file held besides its exchanges. */
export interface HarSummary {
  /** Exchanges yielded. */
  entries: number;
  /** Entries skipped (each with a weird). */
  skipped: number;
  /** Length of `log.pages`. */
  pages: number;
  /** `log.version`, when given. */
  version?: string;
  /** The tool that wrote the file (`log.creator`). */
  creator?: { name: string; version: string };
}

/** Called with each exchange, in file order. */
export type ExchangeHandler = (x: HttpExchange) => void;

/** Reads the HAR file `file` (`-` for stdin) and calls `onExchange` per entry. Throws only CaptureError. */
export async function readHar(
  file: string,
  onExchange: ExchangeHandler,
  opts: HarOptions = {},
): Promise<HarSummary> {
  const max = opts.maxFileBytes ?? DEFAULT_MAX_HAR_BYTES;
  const bytes = file === "-" ? await readStdin(max) : await readFileBounded(file, max);
  let text: string;
  let offsetOf: (pos: number) => number;
  try {
    // HAR is UTF-8 (HAR 1.2 §log); a UTF-16 byte order mark is honoured since some Windows tools write it.
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      text = new TextDecoder("utf-16le").decode(bytes.subarray(2));
      offsetOf = (pos) => 2 + 2 * pos;
    } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      text = new TextDecoder("utf-16be").decode(bytes.subarray(2));
      offsetOf = (pos) => 2 + 2 * pos;
    } else {
      text = bytes.toString("utf8");
      offsetOf = (pos) => Buffer.byteLength(text.slice(0, pos), "utf8");
    }
  } catch {
    throw new CaptureError(file, 0, "not a HAR file: too large to decode as text");
  }
  return parseText(text, file, onExchange, opts, offsetOf);
}

/**
 * Parses HAR `text` (a leading BOM is skipped) and calls `onExchange` per entry. `file` names the input in
 * errors, whose offsets are UTF-8 byte offsets into `text`. Throws only CaptureError.
 */
export function parseHar(
  text: string,
  file: string,
  onExchange: ExchangeHandler,
  opts: HarOptions = {},
): HarSummary {
  return parseText(text, file, onExchange, opts, (pos) => Buffer.byteLength(text.slice(0, pos), "utf8"));
}

function parseText(
  text: string,
  file: string,
  onExchange: ExchangeHandler,
  opts: HarOptions,
  offsetOf: (pos: number) => number,
): HarSummary {
  const log = harLog(text, file, offsetOf);
  const entries = log.entries as unknown[];
  const ctx = {
    maxBodyBytes: Math.max(0, Math.floor(opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)),
    weird: opts.weird,
  };
  const summary: HarSummary = {
    entries: 0,
    skipped: 0,
    pages: Array.isArray(log.pages) ? log.pages.length : 0,
  };
  const version = str(log.version);
  if (version !== undefined) summary.version = version;
  if (isObject(log.creator)) {
    summary.creator = { name: str(log.creator.name) ?? "", version: str(log.creator.version) ?? "" };
  }
  for (let i = 0; i < entries.length; i++) {
    const x = harEntryToExchange(entries[i], i + 1, ctx);
    // Drop the parsed entry as soon as it is converted, so the JSON tree shrinks while exchanges flow.
    entries[i] = undefined;
    if (x) {
      summary.entries++;
      onExchange(x);
    } else summary.skipped++;
  }
  return summary;
}

/** The `log` object of a HAR text, or a CaptureError saying why there is none. */
function harLog(text: string, file: string, offsetOf: (pos: number) => number): Record<string, unknown> {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let root: unknown;
  try {
    root = JSON.parse(start ? text.slice(start) : text);
  } catch (e) {
    const found = findJsonError(text, start);
    const pos = found?.pos ?? start;
    const reason = found?.reason ?? firstLine(e);
    if (found && text.trim() === "") {
      throw new CaptureError(file, offsetOf(pos), "not a HAR file: the file is empty");
    }
    const { line, column } = lineColumn(text, pos);
    throw new CaptureError(
      file,
      offsetOf(pos),
      `not a HAR file: bad JSON at line ${line} column ${column}: ${reason}`,
    );
  }
  if (!isObject(root) || !isObject(root.log)) {
    throw new CaptureError(file, 0, 'not a HAR file: no "log" object at the top level');
  }
  if (!Array.isArray(root.log.entries)) {
    throw new CaptureError(file, 0, "not a HAR file: log.entries is missing or not a list");
  }
  return root.log;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 200);
}

async function readFileBounded(file: string, max: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, "r");
    const { size } = await handle.stat();
    if (size > max) {
      throw new CaptureError(file, max, `HAR file is ${size} bytes, above the ${max}-byte limit`);
    }
    return await handle.readFile();
  } catch (e) {
    if (e instanceof CaptureError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CaptureError(file, 0, `cannot read the file (${code ?? firstLine(e)})`);
  } finally {
    await handle?.close();
  }
}

async function readStdin(max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of process.stdin) {
      const b = chunk as Buffer;
      total += b.length;
      if (total > max) throw new CaptureError("-", max, `HAR input is above the ${max}-byte limit`);
      chunks.push(b);
    }
  } catch (e) {
    if (e instanceof CaptureError) throw e;
    throw new CaptureError("-", total, `cannot read standard input (${firstLine(e)})`);
  }
  return Buffer.concat(chunks, total);
}
