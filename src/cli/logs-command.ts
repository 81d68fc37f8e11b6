// `phonehome logs <capture> [--out DIR] [--log TYPE] [--keylog FILE]`: the records as JSONL, one file per type
// or one type on stdout; with a TLS key log, what decrypted TLS carried too.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { analyzeFiles, type OutputRecord } from "../app/analyze-run.ts";
import { runCapture } from "../app/capture-run.ts";
import { RECORD_TYPES, type RecordType } from "../app/record-sink.ts";
import { loadRules, runServices } from "../app/run-services.ts";
import { loadKeyLogFile } from "../decrypt/key-log-file.ts";
import { loadProfile } from "../detect/profile/profile-load.ts";
import type { Profile } from "../detect/profile/profile-types.ts";
import { RecordMasker } from "../detect/record-mask.ts";
import { needlesFromProfile } from "../detect/variants/needles.ts";
import { LineWriter } from "./line-writer.ts";
import { checkThreads } from "./threads-option.ts";
import { UsageError } from "./usage-error.ts";

/** Options of the logs command. */
export interface LogsOptions {
  /** Folder for one `<type>.jsonl` per record type. */
  out?: string;
  /** Only this record type, to stdout. */
  log?: string;
  /** A device profile: runs the detector, adding `finding` records. */
  profile?: string;
  /** Write identifier values in findings unmasked. */
  reveal?: boolean;
  /** NSS key log file (SSLKEYLOGFILE) with the TLS secrets to decrypt with. */
  keylog?: string;
  /** `--threads` (with a profile): 1, 2 or auto. */
  threads?: string;
}

/** Runs the command; returns the problems worth a warning on stderr. */
export async function logsCommand(file: string, opts: LogsOptions): Promise<string[]> {
  if (opts.log && !(RECORD_TYPES as readonly string[]).includes(opts.log)) {
    throw new UsageError(`unknown log type '${opts.log}' (known: ${RECORD_TYPES.join(", ")})`);
  }
  const threads = checkThreads(opts.threads);
  const profile = opts.profile ? loadProfile(opts.profile) : undefined;
  const warnings: string[] = [];
  const keys = opts.keylog ? loadKeyLogFile(opts.keylog, (w) => warnings.push(w)) : undefined;
  const line = recordLine(profile, opts.reveal);
  const writers = openWriters(opts);
  const only = opts.log as RecordType | undefined;
  const onRecord = (r: OutputRecord) => {
    if (only && r.type !== only) return;
    writers.get(r.type)?.line(line(r));
  };
  try {
    const problems = profile
      ? (
          await analyzeFiles([file], {
            ...runServices(loadRules()),
            profile,
            reveal: opts.reveal,
            onRecord,
            keys,
            threads,
          })
        ).inputs[0].problems
      : (await runCapture(file, { onRecord, serviceOnly: only === "conn", keys })).problems;
    return [...warnings, ...(problems ?? []).map((p) => `${file}: offset ${p.offset}: ${p.detail}`)];
  } finally {
    for (const w of new Set(writers.values())) w.close();
  }
}

/**
 * Serialises records; with a profile and without --reveal, the profile's values are masked in every record
 * (findings are masked already), so the protocol logs beside findings do not leak what findings hide.
 */
export function recordLine(profile: Profile | undefined, reveal = false): (r: OutputRecord) => string {
  if (!profile || reveal) return (r) => JSON.stringify(r);
  const masker = new RecordMasker(needlesFromProfile(profile));
  return (r) => (r.type === "finding" ? JSON.stringify(r) : masker.mask(JSON.stringify(r)));
}

function openWriters(opts: LogsOptions): Map<string, LineWriter> {
  const writers = new Map<string, LineWriter>();
  if (!opts.out) {
    const stdout = new LineWriter(1);
    for (const t of RECORD_TYPES) writers.set(t, stdout);
    return writers;
  }
  mkdirSync(opts.out, { recursive: true });
  for (const t of RECORD_TYPES) {
    if (!opts.log || opts.log === t) writers.set(t, new LineWriter(join(opts.out, `${t}.jsonl`)));
  }
  return writers;
}
