// `analyze`: the capture spine plus the leak detector — which identifiers left the device, how they were
// encoded, and in which connection. Faces (CLI, server, proxy) call this and format what it returns.

import type { KeyStore } from "../decrypt/key-log.ts";
import { Detector } from "../detect/detector.ts";
import type { Profile } from "../detect/profile/profile-types.ts";
import { needlesFromProfile } from "../detect/variants/needles.ts";
import type { FindingRecord } from "../model/finding.ts";
import { type CaptureRunStats, runCapture } from "./capture-run.ts";
import type { PipelineRecord } from "./record-sink.ts";

/** How to analyse. */
export interface AnalyzeOptions {
  /** What the device knows about itself; without one only generic detectors run. */
  profile?: Profile;
  /** Write identifier values unmasked. */
  reveal?: boolean;
  /** Run the generic (no-profile) detectors (default true). */
  generic?: boolean;
  /** Every record of the run, findings included, as it is produced. */
  onRecord?: (r: PipelineRecord) => void;
  /** TLS secrets (e.g. from `--keylog`) to decrypt with, besides the capture's own. */
  keys?: KeyStore;
}

/** What `analyze` found in one capture. */
export interface AnalyzeResult {
  /** The run's statistics. */
  stats: CaptureRunStats;
  /** Findings (the first MAX_KEPT; `findingCount` has them all). */
  findings: FindingRecord[];
  /** All findings, including those past the kept bound. */
  findingCount: number;
  /** Needles the profile expanded to. */
  needles: number;
}

/** Findings kept in memory for the result; the record stream sees every one. */
export const MAX_KEPT = 100_000;

/** Analyses one capture (pcap, pcapng, HAR). Throws CaptureError for unreadable input. */
export async function analyzeCapture(file: string, opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const needles = opts.profile ? needlesFromProfile(opts.profile) : [];
  const findings: FindingRecord[] = [];
  let findingCount = 0;
  const onRecord = opts.onRecord;
  const detector = new Detector({
    needles,
    locations: opts.profile?.location,
    generic: opts.generic,
    reveal: opts.reveal,
    onFinding: (f) => {
      findingCount++;
      if (findings.length < MAX_KEPT) findings.push(f);
      onRecord?.(f);
    },
  });
  const stats = await runCapture(file, {
    onRecord: (r) => {
      if (r.type === "conn") detector.endConnection(r.uid);
      onRecord?.(r);
    },
    onPayload: (p, conn) => detector.payload(p, conn),
    keys: opts.keys,
  });
  return { stats, findings, findingCount, needles: needles.length };
}
