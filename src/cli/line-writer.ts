// Buffered, synchronous line output to a file descriptor. Synchronous writes keep memory bounded however
// fast records are produced (no unbounded queue behind an async stream).

import { closeSync, openSync, writeSync } from "node:fs";

const FLUSH_AT = 64 * 1024;

/** Writes lines to a file descriptor in large blocks. */
export class LineWriter {
  private parts: string[] = [];
  private size = 0;
  private readonly fd: number;
  private readonly owned: boolean;

  /** `target` is a path to create, or a numeric descriptor (1 for stdout). */
  constructor(target: string | number) {
    this.owned = typeof target === "string";
    this.fd = typeof target === "string" ? openSync(target, "w") : target;
  }

  /** Appends one line (a newline is added). */
  line(text: string): void {
    this.parts.push(text, "\n");
    this.size += text.length + 1;
    if (this.size >= FLUSH_AT) this.flush();
  }

  /** Writes out everything buffered. */
  flush(): void {
    if (this.size === 0) return;
    writeAll(this.fd, Buffer.from(this.parts.join("")));
    this.parts = [];
    this.size = 0;
  }

  /** Flushes and closes the descriptor when this writer opened it. */
  close(): void {
    this.flush();
    if (this.owned) closeSync(this.fd);
  }
}

/** writeSync until done; a non-blocking pipe may answer EAGAIN, which only means "try again". */
function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") continue;
      if (code === "EPIPE") return;
      throw e;
    }
  }
}
