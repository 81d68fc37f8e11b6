// Where the leak detector runs (issue 8): in process, or on a second core. On a worker the main thread keeps
// reading, reassembling and decoding while the detector (matcher, structure walker, generic detectors) works
// through batches of its calls (detect-thread.ts); attribution, judgement and output stay on the main thread
// and see the same order of findings and records either way. A worker only starts when asked for.

import type { PayloadChunk } from "../decode/stream-decoder.ts";
import { Detector } from "../detect/detector.ts";
import type { ConnId } from "../model/conn.ts";
import type { FindingRecord } from "../model/finding.ts";
import { type DetectLimits, WorkerDetect } from "./detect-thread.ts";
import { type DetectSetup, detectorOptions } from "./detect-worker.ts";

/** Thread counts a run may ask for: 1 keeps the detector in process, 2 puts it on a worker. */
export const THREAD_CHOICES = [1, 2] as const;
export type Threads = (typeof THREAD_CHOICES)[number];

/** The detector as the analysis drives it, in process or on a worker. */
export interface DetectStage {
  /** A new input: fresh detector state; its findings go to `onFinding`. */
  begin(onFinding: (f: FindingRecord) => void): void;
  /** One payload of one connection (the bytes are copied when they must outlive the call). */
  payload(p: PayloadChunk, conn: ConnId): void;
  /** The connection ended (its pending stream matches are flushed). */
  endConnection(uid: string): void;
  /** Runs `fn` once every finding of the calls made so far has been delivered (at once in process). */
  after(fn: () => void): void;
  /** Before each chunk of input: hands buffered calls on; waits while too many are unanswered. */
  beforeChunk(): Promise<void> | undefined;
  /** End of an input: every call answered, every held action run. Rejects when the worker failed. */
  end(): Promise<void>;
  /** How many needles the profile expanded to. */
  needleCount(): Promise<number>;
  /** Releases the worker, if any (idempotent). */
  close(): Promise<void>;
}

/**
 * The thread count for a run: the one asked for, else one. A worker makes a large capture 10–20% faster but
 * holds a second copy of the program and the profile (~40 MB at 1 GiB in a lean run), so it is asked for
 * with `--threads 2`; one thread keeps a run within its memory bound (issue 8).
 */
export function threadsFor(threads?: Threads): Threads {
  return threads ?? 1;
}

/** Starts the detector stage of a run (`limits` only for the worker; tests shrink them). */
export function startDetect(
  setup: DetectSetup,
  threads: Threads,
  limits?: Partial<DetectLimits>,
): DetectStage {
  return threads === 2 ? new WorkerDetect(setup, limits) : new InlineDetect(setup);
}

/** The detector in process: every call goes straight through. */
class InlineDetect implements DetectStage {
  private detector: Detector | undefined;
  private readonly options: ReturnType<typeof detectorOptions>;

  constructor(setup: DetectSetup) {
    this.options = detectorOptions(setup);
  }

  begin(onFinding: (f: FindingRecord) => void): void {
    this.detector = new Detector({ ...this.options, onFinding });
  }
  payload(p: PayloadChunk, conn: ConnId): void {
    this.detector!.payload(p, conn);
  }
  endConnection(uid: string): void {
    this.detector!.endConnection(uid);
  }
  after(fn: () => void): void {
    fn();
  }
  beforeChunk(): undefined {
    return undefined;
  }
  async end(): Promise<void> {}
  async needleCount(): Promise<number> {
    return this.options.needles.length;
  }
  async close(): Promise<void> {}
}
