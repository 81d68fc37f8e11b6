// readCapture over every corpus capture, checked against Wireshark: packet counts from capinfos (one
// batched call), and per-frame time, lengths, interface and comments from tshark, run once over all pcapng
// files concatenated and once over all pcap files merged by mergecap. Files Wireshark refuses for a bad
// header must be refused by us too; files it refuses only for an unknown link type we must read.

import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { CaptureError, type CaptureProblem } from "../../src/capture/capture-events.ts";
import { readCapture } from "../../src/capture/read-capture.ts";
import { CORPUS_DIR, corpusFiles, NO_CORPUS } from "../helpers/corpus.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";
import { recorder, type Seen, type SeenPacket } from "./parse-helpers.ts";

const run = promisify(execFile);
const files = NO_CORPUS ? [] : corpusFiles(".", /\.(pcap|pcapng)$/);
const rel = (f: string) => f.slice(CORPUS_DIR.length + 1);
const SKIP = NO_CORPUS || NO_TSHARK;

async function ours(file: string): Promise<{ seen: Seen; error?: unknown }> {
  const { seen, handler } = recorder();
  try {
    await readCapture(file, handler);
    return { seen };
  } catch (error) {
    return { seen, error };
  }
}

let countsMemo: Map<string, number> | undefined;

