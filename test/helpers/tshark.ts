// Whether tshark (the reference implementation) is here; conformance tests skip with a message when not.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writePcap } from "./capture-writer.ts";

/** True when tshark is on PATH. */
export const HAS_TSHARK = spawnSync("tshark", ["--version"], { stdio: "ignore" }).status === 0;

/** Message for `test(..., { skip })` when tshark is absent. */
export const NO_TSHARK = HAS_TSHARK ? false : "tshark is not installed";

/** Wireshark's checksum status values (epan/proto.h PROTO_CHECKSUM_E_*): 0 Bad, 1 Good, 2 Unverified. */
export const CHECKSUM_GOOD = "1";
export const CHECKSUM_BAD = "0";

let scratch: string | undefined;

/**
 * tshark's fields (all occurrences, tab-separated) for every frame of a one-link-type capture written from
 * `frames`, with IP/TCP/UDP checksum verification on.
 */
export function tsharkFrameFields(frames: Uint8Array[], linkType: number, fields: string[]): string[][] {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), "phonehome-tshark-"));
    scratch = dir;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  const file = join(scratch, `f${Math.random().toString(36).slice(2)}.pcap`);
  writeFileSync(
    file,
    writePcap(
      frames.map((data, i) => ({ data, tsSec: 1000 + i })),
      { linkType },
    ),
  );
  const checks = ["tcp", "udp", "ip"].flatMap((p) => ["-o", `${p}.check_checksum:TRUE`]);
  const args = [
    "-r",
    file,
    ...checks,
    "-T",
    "fields",
    "-E",
    "occurrence=a",
    ...fields.flatMap((f) => ["-e", f]),
  ];
  const r = spawnSync("tshark", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout
    .trimEnd()
    .split("\n")
    .map((l) => l.split("\t"));
}
