// Where an MMDB's bytes come from: a file read by positioned reads through a small page cache, or a buffer
// (tests). A country table's search tree is nearly the whole file (3–5 MB) and a lookup touches a handful of
// its pages, so the tree is never read whole: only the pages lookups walk through stay in memory.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** Bytes of one cached page. */
export const MMDB_PAGE_BYTES = 4096;

/** Pages kept (256 KiB): the top of the tree, shared by every lookup, stays; the rest comes and goes. */
export const MMDB_CACHED_PAGES = 64;

/** Random access to an MMDB's bytes. */
export interface MmdbSource {
  /** Total size in bytes. */
  readonly size: number;
  /** `len` bytes from `pos` (a copy or a view that stays valid); throws RangeError past the end. */
  read(pos: number, len: number): Buffer;
  /** Releases the file, if any (idempotent). */
  close(): void;
}

/** An in-memory MMDB. */
export class BufferSource implements MmdbSource {
  readonly size: number;

  constructor(private readonly buf: Buffer) {
    this.size = buf.length;
  }

  read(pos: number, len: number): Buffer {
    checkRange(pos, len, this.size);
    return this.buf.subarray(pos, pos + len);
  }

  close(): void {}
}

/** An MMDB file read page by page; the least recently used page leaves when the cache is full. */
export class FileSource implements MmdbSource {
  readonly size: number;
  private fd: number;
  private readonly pages = new Map<number, Buffer>();

  /** Opens `path`; throws the file system's error when it cannot. */
  constructor(path: string) {
    this.fd = openSync(path, "r");
    try {
      this.size = fstatSync(this.fd).size;
    } catch (e) {
      this.close();
      throw e;
    }
  }

  read(pos: number, len: number): Buffer {
    checkRange(pos, len, this.size);
    const first = Math.floor(pos / MMDB_PAGE_BYTES);
    const last = Math.floor((pos + len - 1) / MMDB_PAGE_BYTES);
    if (len > 0 && first === last) {
      const at = pos - first * MMDB_PAGE_BYTES;
      return this.page(first).subarray(at, at + len);
    }
    // Spans pages, or a large section read once (the data section): read straight from the file.
    return this.readAt(Buffer.allocUnsafe(len), pos);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    this.pages.clear();
  }

  /** Fills `buf` from file offset `pos`; throws RangeError when the file ends first. */
  private readAt(buf: Buffer, pos: number): Buffer {
    if (this.fd < 0) throw new Error("MMDB file is closed");
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.fd, buf, got, buf.length - got, pos + got);
      if (n === 0) throw new RangeError(`file ends at ${pos + got}, before ${pos + buf.length}`);
      got += n;
    }
    return buf;
  }

  private page(no: number): Buffer {
    const hit = this.pages.get(no);
    if (hit) {
      // Map keeps insertion order: re-inserting makes the page the most recently used.
      this.pages.delete(no);
      this.pages.set(no, hit);
      return hit;
    }
    const start = no * MMDB_PAGE_BYTES;
    const buf = this.readAt(Buffer.allocUnsafeSlow(Math.min(MMDB_PAGE_BYTES, this.size - start)), start);
    if (this.pages.size >= MMDB_CACHED_PAGES) this.pages.delete(this.pages.keys().next().value as number);
    this.pages.set(no, buf);
    return buf;
  }
}

function checkRange(pos: number, len: number, size: number): void {
  if (!Number.isSafeInteger(pos) || !Number.isSafeInteger(len) || pos < 0 || len < 0 || pos + len > size) {
    throw new RangeError(`bytes ${pos}..${pos + len} are outside the ${size}-byte file`);
  }
}
