// The main thread's side of the detector worker (issue 8). Detector calls are numbered from 1 and packed into
// batches; the worker answers each batch with its findings, each tagged with the call that produced it.
// `after(fn)` holds `fn` until every call made before it has been answered, and a finding is delivered after
// the actions held before its call: so attribution, judgement and output see findings and records in exactly
// the order a one-thread run gives them. A worker that fails or exits ends the run with that error.

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { PayloadChunk } from "../decode/stream-decoder.ts";
import type { ConnId } from "../model/conn.ts";
import type { FindingRecord } from "../model/finding.ts";
import {
  type AckMessage,
  BATCH_DATA_BYTES,
  BATCH_MAX_OPS,
  BATCH_STRIDE,
  type BatchMessage,
  BatchWriter,
} from "./detect-batch.ts";
import type { DetectStage } from "./detect-pool.ts";
import {
  DETECT_ROLE,
  type DetectSetup,
  type DetectWorkerData,
  type FromWorker,
  type ToWorker,
} from "./detect-worker.ts";

/** How much may wait between the threads; memory stays bounded by these, not by the input. */
export interface DetectLimits {
  /** Payload bytes per batch (a larger payload gets a batch of its own). */
  batchBytes: number;
  /** Calls per batch. */
  batchOps: number;
  /**
   * Batches posted and not yet answered before the reader waits. It is also the reader's head start while
   * the worker is still starting (loading the program, expanding the profile).
   */
  maxInFlight: number;
}

/**
 * The limits of a run: at most 8 batches waiting (8 MiB of payloads). The worker keeps up once started; the
 * bound mostly sets the reader's head start while it starts. On 1 GiB in a lean run (bin/launch.js), 8 and 16
 * batches: 3.8–4.2 s at 159–165 MB and 3.8–4.0 s at 164–170 MB peak; 32 batches held ~35 MB more.
 */
export const DETECT_LIMITS: DetectLimits = {
  batchBytes: BATCH_DATA_BYTES,
  batchOps: BATCH_MAX_OPS,
  maxInFlight: 8,
};

/** An action held until the worker has answered every call up to `tag`. */
interface Held {
  tag: number;
  fn: () => void;
}

let started = 0;

/** Detector workers started by this process so far (tests check that small runs start none). */
export function detectWorkersStarted(): number {
  return started;
}

/** The detector on a worker thread. */
export class WorkerDetect implements DetectStage {
  /** The thread (exposed for diagnostics and tests). */
  readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly limits: DetectLimits;
  private writer: BatchWriter | undefined;
  /** Number of the writer's first call. */
  private writerFirst = 1;
  /** Calls made (the last call's number). */
  private made = 0;
  /** Calls answered. */
  private answered = 0;
  private inFlight = 0;
  /** Needles the worker expanded, once it said it is ready. */
  private needles: number | undefined;
  private readonly held: Held[] = [];
  private heldHead = 0;
  private onFinding: (f: FindingRecord) => void = () => {};
  private inputs = 0;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private closed = false;
  private readonly spareMeta: Float64Array<ArrayBuffer>[] = [];
  private readonly spareData: Uint8Array<ArrayBuffer>[] = [];

  constructor(setup: DetectSetup, limits: Partial<DetectLimits> = {}) {
    this.limits = { ...DETECT_LIMITS, ...limits };
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = startWorker(setup, port2);
    started++;
    this.worker.on("error", (e) => this.fail(workerError(e)));
    this.worker.on("messageerror", (e) => this.fail(workerError(e)));
    this.worker.on("exit", (code) => this.fail(new Error(`detector worker exited early (code ${code})`)));
    port1.on("message", (m: FromWorker) => {
      try {
        this.onMessage(m);
      } catch (e) {
        this.fail(e);
      }
      this.wake?.();
    });
  }

  begin(onFinding: (f: FindingRecord) => void): void {
    this.onFinding = onFinding;
    // The worker starts with a fresh detector; later inputs get one too, as in process.
    if (this.inputs++ > 0) this.post({ type: "reset" });
  }

  payload(p: PayloadChunk, conn: ConnId): void {
    if (!this.writer?.addPayload(p, conn)) {
      this.flush();
      this.writer = this.newWriter(p.data.length);
      this.writer.addPayload(p, conn);
    }
    this.made++;
  }

  endConnection(uid: string): void {
    if (!this.writer?.addEnd(uid)) {
      this.flush();
      this.writer = this.newWriter(0);
      this.writer.addEnd(uid);
    }
    this.made++;
  }

