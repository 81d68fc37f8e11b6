// A progress line on stderr for inputs that take more than a second: bytes read of the total, MB/s and
// the time left. Only on a terminal; redrawn at most a few times a second; erased when the input is done.

import { statSync } from "node:fs";
import { formatBytes } from "../report/units.ts";

/** Seconds before the bar first shows (short runs stay quiet). */
const SHOW_AFTER_S = 1;
/** Seconds between redraws. */
const REDRAW_S = 0.25;

/** Where the bar is drawn (stderr by default; tests pass their own). */
export interface ProgressOut {
  /** Writes text as is. */
  write(s: string): void;
  /** Whether the output is a terminal. */
  isTTY?: boolean;
}

/** A progress reporter over several inputs. */
export class Progress {
  private file = "";
  private total = 0;
  private start = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly out: ProgressOut = process.stderr,
    private readonly now: () => number = () => performance.now() / 1000,
    private readonly force = false,
  ) {}

  /** Bytes of `file` read so far. */
  update(file: string, read: number): void {
    if (!this.force && !this.out.isTTY) return;
    const t = this.now();
    if (file !== this.file) {
      this.done();
      this.file = file;
      this.total = sizeOf(file);
      this.start = t;
      this.lastDraw = 0;
    }
    if (t - this.start < SHOW_AFTER_S || t - this.lastDraw < REDRAW_S) return;
    this.lastDraw = t;
    this.drawn = true;
    this.out.write(`\r${line(read, this.total, t - this.start)}\x1b[K`);
  }

  /** Erases the bar. */
  done(): void {
    if (this.drawn) this.out.write("\r\x1b[K");
    this.drawn = false;
  }
}

/** `[#####-----] 412 MB / 1.1 GB  380 MB/s  ETA 2 s`. */
export function line(read: number, total: number, elapsed: number): string {
  const rate = elapsed > 0 ? read / elapsed : 0;
  const speed = `${formatBytes(Math.round(rate))}/s`;
  if (total <= 0 || read > total) return `${formatBytes(read)} read  ${speed}`;
  const width = 24;
  const filled = Math.round((read / total) * width);
  const eta = rate > 0 ? Math.ceil((total - read) / rate) : 0;
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  return `${bar} ${formatBytes(read)} / ${formatBytes(total)}  ${speed}  ETA ${eta} s`;
}

function sizeOf(file: string): number {
  if (file === "-") return 0;
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
