// `info`: a capinfos-like summary of one capture — structure, counts, time span, secrets, comments, conns.

import type { InterfaceInfo, SectionInfo } from "../capture/capture-events.ts";
import { readHar } from "../capture/har-reader.ts";
import { linkTypeName } from "../decode/link/link-types.ts";
import type { Packet } from "../model/packet.ts";
import { runCapture } from "./capture-run.ts";

/** One interface as `info` shows it. */
export interface InterfaceSummary {
  /** Global interface index. */
  index: number;
  /** Section it belongs to. */
  section: number;
  /** LINKTYPE_* number. */
  link_type: number;
  /** Link type name, e.g. `ETHERNET`. */
  link_name: string;
  /** Timestamp resolution as units per second. */
  ts_resolution: number;
  /** Snapshot length. */
  snaplen: number;
  /** if_name, when given. */
  name?: string;
  /** Packets captured on it. */
  packets: number;
}

/** What `phonehome info` reports for one input. */
export interface CaptureInfo {
  /** The input's name. */
  file: string;
  /** Container format. */
  format: string;
  /** gzip-compressed input. */
  compressed: boolean;
  /** Byte order of each section. */
  byte_order: string[];
  /** Sections (pcapng SHBs; 1 for pcap). */
  sections: number;
  /** pcap variant (us, ns, modified) when pcap. */
  variant?: string;
  /** Interfaces. */
  interfaces: InterfaceSummary[];
  /** Frames (HAR: entries). */
  packets: number;
  /** Sum of captured frame lengths. */
  captured_bytes: number;
  /** Sum of on-the-wire frame lengths. */
  wire_bytes: number;
  /** First packet time as ISO-8601 with nanoseconds, or null when there are none. */
  first_ts: string | null;
  /** Last packet time. */
  last_ts: string | null;
  /** Seconds between first and last packet. */
  duration: number;
  /** Decryption Secrets Blocks. */
  secrets_blocks: number;
  /** Comments found on sections, interfaces and frames. */
  comments: string[];
  /** TCP/UDP connections. */
  conns: number;
  /** Weird records raised. */
  weirds: number;
  /** Problems in the file (truncation, bad blocks). */
  problems: string[];
}

const MAX_COMMENTS = 100;

/** Nanosecond-exact ISO-8601 time. */
export function isoNanos(sec: number, nsec: number): string {
  const base = new Date(sec * 1000).toISOString().slice(0, 19);
  return `${base}.${String(nsec).padStart(9, "0")}Z`;
}

/** Reads a capture and summarises it. */
export async function captureInfo(file: string): Promise<CaptureInfo> {
  const sections: SectionInfo[] = [];
  const ifaces: InterfaceInfo[] = [];
  const perIface: number[] = [];
  const comments: string[] = [];
  const span = { first: [0, 0], last: [0, 0], any: false };
  let captured = 0;
  let wire = 0;
  let secrets = 0;
  let conns = 0;
  let weirds = 0;
  const keepComments = (cs: string[] | undefined) => {
    if (cs) for (const c of cs) if (comments.length < MAX_COMMENTS) comments.push(c);
  };
  const onPacket = (p: Packet) => {
    captured += p.capLen;
    wire += p.origLen;
    perIface[p.iface] = (perIface[p.iface] ?? 0) + 1;
    if (!span.any || before(p, span.first)) span.first = [p.tsSec, p.tsNsec];
    if (!span.any || before(span.last, p)) span.last = [p.tsSec, p.tsNsec];
    span.any = true;
    keepComments(p.comments);
  };
  const stats = await runCapture(file, {
    decoders: [], // info counts connections; it needs no protocol decoded
    onRecord: (r) => (r.type === "conn" ? conns++ : weirds++),
    onPacket,
    observer: {
      section: (s) => {
        sections.push(s);
        keepComments(s.comments);
      },
      iface: (i) => {
        ifaces.push(i);
        keepComments(i.comments);
      },
      secrets: () => secrets++,
    },
  });
  if (stats.format === "har") return harInfo(file);
  return {
    file,
    format: stats.format,
    compressed: stats.compressed,
    byte_order: sections.map((s) => s.byteOrder),
    sections: sections.length,
    variant: sections[0]?.variant,
    interfaces: ifaces.map((i) => summariseIface(i, perIface[i.index] ?? 0)),
    packets: stats.packets,
    captured_bytes: captured,
    wire_bytes: wire,
    first_ts: span.any ? isoNanos(span.first[0], span.first[1]) : null,
    last_ts: span.any ? isoNanos(span.last[0], span.last[1]) : null,
    duration: span.any ? span.last[0] - span.first[0] + (span.last[1] - span.first[1]) / 1e9 : 0,
    secrets_blocks: secrets,
    comments,
    conns,
    weirds,
    problems: stats.problems.map((p) => `offset ${p.offset}: ${p.detail}`),
  };
}

function before(
  a: { tsSec: number; tsNsec: number } | number[],
  b: { tsSec: number; tsNsec: number } | number[],
): boolean {
  const [as, an] = Array.isArray(a) ? a : [a.tsSec, a.tsNsec];
  const [bs, bn] = Array.isArray(b) ? b : [b.tsSec, b.tsNsec];
  return as < bs || (as === bs && an < bn);
}

function summariseIface(i: InterfaceInfo, packets: number): InterfaceSummary {
  return {
    index: i.index,
    section: i.section,
    link_type: i.linkType,
    link_name: linkTypeName(i.linkType),
    ts_resolution: i.tsResolution,
    snaplen: i.snapLen,
    name: i.options.if_name,
    packets,
  };
}

async function harInfo(file: string): Promise<CaptureInfo> {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const res = await readHar(file, (x) => {
    if (x.request.ts <= 0) return; // an entry without a readable start time
    first = Math.min(first, x.request.ts);
    last = Math.max(last, x.request.ts);
  });
  const has = res.entries > 0 && Number.isFinite(first);
  const iso = (t: number) => new Date(t * 1000).toISOString();
  return {
    file,
    format: "har",
    compressed: false,
    byte_order: [],
    sections: res.pages,
    interfaces: [],
    packets: res.entries,
    captured_bytes: 0,
    wire_bytes: 0,
    first_ts: has ? iso(first) : null,
    last_ts: has ? iso(last) : null,
    duration: has ? last - first : 0,
    secrets_blocks: 0,
    comments: [],
    conns: 0,
    weirds: 0,
    problems: [],
  };
}