  after(fn: () => void): void {
    if (this.answered === this.made && this.heldHead === this.held.length) fn();
    else this.held.push({ tag: this.made, fn });
  }

  beforeChunk(): Promise<void> | undefined {
    this.flush();
    this.poll();
    const max = this.limits.maxInFlight;
    return this.inFlight < max ? undefined : this.until(() => this.inFlight < max);
  }

  async end(): Promise<void> {
    this.flush();
    await this.until(() => this.inFlight === 0 && this.answered === this.made);
  }

  async needleCount(): Promise<number> {
    await this.until(() => this.needles !== undefined);
    return this.needles ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    await this.worker.terminate();
  }

  private onMessage(m: FromWorker): void {
    if (m.type === "ready") this.needles = m.needles;
    else this.onAck(m);
  }

  /** Delivers one answer: each finding after the actions held before its call, then the rest. */
  private onAck(m: AckMessage): void {
    this.inFlight--;
    this.recycle(m);
    for (let i = 0; i < m.findings.length; i++) {
      this.runHeld(m.seqs[i] - 1);
      this.onFinding(m.findings[i]);
    }
    this.answered = m.upTo;
    this.runHeld(m.upTo);
  }

  private runHeld(upTo: number): void {
    const held = this.held;
    while (this.heldHead < held.length && held[this.heldHead].tag <= upTo) {
      const h = held[this.heldHead];
      held[this.heldHead++] = undefined as unknown as Held; // let the record go
      h.fn();
    }
    if (this.heldHead === held.length) {
      held.length = 0;
      this.heldHead = 0;
    } else if (this.heldHead > 4096 && this.heldHead * 2 > held.length) {
      held.splice(0, this.heldHead);
      this.heldHead = 0;
    }
  }

  /** Takes answers already waiting without a turn of the event loop (the reader seldom yields one). */
  private poll(): void {
    this.check();
    for (let r = receiveMessageOnPort(this.port); r; r = receiveMessageOnPort(this.port)) {
      this.onMessage(r.message as FromWorker);
    }
  }

  private async until(done: () => boolean): Promise<void> {
    for (;;) {
      this.poll();
      if (done()) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private fail(e: unknown): void {
    if (this.closed || this.failure !== undefined) return;
    this.failure = e;
    this.wake?.();
  }

  private flush(): void {
    const w = this.writer;
    if (!w || w.size === 0) return;
    this.writer = undefined;
    const msg = w.message(this.writerFirst);
    this.post(msg, [msg.meta.buffer, msg.data.buffer]);
    this.inFlight++;
  }

  private post(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(m, transfer);
  }

  private newWriter(bytes: number): BatchWriter {
    this.writerFirst = this.made + 1;
    const { batchBytes, batchOps } = this.limits;
    const meta = this.spareMeta.pop() ?? new Float64Array(batchOps * BATCH_STRIDE);
    const data =
      bytes > batchBytes ? new Uint8Array(bytes) : (this.spareData.pop() ?? new Uint8Array(batchBytes));
    return new BatchWriter(meta, data);
  }

  /** Keeps a returned batch's buffers for the next batches (the answer transferred them back). */
  private recycle(m: Pick<BatchMessage, "meta" | "data">): void {
    const keep = this.limits.maxInFlight + 1;
    if (this.spareMeta.length < keep) this.spareMeta.push(m.meta);
    if (m.data.length === this.limits.batchBytes && this.spareData.length < keep) this.spareData.push(m.data);
  }
}

function workerError(e: unknown): Error {
  const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return new Error(`detector worker failed: ${text}`, { cause: e });
}

/**
 * Starts the worker on the code that is running: the CLI bundle (whose entry hands over to the worker
 * program), or, from the TypeScript sources, detect-worker.ts. Node 20 does not carry the loader hooks that
 * `--import tsx` registered into a worker, so that worker registers tsx itself first.
 */
function startWorker(setup: DetectSetup, port: MessagePort): Worker {
  const here = import.meta.url;
  const selfStart = here.endsWith(".ts");
  const workerData: DetectWorkerData = { role: DETECT_ROLE, port, setup, selfStart };
  const opts = { workerData, transferList: [port] };
  if (!selfStart) return new Worker(new URL(here), opts);
  const tsx = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  const entry = JSON.stringify(new URL("./detect-worker.ts", here).href);
  const boot = `import(${tsx}).then((m) => { m.register(); return import(${entry}); });`;
  return new Worker(boot, { ...opts, eval: true });
}
