// The session layer's entry point: turns decoded TCP/UDP packets into connections. Finds each packet's flow
// (no allocation on the hot path), keeps per-side counters and TCP state, hands payload to the decoder a
// consumer factory picks, expires idle flows in packet time, bounds the live flow count, and emits one
// `conn` record per connection when it closes.

import type { ConnRecord } from "../model/conn.ts";
import type { PacketLayers } from "../model/layers.ts";
import { IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_SYN } from "../model/layers.ts";
import type { Packet } from "../model/packet.ts";
import { packetTime } from "../model/packet.ts";
import type { WeirdSink } from "../model/weird.ts";
import { formatAddress } from "./address.ts";
import { communityId } from "./community-id.ts";
import type { SessionWeird } from "./flow.ts";
import { Flow, SESSION_WEIRDS } from "./flow.ts";
import { FlowIndex } from "./flow-index.ts";
import { FlowList } from "./flow-list.ts";
import { byteCount, layersValid } from "./layers-check.ts";
import type { ConsumerFactory, StreamContext } from "./stream-consumer.ts";
import { TcpFlow } from "./tcp-flow.ts";
import type { ReassemblyBudget } from "./tcp-reassembler.ts";
import { REASM_AFTER_FIN, REASM_BUFFER_LIMIT, REASM_OVERLAP_MISMATCH } from "./tcp-reassembler.ts";
import { UidGenerator } from "./uid.ts";

// Module-local copies of imported constants: the TypeScript loader turns imported bindings into getter
// calls, which the per-packet path should not pay for.
const TCP = IPPROTO_TCP;
const UDP = IPPROTO_UDP;
const SYN_ACK = TCP_SYN | TCP_ACK;
const timeOf = packetTime;
const validLayers = layersValid;
const asCount = byteCount;
const OVERLAP = REASM_OVERLAP_MISMATCH;
const LIMIT = REASM_BUFFER_LIMIT;
const AFTER_FIN = REASM_AFTER_FIN;

/** How the flow table is wired and bounded. */
export interface FlowTableOptions {
  /** Receives each connection's record when it closes. */
  onConn: (c: ConnRecord) => void;
  /** Receives session weirds (see SESSION_WEIRDS). */
  weird: WeirdSink;
  /** Picks a decoder per connection; when absent or it returns undefined: no reassembly, just accounting. */
  consumers?: ConsumerFactory;
  /** Bytes held out of order per direction (default 1 MiB). */
  maxBufferPerFlow?: number;
  /** Bytes held out of order across all flows (default 64 MiB), so memory stays bounded at any flow count. */
  maxBufferTotal?: number;
  /** Live flows; beyond it, the least recently seen is closed (default 200 000). */
  maxFlows?: number;
  /** Idle timeout of an open TCP connection, packet time (default TCP_IDLE_SEC). */
  tcpIdleSec?: number;
  /** Idle timeout of a UDP flow, packet time (default 60 s). */
  udpIdleSec?: number;
  /** Makes uids deterministic per input (default ""). */
  seed?: string;
}

/**
 * Idle seconds before an open TCP connection is closed: an hour, because phones keep push channels open and
 * quiet for many minutes, and splitting them would misreport them (memory is bounded by maxFlows anyway).
 */
export const TCP_IDLE_SEC = 3600;

/** Seconds a TCP connection closed by FIN both ways or RST stays to collect its last packets (Zeek: 5 s). */
export const TCP_CLOSE_LINGER_SEC = 5;

/** Tracks live connections and emits their conn records. */
export class FlowTable {
  private readonly index = new FlowIndex();
  private readonly tcpOpen = new FlowList<Flow>();
  private readonly tcpClosed = new FlowList<Flow>();
  private readonly udp = new FlowList<Flow>();
  private readonly uids: UidGenerator;
  private readonly budget: ReassemblyBudget;
  private readonly maxBuffer: number;
  private readonly maxFlows: number;
  private readonly tcpIdle: number;
  private readonly udpIdle: number;
  private readonly linger: number;
  private now = Number.NEGATIVE_INFINITY;
  private nextSweep = Number.NEGATIVE_INFINITY;
  private touches = 0;
  private serials = 0;
  private fullReported = false;

  /** See FlowTableOptions for the defaults. */
  constructor(private readonly opts: FlowTableOptions) {
    this.uids = new UidGenerator(opts.seed ?? "");
    this.maxBuffer = opts.maxBufferPerFlow ?? 1 << 20;
    this.budget = { used: 0, max: opts.maxBufferTotal ?? 64 << 20 };
    this.maxFlows = Math.max(1, opts.maxFlows ?? 200_000);
    this.tcpIdle = opts.tcpIdleSec ?? TCP_IDLE_SEC;
    this.udpIdle = opts.udpIdleSec ?? 60;
    this.linger = Math.min(TCP_CLOSE_LINGER_SEC, this.tcpIdle);
  }

