// Shared by the capture reader tests: runs a parser over bytes (whole, or split into chunks) and records
// everything it reported, with each packet's bytes copied out (the parser reuses its Packet object).

import fc from "fast-check";
import {
  CaptureError,
  type CaptureHandler,
  type CaptureProblem,
  type InterfaceInfo,
  type InterfaceStats,
  type NameRecord,
  type SecretsInfo,
  type SectionInfo,
} from "../../src/capture/capture-events.ts";
import { PcapParser } from "../../src/capture/pcap-reader.ts";
import { PcapngParser } from "../../src/capture/pcapng-reader.ts";
import type { WriteFrame } from "../helpers/capture-writer.ts";

/** A packet as reported, with its bytes copied. */
export interface SeenPacket {
  frame: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  iface: number;
  capLen: number;
  origLen: number;
  comments: string[] | undefined;
  bytes: number[];
}

/** Everything a parser reported. */
export interface Seen {
  packets: SeenPacket[];
  sections: SectionInfo[];
  ifaces: InterfaceInfo[];
  secrets: SecretsInfo[];
  names: NameRecord[][];
  stats: InterfaceStats[];
  custom: { pen: number; data: number[]; copyable: boolean }[];
  problems: CaptureProblem[];
  blocks: number[];
}

/** A handler that records into a fresh `Seen`. */
export function recorder(): { seen: Seen; handler: CaptureHandler } {
  const seen: Seen = {
    packets: [],
    sections: [],
    ifaces: [],
    secrets: [],
    names: [],
    stats: [],
    custom: [],
    problems: [],
    blocks: [],
  };
  const handler: CaptureHandler = {
    packet(p) {
      if (p.offset < 0 || p.capLen < 0 || p.offset + p.capLen > p.data.length) {
        throw new Error(`frame ${p.frame} lies outside its buffer`);
      }
      if (!(p.tsNsec >= 0 && p.tsNsec < 1e9)) throw new Error(`frame ${p.frame} tsNsec ${p.tsNsec}`);
      seen.packets.push({
        frame: p.frame,
        tsSec: p.tsSec,
        tsNsec: p.tsNsec,
        linkType: p.linkType,
        iface: p.iface,
        capLen: p.capLen,
        origLen: p.origLen,
        comments: p.comments ? [...p.comments] : undefined,
        bytes: [...p.data.subarray(p.offset, p.offset + p.capLen)],
      });
    },
    section: (s) => seen.sections.push(s),
    iface: (i) => seen.ifaces.push(i),
    secrets: (s) => seen.secrets.push(s),
    names: (n) => seen.names.push(n),
    stats: (s) => seen.stats.push(s),
    custom: (pen, data, copyable) => seen.custom.push({ pen, data: [...data], copyable }),
    problem: (p) => seen.problems.push(p),
  };
  return { seen, handler };
}

/** Parses `bytes` as pcap or pcapng, pushed in pieces cut at `cuts` (sorted offsets). */
export function parse(
  kind: "pcap" | "pcapng",
  bytes: Uint8Array,
  cuts: number[] = [],
  maxRecordBytes?: number,
): Seen {
  const { seen, handler } = recorder();
  const opts = { file: "test", maxRecordBytes, onBlock: (t: number) => seen.blocks.push(t) };
  const parser = kind === "pcap" ? new PcapParser(handler, opts) : new PcapngParser(handler, opts);
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    // Copy each piece so nothing can lean on the pieces sharing one buffer.
    parser.push(bytes.slice(prev, c));
    prev = c;
  }
  parser.end();
  return seen;
}

/** Hex text (spaces, newlines and `# comments` allowed) to bytes. */
export function hex(text: string): Uint8Array {
  const clean = text
    .split("\n")
    .map((l) => l.replace(/#.*/, ""))
    .join("")
    .replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** One edit of a byte string: flip a byte, insert bytes, or delete a range (positions are fractions). */
export type Mutation =
  | { op: "flip"; at: number; value: number }
  | { op: "insert"; at: number; bytes: Uint8Array }
  | { op: "delete"; at: number; len: number };

/** Applies mutations in order; positions are fractions of the current length. */
export function mutate(bytes: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = bytes;
  for (const m of muts) {
    const at = Math.floor(m.at * b.length);
    if (m.op === "flip" && b.length > 0) {
      b = b.slice();
      b[Math.min(at, b.length - 1)] = m.value;
    } else if (m.op === "insert") {
      const out = new Uint8Array(b.length + m.bytes.length);
      out.set(b.subarray(0, at));
      out.set(m.bytes, at);
      out.set(b.subarray(at), at + m.bytes.length);
      b = out;
    } else if (m.op === "delete") {
      b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.len)]);
    }
  }
  return b;
}

/** Cut points from fractions, sorted and deduplicated, inside [0, len]. */
export function cutsOf(fracs: number[], len: number): number[] {
  return [...new Set(fracs.map((f) => Math.floor(f * len)))].sort((a, b) => a - b);
}

/**
 * Parses like `parse`, but returns a CaptureError instead of throwing it. Anything else thrown (including
 * the recorder's check that every frame lies inside the buffer it is handed in) still throws.
 */
export function parseChecked(
  kind: "pcap" | "pcapng",
  bytes: Uint8Array,
  cuts: number[] = [],
): Seen | CaptureError {
  try {
    return parse(kind, bytes, cuts);
  } catch (e) {
    if (e instanceof CaptureError) return e;
    throw e;
  }
}

const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** Arbitrary mutation lists: byte flips, insertions, deletions. */
export const mutationsArb: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant("flip" as const), at: frac, value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({
      op: fc.constant("insert" as const),
      at: frac,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
    fc.record({ op: fc.constant("delete" as const), at: frac, len: fc.integer({ min: 1, max: 40 }) }),
  ),
  { minLength: 1, maxLength: 4 },
);

/** Arbitrary chunkings: up to 6 cut positions as fractions of the length. */
export const cutsArb: fc.Arbitrary<number[]> = fc.array(frac, { maxLength: 6 });

/** Arbitrary frames for the writers. */
export const framesArb: fc.Arbitrary<WriteFrame[]> = fc.array(
  fc.record({
    data: fc.uint8Array({ maxLength: 70 }),
    tsSec: fc.integer({ min: 0, max: 0xffffffff }),
    tsNsec: fc.integer({ min: 0, max: 999_999_999 }),
  }),
  { maxLength: 5 },
);
