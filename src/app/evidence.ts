// The evidence pcapng (issue 6): only the packets of the connections with findings, the TLS secrets of those
// connections as a Decryption Secrets Block, and a packet comment on each packet that carried a finding —
// a file an analyst can open in Wireshark, or hand to someone else, without the rest of the capture.

import { closeSync, openSync, readFileSync, renameSync } from "node:fs";
import type { CaptureHandler, SecretsInfo } from "../capture/capture-events.ts";
import { readCapture } from "../capture/read-capture.ts";
import { PacketDecoder } from "../decode/packet-decoder.ts";
import { DSB_TLS_KEY_LOG } from "../decrypt/key-log.ts";
import type { FindingRecord } from "../model/finding.ts";
import { newPacketLayers } from "../model/layers.ts";
import { PcapngWriter } from "../report/pcapng-writer.ts";
import type { AnalysisReport } from "../report/report-types.ts";
import { FlowTable } from "../session/flow-table.ts";

/** Comments written per packet at most. */
const MAX_COMMENTS = 8;

/** What the evidence needs besides the report. */
export interface EvidenceOptions {
  /** Client randoms (hex) of the TLS connections, by uid, as the analysis saw them. */
  clientRandoms?: ReadonlyMap<string, string>;
  /** Key log text given with --keylog, searched for those client randoms too. */
  keyLogText?: string;
}

/** What was written. */
export interface EvidenceResult {
  /** Packets written. */
  packets: number;
  /** Connections they belong to. */
  connections: number;
  /** Key log lines embedded. */
  keyLines: number;
}

/** Writes `out` (atomically) from a second pass over the inputs. */
export async function writeEvidence(
  files: string[],
  report: AnalysisReport,
  out: string,
  opts: EvidenceOptions = {},
): Promise<EvidenceResult> {
  const comments = commentsByPacket(report.findings);
  const uids = new Set(report.findings.map((f) => f.uid));
  const randoms = new Set<string>();
  for (const uid of uids) {
    const r = opts.clientRandoms?.get(uid);
    if (r) randoms.add(r.toLowerCase());
  }
  const tmp = `${out}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  const writer = new PcapngWriter({
    fd,
    userappl: "phonehome",
    comment: "phonehome evidence: connections with findings",
  });
  const res: EvidenceResult = { packets: 0, connections: uids.size, keyLines: 0 };
  try {
    const lines = keyLines(opts.keyLogText ?? "", randoms);
    for (const file of files) {
      await pass(file, uids, comments, writer, res, randoms, lines);
    }
    writeKeys(writer, lines, res);
    writer.close();
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, out);
  return res;
}

/** Finding comments by `uid|frame` (uids tell the inputs apart; frame numbers restart in each). */
function commentsByPacket(findings: readonly FindingRecord[]): Map<string, string[]> {
  const byPacket = new Map<string, string[]>();
  for (const f of findings) {
    const frame = f.frames[1] || f.frames[0];
    if (frame <= 0) continue;
    const key = `${f.uid}|${frame}`;
    const list = byPacket.get(key) ?? [];
    const text = `phonehome: ${f.label} (${f.value_masked}) via ${f.chain.join(" > ")}${f.severity ? ` [${f.severity}]` : ""}`;
    if (list.length < MAX_COMMENTS && !list.includes(text)) list.push(text);
    byPacket.set(key, list);
  }
  return byPacket;
}

async function pass(
  file: string,
  uids: Set<string>,
  comments: Map<string, string[]>,
  writer: PcapngWriter,
  res: EvidenceResult,
  randoms: Set<string>,
  lines: Map<string, boolean>,
): Promise<void> {
  const decoder = new PacketDecoder({ weird: () => {} });
  // Same seed as the analysis run, so the same connections get the same uids.
  const flows = new FlowTable({ onConn: () => {}, weird: () => {}, seed: file });
  const layers = newPacketLayers();
  const handler: CaptureHandler = {
    packet(p) {
      const kind = decoder.decode(p, layers);
      if (kind !== "tcp" && kind !== "udp") return;
      flows.packet(p, layers);
      if (!uids.has(flows.lastUid)) return;
      writeKeys(writer, lines, res);
      const mine = comments.get(`${flows.lastUid}|${p.frame}`) ?? [];
      writer.packet({
        linkType: p.linkType,
        tsSec: p.tsSec,
        tsNsec: p.tsNsec,
        data: p.data,
        offset: p.offset,
        capLen: p.capLen,
        origLen: p.origLen,
        comments: [...(p.comments ?? []), ...mine],
      });
      res.packets++;
    },
    secrets(s: SecretsInfo) {
      if (s.secretsType !== DSB_TLS_KEY_LOG) return;
      for (const k of keyLines(Buffer.from(s.data).toString("latin1"), randoms).keys()) {
        if (!lines.has(k)) lines.set(k, false);
      }
    },
  };
  await readCapture(file, handler);
  decoder.end();
}

/** Key log lines whose client random is wanted; the value says whether it was written yet. */
function keyLines(text: string, randoms: Set<string>): Map<string, boolean> {
  const out = new Map<string, boolean>();
  if (randoms.size === 0) return out;
  for (const raw of text.split(/\r?\n/)) {
    const parts = raw.trim().split(/\s+/);
    if (parts.length === 3 && randoms.has(parts[1].toLowerCase())) out.set(parts.join(" "), false);
  }
  return out;
}

/** Writes the key lines not written yet as one DSB (before the packets that need them, when known in time). */
function writeKeys(writer: PcapngWriter, lines: Map<string, boolean>, res: EvidenceResult): void {
  const fresh = [...lines].filter(([, written]) => !written).map(([line]) => line);
  if (fresh.length === 0) return;
  writer.tlsKeyLog(`${fresh.join("\n")}\n`);
  for (const l of fresh) lines.set(l, true);
  res.keyLines += fresh.length;
}

/** Reads a key log file's text for the evidence (the analysis already validated it). */
export function keyLogText(file: string | undefined): string | undefined {
  return file ? readFileSync(file, "latin1") : undefined;
}
