// Test-local builders for the session layer: Packet + PacketLayers pairs laid out by hand (addresses, then
// payload, in one small buffer), a conversation helper that tracks sequence numbers, and a recording consumer.

import type { ConnRecord } from "../../src/model/conn.ts";
import type { PacketLayers } from "../../src/model/layers.ts";
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from "../../src/model/layers.ts";
import type { Packet } from "../../src/model/packet.ts";
import type { WeirdRecord } from "../../src/model/weird.ts";
import { parseAddress } from "../../src/session/address.ts";
import { FlowTable, type FlowTableOptions } from "../../src/session/flow-table.ts";
import type { StreamConsumer, StreamContext } from "../../src/session/stream-consumer.ts";

export { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN };

/** Bytes the fake link + IP + transport headers add (planted so tests can state expected totals). */
export const ETH_LEN = 14;
export const IP4_LEN = 20;
export const IP6_LEN = 40;
export const TCP_LEN = 20;
export const UDP_LEN = 8;

/** One packet to build. */
export interface PacketSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto: 6 | 17;
  flags?: number;
  seq?: number;
  ack?: number;
  payload?: string | Uint8Array;
  /** Payload bytes on the wire when more than captured (snaplen). */
  wireLen?: number;
  ts: number;
  frame: number;
}

/** Builds a Packet/PacketLayers pair; the buffer holds src address, dst address, then payload. */
export function build(s: PacketSpec): [Packet, PacketLayers] {
  const src = parseAddress(s.src);
  const dst = parseAddress(s.dst);
  if (!src || !dst) throw new Error(`bad address ${s.src} / ${s.dst}`);
  const payload =
    typeof s.payload === "string" ? new TextEncoder().encode(s.payload) : (s.payload ?? new Uint8Array(0));
  const n = src.length;
  const data = new Uint8Array(2 * n + payload.length);
  data.set(src, 0);
  data.set(dst, n);
  data.set(payload, 2 * n);
  const wireLen = s.wireLen ?? payload.length;
  const ipTotalLen = (n === 4 ? IP4_LEN : IP6_LEN) + (s.proto === 6 ? TCP_LEN : UDP_LEN) + wireLen;
  const l: PacketLayers = {
    data,
    ipVersion: n === 4 ? 4 : 6,
    srcOff: 0,
    dstOff: n,
    addrLen: n as 4 | 16,
    ipProto: s.proto,
    ipTotalLen,
    srcPort: s.sport,
    dstPort: s.dport,
    tcpSeq: (s.seq ?? 0) >>> 0,
    tcpAck: (s.ack ?? 0) >>> 0,
    tcpFlags: s.flags ?? 0,
    tcpWindow: 65535,
    payloadOff: 2 * n,
    payloadLen: payload.length,
    payloadWireLen: wireLen,
  };
  const tsSec = Math.floor(s.ts);
  const p: Packet = {
    frame: s.frame,
    tsSec,
    tsNsec: Math.round((s.ts - tsSec) * 1e9),
    linkType: 1,
    iface: 0,
    data,
    offset: 0,
    capLen: data.length,
    origLen: ETH_LEN + ipTotalLen,
    comments: undefined,
  };
  return [p, l];
}

/** What a RecordingConsumer saw, per direction. */
export interface Recorded {
  ctx: StreamContext;
  /** Delivered bytes per direction (gaps shown as `len` × "?" in `text`). */
  orig: number[];
  resp: number[];
  gaps: { fromOrig: boolean; len: number }[];
  frames: number[];
  ends: number;
  /** Calls of data() per direction. */
  origCalls: number;
  respCalls: number;
}

/** A consumer that writes down everything (gaps as 0x3f `?` bytes so text comparisons show them). */
export function recordingFactory(sink: Recorded[]): (ctx: StreamContext) => StreamConsumer {
  return (ctx) => {
    const r: Recorded = {
      ctx,
      orig: [],
      resp: [],
      gaps: [],
      frames: [],
      ends: 0,
      origCalls: 0,
      respCalls: 0,
    };
    sink.push(r);
    return {
      data(fromOrig, bytes, _ts, frame) {
        if (r.ends > 0) throw new Error("data after end");
        (fromOrig ? r.orig : r.resp).push(...bytes);
        if (fromOrig) r.origCalls++;
        else r.respCalls++;
        r.frames.push(frame);
        return undefined;
      },
      gap(fromOrig, len) {
        if (r.ends > 0) throw new Error("gap after end");
        r.gaps.push({ fromOrig, len });
        (fromOrig ? r.orig : r.resp).push(...new Array<number>(len).fill(0x3f));
      },
      end() {
        r.ends++;
      },
    };
  };
}

/** Text of recorded bytes. */
export function text(bytes: number[]): string {
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** A flow table wired to arrays, for tests. */
export function harness(opts: Partial<FlowTableOptions> = {}, record = true) {
  const conns: ConnRecord[] = [];
  const weirds: Omit<WeirdRecord, "type">[] = [];
  const streams: Recorded[] = [];
  const table = new FlowTable({
    onConn: (c) => conns.push(c),
    weird: (w) => weirds.push(w),
    consumers: record ? recordingFactory(streams) : undefined,
    ...opts,
  });
  return { table, conns, weirds, streams };
}

/** A TCP or UDP conversation between a client and a server that tracks each side's next sequence number. */
export class Conversation {
  frame = 1;
  ts = 1_400_000_000;
  /** Next sequence number of the client and of the server. */
  cSeq: number;
  sSeq: number;

  constructor(
    readonly table: FlowTable,
    readonly client = "10.0.0.2",
    readonly server = "93.184.216.34",
    readonly cport = 49152,
    readonly sport = 80,
    readonly proto: 6 | 17 = 6,
    cIsn = 1000,
    sIsn = 5000,
  ) {
    this.cSeq = cIsn;
    this.sSeq = sIsn;
  }

  /** Sends one packet from the client (`c`) or server (`s`); advances that side's sequence number. */
  send(
    from: "c" | "s",
    flags: number,
    payload: string | Uint8Array = "",
    extra: Partial<PacketSpec> = {},
  ): void {
    const c = from === "c";
    const len = typeof payload === "string" ? new TextEncoder().encode(payload).length : payload.length;
    const seq = c ? this.cSeq : this.sSeq;
    const spec: PacketSpec = {
      src: c ? this.client : this.server,
      dst: c ? this.server : this.client,
      sport: c ? this.cport : this.sport,
      dport: c ? this.sport : this.cport,
      proto: this.proto,
      flags,
      seq,
      ack: c ? this.sSeq : this.cSeq,
      payload,
      ts: this.ts,
      frame: this.frame++,
      ...extra,
    };
    this.ts += 0.01;
    const [p, l] = build(spec);
    this.table.packet(p, l);
    if (extra.seq === undefined) {
      const adv = (extra.wireLen ?? len) + (flags & TCP_SYN ? 1 : 0) + (flags & TCP_FIN ? 1 : 0);
      if (c) this.cSeq = (this.cSeq + adv) >>> 0;
      else this.sSeq = (this.sSeq + adv) >>> 0;
    }
  }

  /** SYN, SYN-ACK, ACK. */
  handshake(): void {
    this.send("c", TCP_SYN);
    this.send("s", TCP_SYN | TCP_ACK);
    this.send("c", TCP_ACK);
  }

  /** FIN from the client, FIN from the server, final ACK. */
  close(): void {
    this.send("c", TCP_FIN | TCP_ACK);
    this.send("s", TCP_FIN | TCP_ACK);
    this.send("c", TCP_ACK);
  }
}
