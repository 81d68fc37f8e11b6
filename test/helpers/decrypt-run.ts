// Runs a capture (bytes in memory) through the whole pipeline with a TLS key log, and sorts what came out:
// records by type, and the payloads the detector would see (copied, with their transport). Test helpers only.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCapture } from "../../src/app/capture-run.ts";
import type { PipelineRecord } from "../../src/app/record-sink.ts";
import type { PayloadChunk } from "../../src/decode/stream-decoder.ts";
import { KeyStore } from "../../src/decrypt/key-log.ts";
import type { HttpRecord } from "../../src/model/http.ts";
import type { TlsRecord } from "../../src/model/tls.ts";
import type { WeirdRecord } from "../../src/model/weird.ts";

/** What one run produced. */
export interface DecryptRun {
  /** Every record in order. */
  records: PipelineRecord[];
  /** The http records. */
  http: HttpRecord[];
  /** The tls records. */
  tls: TlsRecord[];
  /** The weird records. */
  weirds: WeirdRecord[];
  /** Payloads, data copied. */
  payloads: PayloadChunk[];
}

let scratch: string | undefined;

/** A file in a per-process scratch folder, removed at exit. */
export function scratchFile(name: string, data: Uint8Array | string): string {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), "phonehome-decrypt-"));
    scratch = dir;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  const file = join(scratch, `${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(file, data);
  return file;
}

/** Runs `capture` (pcap or pcapng bytes) with `keyLog` (NSS key log text, when given). */
export async function runDecrypt(
  capture: Uint8Array,
  keyLog?: string,
  name = "capture.pcap",
): Promise<DecryptRun> {
  const file = scratchFile(name, capture);
  const keys = new KeyStore();
  if (keyLog !== undefined) keys.addKeyLog(keyLog);
  const run: DecryptRun = { records: [], http: [], tls: [], weirds: [], payloads: [] };
  await runCapture(file, {
    keys,
    onRecord: (r) => {
      run.records.push(r);
      if (r.type === "http") run.http.push(r as HttpRecord);
      else if (r.type === "tls") run.tls.push(r as TlsRecord);
      else if (r.type === "weird") run.weirds.push(r as WeirdRecord);
    },
    onPayload: (p) => run.payloads.push({ ...p, data: Uint8Array.from(p.data) }),
  });
  return run;
}

/** The payload bytes of one layer and direction, joined, as latin1 text. */
export function payloadText(run: DecryptRun, layer: string, fromOrig: boolean): string {
  return run.payloads
    .filter((p) => p.layer === layer && p.fromOrig === fromOrig)
    .map((p) => Buffer.from(p.data).toString("latin1"))
    .join("");
}