/** capinfos' packet count of every corpus file it reads (one batched call; refused files are absent). */
function capinfosCounts(): Map<string, number> {
  if (countsMemo) return countsMemo;
  const res = spawnSync("capinfos", ["-c", "-T", "-r", "-M", ...files], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  countsMemo = new Map();
  for (const line of res.stdout.split("\n")) {
    const [name, n] = line.split("\t");
    if (n !== undefined) countsMemo.set(name, Number(n));
  }
  return countsMemo;
}

test("packet counts equal capinfos for every corpus capture it reads", { skip: SKIP }, async () => {
  const counts = capinfosCounts();
  assert.ok(counts.size >= files.length - 20, `capinfos read ${counts.size} of ${files.length}`);
  const bad: string[] = [];
  for (const f of files) {
    const want = counts.get(f);
    if (want === undefined) continue;
    const { seen, error } = await ours(f);
    if (error || seen.packets.length !== want)
      bad.push(`${rel(f)}: ${seen.packets.length} vs ${want} ${error ?? ""}`);
  }
  assert.deepEqual(bad, []);
});

test("files Wireshark refuses: bad headers are CaptureErrors, unknown link types are read", {
  skip: SKIP,
}, async () => {
  const refused = files.filter((f) => !capinfosCounts().has(f));
  assert.ok(refused.length > 0, "the corpus has invalid files");
  let invalid = 0;
  for (const f of refused) {
    const why = spawnSync("capinfos", ["-c", f], { encoding: "utf8" }).stderr;
    const { seen, error } = await ours(f);
    if (/network type \d+ unknown or unsupported/.test(why)) {
      assert.equal(error, undefined, `${rel(f)}: ${error}`);
      assert.ok(seen.packets.length > 0, rel(f));
    } else {
      invalid++;
      assert.ok(error instanceof CaptureError, `${rel(f)} (${why.trim()}) gave ${error}`);
      assert.match(error.line(), /offset \d+: /);
    }
  }
  assert.ok(invalid >= 3, `${invalid} invalid-header files`);
});

const FIELDS = [
  "frame.encap_type",
  "frame.time_epoch",
  "frame.len",
  "frame.cap_len",
  "frame.interface_id",
  "frame.comment",
];

/** tshark's per-frame fields for one capture, packet records only (custom blocks show as records too). */
async function tsharkRows(file: string): Promise<string[][]> {
  const args = ["-n", "--disable-protocol", "ALL", "--enable-protocol", "frame", "-r", file, "-T", "fields"];
  args.push("-E", "occurrence=a", "-E", "aggregator=\u001e");
  for (const x of FIELDS) args.push("-e", x);
  const { stdout } = await run("tshark", args, { maxBuffer: 256 << 20 });
  return stdout
    .split("\n")
    .map((l) => l.split("\t"))
    .filter((r) => r.length === FIELDS.length && r[0] !== "")
    .map((r) => r.slice(1));
}

/** The corpus files capinfos reads, of one kind. */
function readable(ext: string): string[] {
  return files.filter((f) => f.endsWith(ext) && capinfosCounts().has(f));
}

/**
 * Link types whose frames start with a pseudo-header Wireshark's reader consumes, so its frame lengths are
 * shorter by that much: SunATM (123) has a 4-byte one. Ours are the file's record lengths.
 */
const PSEUDO_HEADER: Record<number, number> = { 123: 4 };

test("every pcapng, concatenated into one multi-section file, equals tshark frame by frame", {
  skip: SKIP,
}, async () => {
  // Byte concatenation of pcapng files is itself a valid pcapng (one section each), so one tshark run
  // checks them all, with interface numbers running on across sections as both readers number them.
  const parts = readable(".pcapng");
  assert.ok(parts.length >= 60, `${parts.length} files`);
  const dir = mkdtempSync(join(tmpdir(), "phonehome-corpus-"));
  try {
    const all = join(dir, "all.pcapng");
    writeFileSync(all, Buffer.concat(parts.map((f) => readFileSync(f))));
    const { seen, error } = await ours(all);
    assert.equal(seen.sections.length, parts.length);
    // tshark 4.0 prints the section-local interface id; ours run on across sections.
    const local = (g: number) => g - seen.ifaces.findIndex((i) => i.section === seen.ifaces[g].section);
    assert.equal(compareFrames(seen.packets, seen.problems, await tsharkRows(all), error, local), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every pcap, merged by mergecap, equals tshark frame by frame", { skip: SKIP }, async () => {
  // mergecap -a appends files in order through the same library tshark reads with, so one tshark run
  // gives each file's frames in sequence; interface numbers are mergecap's own and are not compared.
  const parts = readable(".pcap");
  assert.ok(parts.length >= 400, `${parts.length} files`);
  const dir = mkdtempSync(join(tmpdir(), "phonehome-corpus-"));
  try {
    const all = join(dir, "all.pcapng");
    await run("mergecap", ["-a", "-F", "pcapng", "-w", all, ...parts]);
    const rows = await tsharkRows(all);
    const bad: string[] = [];
    let at = 0;
    for (const f of parts) {
      const { seen, error } = await ours(f);
      const diff = compareFrames(
        seen.packets,
        seen.problems,
        rows.slice(at, at + seen.packets.length),
        error,
        undefined,
      );
      if (diff) bad.push(`${rel(f)}: ${diff}`);
      at += seen.packets.length;
    }
    assert.deepEqual(bad, []);
    assert.equal(at, rows.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** First difference between our frames and tshark's rows, or undefined. */
function compareFrames(
  packets: SeenPacket[],
  problems: CaptureProblem[],
  rows: string[][],
  error: unknown,
  localIface: ((global: number) => number) | undefined,
): string | undefined {
  if (error) return String(error);
  if (packets.length !== rows.length) return `${packets.length} frames vs ${rows.length}`;
  // Frames whose sub-second field is out of range: we carry it, Wireshark overflows; we flag them.
  const badTs = new Set(
    problems
      .filter((p) => p.name === "pcap_bad_timestamp")
      .map((p) => Number(/frame (\d+)/.exec(p.detail)?.[1])),
  );
  for (let i = 0; i < rows.length; i++) {
    const [epoch, len, capLen, iface, comment] = rows[i];
    const p = packets[i];
    const [sec, frac = ""] = epoch.split(".");
    // An SPB has no timestamp: tshark prints nothing, we report 0.
    const want = epoch === "" ? [0, 0] : [Number(sec), Number(frac.padEnd(9, "0"))];
    if (!badTs.has(p.frame) && (p.tsSec !== want[0] || p.tsNsec !== want[1])) {
      return `frame ${p.frame} time ${p.tsSec}.${p.tsNsec} vs ${epoch}`;
    }
    const ph = PSEUDO_HEADER[p.linkType] ?? 0;
    if (String(p.origLen - ph) !== len || String(Math.max(0, p.capLen - ph)) !== capLen) {
      return `frame ${p.frame} lengths ${p.origLen}/${p.capLen} vs ${len}/${capLen}`;
    }
    if (localIface && localIface(p.iface) !== Number(iface || 0)) {
      return `frame ${p.frame} interface ${p.iface} vs ${iface}`;
    }
    const comments = comment ? comment.split("\u001e") : undefined;
    if (JSON.stringify(p.comments) !== JSON.stringify(comments)) return `frame ${p.frame} comments differ`;
  }
  return undefined;
}
