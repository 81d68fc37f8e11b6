// The detector's own thread (issue 8): receives batches of detector calls from the main thread, runs them
// through one Detector in order, and answers each batch with its findings and the last call processed.
// It is started either on this module (from the TypeScript sources) or on the CLI bundle, whose entry hands
// over to `runDetectWorker` when `isDetectWorker()`.

import { isMainThread, type MessagePort, workerData } from "node:worker_threads";
import { Detector, type DetectorOptions } from "../detect/detector.ts";
import type { Profile } from "../detect/profile/profile-types.ts";
import { needlesFromProfile } from "../detect/variants/needles.ts";
import type { FindingRecord } from "../model/finding.ts";
import { type AckMessage, type BatchHandler, type BatchMessage, readBatch } from "./detect-batch.ts";
import { HeapBudget } from "./heap-budget.ts";

/** The `workerData.role` of a detector worker. */
export const DETECT_ROLE = "detect";

/**
 * How the detector is configured. The worker gets the profile, not the needles: it expands them itself while
 * the main thread reads, and they are the same, being a function of the profile alone.
 */
export interface DetectSetup {
  /** The device profile; without one only generic detectors run. */
  profile?: Profile;
  /** Run the generic detectors (default true). */
  generic?: boolean;
  /** Write values unmasked. */
  reveal?: boolean;
}

/** The detector's options for a setup (the needles expanded), without its callback. */
export function detectorOptions(setup: DetectSetup): Omit<DetectorOptions, "onFinding"> {
  return {
    needles: setup.profile ? needlesFromProfile(setup.profile) : [],
    locations: setup.profile?.location,
    generic: setup.generic,
    reveal: setup.reveal,
  };
}

/** What the worker is started with. */
export interface DetectWorkerData {
  /** Always DETECT_ROLE. */
  role: typeof DETECT_ROLE;
  /** The channel both ways. */
  port: MessagePort;
  /** The profile and the detector switches. */
  setup: DetectSetup;
  /** True when started on this module itself (TypeScript sources), false on the CLI bundle. */
  selfStart: boolean;
}

/** A new input starts: the detector's per-run state (dedup, streams, contexts) starts afresh. */
export interface ResetMessage {
  type: "reset";
}

/** Messages the worker accepts, in order. */
export type ToWorker = BatchMessage | ResetMessage;

/** The worker's first message: its detector is built. */
export interface ReadyMessage {
  type: "ready";
  /** Needles the profile expanded to. */
  needles: number;
}

/** Messages the worker sends, in order. */
export type FromWorker = ReadyMessage | AckMessage;

/** True in a thread started as a detector worker. */
export function isDetectWorker(): boolean {
  return !isMainThread && (workerData as Partial<DetectWorkerData> | null)?.role === DETECT_ROLE;
}

/** The worker's program: answers batches until the main thread closes the channel or terminates it. */
export function runDetectWorker(): void {
  const { port, setup } = workerData as DetectWorkerData;
  const options = detectorOptions(setup);
  const heap = new HeapBudget();
  let findings: FindingRecord[] = [];
  let seqs: number[] = [];
  let seq = 0;
  const make = () =>
    new Detector({
      ...options,
      onFinding: (f) => {
        findings.push(f);
        seqs.push(seq);
      },
    });
  let detector = make();
  port.postMessage({ type: "ready", needles: options.needles.length } satisfies ReadyMessage);
  const handler: BatchHandler = {
    payload(p, conn, s) {
      seq = s;
      detector.payload(p, conn);
    },
    end(uid, s) {
      seq = s;
      detector.endConnection(uid);
    },
  };
  port.on("message", (m: ToWorker) => {
    if (m?.type === "reset") {
      detector = make();
      return;
    }
    // Anything else is a bug on the main side: throwing ends the worker, and the main thread reports it.
    if (m?.type !== "batch") {
      throw new Error(`detector worker: unexpected message ${String((m as { type?: unknown })?.type)}`);
    }
    readBatch(m, handler);
    heap.check();
    const ack: AckMessage = {
      type: "ack",
      upTo: m.first + m.count - 1,
      findings,
      seqs,
      meta: m.meta,
      data: m.data,
    };
    findings = [];
    seqs = [];
    port.postMessage(ack, [m.meta.buffer, m.data.buffer]);
  });
}

if (isDetectWorker() && (workerData as DetectWorkerData).selfStart) runDetectWorker();