  /** Connections being tracked. */
  get liveFlows(): number {
    return this.index.size;
  }

  /** Bytes of out-of-order data held across all flows. */
  get bufferedBytes(): number {
    return this.budget.used;
  }

  /** Uid of the connection the last packet given to `packet()` belonged to ("" when it was not tracked). */
  lastUid = "";

  /** Takes one TCP or UDP packet whose headers are decoded in `l` (other protocols are ignored). */
  packet(p: Packet, l: PacketLayers): void {
    this.lastUid = "";
    const proto = l.ipProto;
    if (proto !== TCP && proto !== UDP) return;
    let ts = timeOf(p);
    if (!Number.isFinite(ts)) ts = Math.max(this.now, 0);
    if (!validLayers(l)) {
      this.opts.weird({
        ts,
        name: "session_bad_layers",
        frame: p.frame,
        detail: "offsets outside the packet",
      });
      return;
    }
    this.advance(ts);
    this.index.read(l);
    let flow = this.index.find(proto, l.addrLen);
    let fromOrig = this.index.fromOrig;
    if (
      flow !== null &&
      (ts - flow.lastTs > this.timeoutOf(flow) || this.reused(flow, fromOrig, l, ts, p.frame))
    ) {
      this.close(flow);
      flow = null;
    }
    if (flow === null) {
      flow = this.create(p, l, ts);
      fromOrig = !flow.flipped;
    }
    this.lastUid = flow.uid;
    this.account(flow, fromOrig, p, l, ts);
  }

  /** A SYN opens a new connection on this live flow's ports; an open one is named in a weird (Zeek's). */
  private reused(f: Flow, fromOrig: boolean, l: PacketLayers, ts: number, frame: number): boolean {
    if (!f.tcp?.isReuse(fromOrig, l)) return false;
    if (!f.tcp.state.closed) {
      this.flowWeird(f, "active_connection_reuse", ts, frame, fromOrig ? "originator" : "responder");
    }
    return true;
  }

  /** End of input: closes every live flow (consumers' end(), then conn records, oldest connection first). */
  finish(): void {
    const all: Flow[] = [];
    for (const list of [this.tcpOpen, this.tcpClosed, this.udp]) {
      for (let f = list.head; f !== null; f = f.next) all.push(f);
    }
    all.sort((a, b) => a.serial - b.serial);
    for (const f of all) this.close(f);
  }

  private timeoutOf(f: Flow): number {
    return f.list === this.udp ? this.udpIdle : f.list === this.tcpClosed ? this.linger : this.tcpIdle;
  }

  /** Moves packet time forward and, at most once per second of it, closes flows idle past their timeout. */
  private advance(ts: number): void {
    if (ts > this.now) this.now = ts;
    if (this.now < this.nextSweep) return;
    this.nextSweep = this.now + 1;
    this.expire(this.tcpOpen, this.tcpIdle);
    this.expire(this.tcpClosed, this.linger);
    this.expire(this.udp, this.udpIdle);
  }

  private expire(list: FlowList<Flow>, timeout: number): void {
    while (list.tail !== null && this.now - list.tail.lastTs > timeout) this.close(list.tail);
  }

  private create(p: Packet, l: PacketLayers, ts: number): Flow {
    if (this.index.size >= this.maxFlows) this.evictOldest(ts, p.frame);
    const f = new Flow(l.ipProto, l.addrLen);
    // A SYN-ACK seen first: its receiver opened the connection (Zeek marks this `^`).
    f.flipped = l.ipProto === TCP && (l.tcpFlags & SYN_ACK) === SYN_ACK;
    this.setKey(f);
    f.uid = this.uids.next();
    f.communityId = communityId(l.data, l.srcOff, l.dstOff, l.addrLen, l.ipProto, l.srcPort, l.dstPort);
    const src = formatAddress(l.data, l.srcOff, l.addrLen);
    const dst = formatAddress(l.data, l.dstOff, l.addrLen);
    f.origH = f.flipped ? dst : src;
    f.respH = f.flipped ? src : dst;
    f.ts = ts;
    f.lastTs = ts;
    f.firstSec = p.tsSec;
    f.firstNsec = p.tsNsec;
    f.firstFrame = p.frame;
    f.serial = this.serials++;
    const ctx: StreamContext = {
      ts,
      uid: f.uid,
      community_id: f.communityId,
      orig_h: f.origH,
      orig_p: f.origPort,
      resp_h: f.respH,
      resp_p: f.respPort,
      proto: f.protoName,
    };
    f.consumer = this.opts.consumers?.(ctx);
    if (f.proto === TCP) f.tcp = new TcpFlow(f.consumer, this.maxBuffer, this.budget);
    this.index.insert(f);
    return f;
  }

