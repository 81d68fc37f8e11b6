// One tshark pass per corpus file that extracts every per-frame field the conformance tests compare
// against, run with bounded concurrency and cached on disk by content hash so repeated runs are quick.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Fields per frame, in column order. */
export const FRAME_FIELDS = [
  "frame.number",
  "frame.time_epoch",
  "frame.len",
  "frame.cap_len",
  "frame.protocols",
  "ip.src",
  "ipv6.src",
  "tcp.srcport",
  "udp.srcport",
  "tcp.stream",
  "udp.stream",
  "communityid",
] as const;

/** One frame as tshark dissects it. */
export type FrameRow = Record<(typeof FRAME_FIELDS)[number], string>;

const CACHE = join(tmpdir(), "phonehome-tshark-cache-v1");

/** tshark's view of every frame of `file` (empty when tshark cannot read the file). */
export async function tsharkFrames(file: string): Promise<FrameRow[]> {
  const key = createHash("sha1").update(readFileSync(file)).update(FRAME_FIELDS.join(",")).digest("hex");
  const cached = join(CACHE, `${key}.tsv`);
  let text: string;
  if (existsSync(cached)) text = readFileSync(cached, "utf8");
  else {
    text = await extract(file);
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(cached, text);
  }
  return text
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => {
      const cols = l.split("\t");
      return Object.fromEntries(FRAME_FIELDS.map((f, i) => [f, cols[i] ?? ""])) as FrameRow;
    });
}

async function extract(file: string): Promise<string> {
  const args = ["-r", file, "--enable-protocol", "communityid", "-T", "fields", "-E", "occurrence=f"];
  for (const f of FRAME_FIELDS) args.push("-e", f);
  try {
    return (await run("tshark", args, { maxBuffer: 256 << 20 })).stdout;
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? "");
  }
}

/** tshark's frames for many files, `limit` at a time, in input order. */
export async function tsharkFramesAll(files: string[], limit = 2): Promise<FrameRow[][]> {
  const out: FrameRow[][] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      out[i] = await tsharkFrames(files[i]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}
