// What tshark makes of a synthesized capture: the synthesizer's frames written to a pcap, then tshark's
// conversation table. Shared by the synthesizer's own tests.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writePcap } from "./capture-writer.ts";
import { Prng, type TrafficSynth } from "./traffic-synth.ts";

let scratch: string | undefined;

/** Writes the synthesizer's frames, in time order, to a pcap in a scratch folder removed at exit. */
export function saveSynth(s: TrafficSynth): string {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), "phonehome-synth-"));
    scratch = dir;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  const file = join(scratch, `f${Math.random().toString(36).slice(2)}.pcap`);
  writeFileSync(file, writePcap(s.sorted(), { linkType: s.linkType }));
  return file;
}

/** tshark's stdout for `-r file ...args`; throws with its stderr when it fails. */
export function tsharkOn(file: string, args: string[]): string {
  const r = spawnSync("tshark", ["-r", file, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout;
}

/** `-z conv,<proto>` rows as "a <-> b" → frames and bytes sent by the left and the right endpoint. */
export function conversations(file: string, proto: "tcp" | "udp"): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const re = /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+) bytes\s+(\d+)\s+(\d+) bytes/;
  for (const line of tsharkOn(file, ["-q", "-z", `conv,${proto}`]).split("\n")) {
    const m = re.exec(line);
    // Columns: "<-" is what the right endpoint sent, "->" what the left one sent.
    if (m) out.set(`${m[1]} <-> ${m[2]}`, [Number(m[5]), Number(m[6]), Number(m[3]), Number(m[4])]);
  }
  return out;
}

/** `n` deterministic pseudo-random bytes for a seed. */
export function pattern(n: number, seed: number): Uint8Array {
  return new Prng(seed).bytes(n);
}