  /** Copies the tuple `index.read` loaded into the flow, originator side first. */
  private setKey(f: Flow): void {
    const x = this.index;
    const swap = f.flipped;
    f.o0 = swap ? x.d0 : x.s0;
    f.o1 = swap ? x.d1 : x.s1;
    f.o2 = swap ? x.d2 : x.s2;
    f.o3 = swap ? x.d3 : x.s3;
    f.r0 = swap ? x.s0 : x.d0;
    f.r1 = swap ? x.s1 : x.d1;
    f.r2 = swap ? x.s2 : x.d2;
    f.r3 = swap ? x.s3 : x.d3;
    f.origPort = swap ? x.dport : x.sport;
    f.respPort = swap ? x.sport : x.dport;
    f.hash = x.hash;
  }

  private evictOldest(ts: number, frame: number): void {
    let victim: Flow | null = null;
    for (const t of [this.tcpOpen.tail, this.tcpClosed.tail, this.udp.tail]) {
      if (t !== null && (victim === null || t.touched < victim.touched)) victim = t;
    }
    if (victim === null) return;
    if (!this.fullReported) {
      this.fullReported = true;
      const detail = `${this.maxFlows} live flows: least recently seen connections are closed early`;
      this.opts.weird({ ts, name: "flow_table_full", frame, uid: victim.uid, detail });
    }
    this.close(victim);
  }

  private account(f: Flow, fromOrig: boolean, p: Packet, l: PacketLayers, ts: number): void {
    if (ts > f.lastTs) {
      f.lastTs = ts;
      // Integer parts subtracted first: epoch seconds as floats would leave rounding noise in the duration.
      const sec = p.tsSec - f.firstSec;
      const nsec = p.tsNsec - f.firstNsec;
      if (Number.isFinite(sec + nsec)) {
        f.spanSec = nsec < 0 ? sec - 1 : sec;
        f.spanNsec = nsec < 0 ? nsec + 1e9 : nsec;
      } else {
        f.spanSec = ts - f.ts;
        f.spanNsec = 0;
      }
    }
    f.lastFrame = p.frame;
    f.touched = ++this.touches;
    const ipBytes = asCount(l.ipTotalLen);
    const wire = asCount(p.origLen);
    if (fromOrig) {
      f.origPkts++;
      f.origIpBytes += ipBytes;
      f.origWireBytes += wire;
    } else {
      f.respPkts++;
      f.respIpBytes += ipBytes;
      f.respWireBytes += wire;
    }
    if (f.tcp) this.tcpSegment(f, f.tcp, fromOrig, p, l, ts);
    else this.udpDatagram(f, fromOrig, p, l, ts);
  }

  private tcpSegment(f: Flow, tcp: TcpFlow, fromOrig: boolean, p: Packet, l: PacketLayers, ts: number): void {
    const r = tcp.segment(fromOrig, l, ts, p.frame);
    if (r !== 0) {
      const side = fromOrig ? "originator" : "responder";
      if (r & OVERLAP) this.flowWeird(f, "tcp_overlap_mismatch", ts, p.frame, side);
      if (r & LIMIT) this.flowWeird(f, "tcp_buffer_limit", ts, p.frame, side);
      if (r & AFTER_FIN) this.flowWeird(f, "tcp_data_after_fin", ts, p.frame, side);
    }
    if (tcp.finished) f.endConsumer();
    else if (tcp.declined) f.retire();
    (tcp.state.closed ? this.tcpClosed : this.tcpOpen).touch(f);
  }

  private udpDatagram(f: Flow, fromOrig: boolean, p: Packet, l: PacketLayers, ts: number): void {
    const wireLen = l.payloadWireLen;
    const capLen = Math.min(l.payloadLen, wireLen);
    if (fromOrig) f.origBytes += wireLen;
    else f.respBytes += wireLen;
    if (wireLen > 0) f.udpSeen |= fromOrig ? 1 : 2;
    const c = f.consumer;
    if (c !== undefined && !f.ended && !f.declined) {
      if (
        capLen > 0 &&
        c.data(fromOrig, l.data.subarray(l.payloadOff, l.payloadOff + capLen), ts, p.frame) === false
      ) {
        f.declined = true;
        f.retire();
      } else if (wireLen > capLen) {
        c.gap(fromOrig, wireLen - capLen);
      }
    }
    this.udp.touch(f);
  }

  /** Reports a session weird once per connection. */
  private flowWeird(f: Flow, name: SessionWeird, ts: number, frame: number, side: string): void {
    const bit = 1 << SESSION_WEIRDS.indexOf(name);
    if (f.weirdBits & bit) return;
    f.weirdBits |= bit;
    this.opts.weird({ ts, name, uid: f.uid, frame, detail: `${side} stream` });
  }

  private close(f: Flow): void {
    this.index.remove(f);
    f.list?.remove(f);
    f.endConsumer();
    this.opts.onConn(f.toRecord());
  }
}
