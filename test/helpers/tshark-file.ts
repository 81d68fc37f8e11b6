// tshark and capinfos on a capture file already on disk: per-frame fields (every occurrence, comma-joined)
// for the frames a display filter keeps, and capinfos' "Name: value" report. Shared by the example and
// pcapng-writer tests, which check what our files say against the reference implementation.

import { spawnSync } from "node:child_process";

/** Options of one tshark run. */
export interface TsharkFileOptions {
  /** Display filter (-Y). */
  filter?: string;
  /** More arguments, e.g. `-o tls.keylog_file:F` or `-o tcp.check_checksum:TRUE`. */
  args?: string[];
}

/** One row per kept frame, one cell per field; throws with tshark's stderr when it fails. */
export function tsharkFileFields(file: string, fields: string[], o: TsharkFileOptions = {}): string[][] {
  const args = [
    "-r",
    file,
    ...(o.args ?? []),
    ...(o.filter ? ["-Y", o.filter] : []),
    "-T",
    "fields",
    "-E",
    "occurrence=a",
    ...fields.flatMap((f) => ["-e", f]),
  ];
  const r = spawnSync("tshark", args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split("\t"));
}

/** capinfos' report as name → value (first occurrence of each name); throws when capinfos fails. */
export function capinfos(file: string): { fields: Map<string, string>; stderr: string } {
  const r = spawnSync("capinfos", [file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`capinfos failed on ${file}: ${r.stderr}`);
  const fields = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const m = /^([^:]+):\s+(.*)$/.exec(line);
    if (m && !fields.has(m[1].trim())) fields.set(m[1].trim(), m[2].trim());
  }
  return { fields, stderr: r.stderr };
}
