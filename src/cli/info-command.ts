// `phonehome info <capture>... [--json]`: a capinfos-like summary per input.

import { type CaptureInfo, captureInfo } from "../app/capture-info.ts";
import { oneLine } from "../report/one-line.ts";

/** Summaries of every input, in order. */
export async function infoCommand(files: string[]): Promise<CaptureInfo[]> {
  const out: CaptureInfo[] = [];
  for (const f of files) out.push(await captureInfo(f));
  return out;
}

/** The text form, one block per input. */
export function formatInfo(i: CaptureInfo): string {
  const rows: [string, string][] = [
    ["File", i.file],
    ["Format", `${i.format}${i.compressed ? " (gzip)" : ""}${i.variant ? ` (${i.variant})` : ""}`],
  ];
  if (i.format !== "har") {
    rows.push(["Byte order", [...new Set(i.byte_order)].join(", ") || "-"]);
    rows.push(["Sections", String(i.sections)]);
    for (const f of i.interfaces) rows.push([`Interface ${f.index}`, describeIface(f)]);
  }
  rows.push([i.format === "har" ? "Entries" : "Packets", String(i.packets)]);
  if (i.format !== "har") rows.push(["Captured bytes", `${i.captured_bytes} (on the wire ${i.wire_bytes})`]);
  rows.push(["First packet", i.first_ts ?? "-"], ["Last packet", i.last_ts ?? "-"]);
  rows.push(["Duration", `${i.duration.toFixed(6)} s`]);
  if (i.format !== "har") {
    rows.push(["Secrets blocks", String(i.secrets_blocks)], ["Connections", String(i.conns)]);
    rows.push(["Weirds", String(i.weirds)]);
  }
  for (const c of i.comments) rows.push(["Comment", oneLine(c)]);
  for (const p of i.problems) rows.push(["Problem", p]);
  const width = Math.max(...rows.map((r) => r[0].length)) + 1;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`).join("\n");
}

function describeIface(f: CaptureInfo["interfaces"][number]): string {
  const res = f.ts_resolution === 1e9 ? "ns" : f.ts_resolution === 1e6 ? "µs" : `1/${f.ts_resolution} s`;
  const name = f.name ? ` "${oneLine(f.name)}"` : "";
  return `${f.link_name} (${f.link_type})${name}, ts ${res}, snaplen ${f.snaplen}, ${f.packets} packets`;
}
