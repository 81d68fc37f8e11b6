// One live TCP or UDP connection in the flow table: its key (kept as 32-bit words so lookups compare numbers,
// not strings), its identity (uid, Community ID, address text: computed once), counters per side, and the
// TCP state. Turned into a `conn` record when it closes.

import type { ConnProto, ConnRecord } from "../model/conn.ts";
import type { FlowList, ListNode } from "./flow-list.ts";
import type { StreamConsumer } from "./stream-consumer.ts";
import type { TcpFlow } from "./tcp-flow.ts";

/** Weird names the session layer emits, each at most once per connection (plus `flow_table_full` once). */
export const SESSION_WEIRDS = [
  "tcp_overlap_mismatch",
  "tcp_buffer_limit",
  "tcp_data_after_fin",
  "active_connection_reuse",
  "flow_table_full",
  "session_bad_layers",
] as const;
export type SessionWeird = (typeof SESSION_WEIRDS)[number];

/** A tracked connection. Fields are public for the table's hot path; treat them as read-only elsewhere. */
export class Flow implements ListNode<Flow> {
  /** Neighbour in the timeout list towards more recently seen flows. */
  prev: Flow | null = null;
  /** Neighbour in the timeout list towards less recently seen flows. */
  next: Flow | null = null;
  /** The timeout list holding the flow. */
  list: FlowList<Flow> | null = null;
  /** Value of the table's touch counter when last seen (smaller = less recently seen). */
  touched = 0;
  /** Creation order within the table. */
  serial = 0;

  /** Originator address as four big-endian 32-bit words (IPv4 uses the first only). */
  o0 = 0;
  /** Originator address, second word. */
  o1 = 0;
  /** Originator address, third word. */
  o2 = 0;
  /** Originator address, fourth word. */
  o3 = 0;
  /** Responder address words, as for the originator. */
  r0 = 0;
  /** Responder address, second word. */
  r1 = 0;
  /** Responder address, third word. */
  r2 = 0;
  /** Responder address, fourth word. */
  r3 = 0;
  /** Originator port. */
  origPort = 0;
  /** Responder port. */
  respPort = 0;
  /** Direction-independent hash of the 5-tuple. */
  hash = 0;

  /** Connection uid (`C` + 17 base62). */
  uid = "";
  /** Community ID v1, seed 0. */
  communityId = "";
  /** Originator address text. */
  origH = "";
  /** Responder address text. */
  respH = "";
  /** Time of the first packet (float seconds). */
  ts = 0;
  /** Time of the latest packet. */
  lastTs = 0;
  /** Whole seconds of the first packet's timestamp as the capture gave it. */
  firstSec = 0;
  /** Nanoseconds of the first packet's timestamp. */
  firstNsec = 0;
  /** Duration, whole seconds: kept apart from nanoseconds so epoch-time float rounding does not show. */
  spanSec = 0;
  /** Duration, nanoseconds part. */
  spanNsec = 0;
  /** Frame number of the first packet. */
  firstFrame = 0;
  /** Frame number of the last packet. */
  lastFrame = 0;

  /** Packets from the originator. */
  origPkts = 0;
  /** Packets from the responder. */
  respPkts = 0;
  /** IP-layer bytes from the originator. */
  origIpBytes = 0;
  /** IP-layer bytes from the responder. */
  respIpBytes = 0;
  /** Frame bytes on the wire from the originator. */
  origWireBytes = 0;
  /** Frame bytes on the wire from the responder. */
  respWireBytes = 0;
  /** UDP payload bytes from the originator (TCP sizes come from sequence space). */
  origBytes = 0;
  /** UDP payload bytes from the responder. */
  respBytes = 0;
  /** UDP history bits (1 = originator data, 2 = responder data). */
  udpSeen = 0;
  /** The first packet seen was the responder's (history starts with `^`). */
  flipped = false;

  /** TCP state, for TCP flows. */
  tcp: TcpFlow | undefined = undefined;
  /** Decoder receiving the payload, if any. */
  consumer: StreamConsumer | undefined = undefined;
  /** consumer.end() was called. */
  ended = false;
  /** UDP: the consumer's data() returned false, so it gets no more datagrams. */
  declined = false;
  /** SessionWeird names already reported (bit = index in SESSION_WEIRDS). */
  weirdBits = 0;

  constructor(
    /** Transport protocol number (6 or 17). */
    readonly proto: number,
    /** Address length in bytes. */
    readonly addrLen: 4 | 16,
  ) {}

  /** Transport protocol name. */
  get protoName(): ConnProto {
    return this.proto === 6 ? "tcp" : "udp";
  }

  /** Hands the consumer its end() once, after flushing what TCP still holds. */
  endConsumer(): void {
    if (this.ended) return;
    this.ended = true;
    this.tcp?.detach();
    this.consumer?.end();
  }

  /**
   * The consumer wants no more bytes (TLS ciphertext without keys, a service named): it is ended now and only
   * its service name is kept, so a flow that stays open for an hour holds no decoder state meanwhile.
   */
  retire(): void {
    const c = this.consumer;
    if (this.ended || c === undefined || c.end === noEnd) return;
    // The reassemblers already stopped delivering; endConsumer() still runs at the flow's end for the byte
    // accounting, and reaches only the stub.
    c.end();
    const service = serviceOf(c);
    this.consumer =
      service === undefined ? undefined : { service, data: declineData, gap: noEnd, end: noEnd };
  }

  /** The conn record of this flow as it stands (call after endConsumer). */
  toRecord(): ConnRecord {
    const tcp = this.tcp;
    const origBytes = tcp ? tcp.orig.high : this.origBytes;
    const respBytes = tcp ? tcp.resp.high : this.respBytes;
    const rec: ConnRecord = {
      type: "conn",
      ts: this.ts,
      uid: this.uid,
      community_id: this.communityId,
      orig_h: this.origH,
      orig_p: this.origPort,
      resp_h: this.respH,
      resp_p: this.respPort,
      proto: this.protoName,
      duration: this.spanSec + this.spanNsec / 1e9,
      last_ts: this.lastTs,
      orig_bytes: origBytes,
      resp_bytes: respBytes,
      orig_pkts: this.origPkts,
      resp_pkts: this.respPkts,
      orig_ip_bytes: this.origIpBytes,
      resp_ip_bytes: this.respIpBytes,
      orig_wire_bytes: this.origWireBytes,
      resp_wire_bytes: this.respWireBytes,
      state: tcp ? tcp.state.connState(origBytes, respBytes) : "OTH",
      history: (this.flipped ? "^" : "") + (tcp ? tcp.state.history : this.udpHistory()),
      missed_bytes: tcp ? tcp.orig.missed + tcp.resp.missed : 0,
      first_frame: this.firstFrame,
      last_frame: this.lastFrame,
    };
    const service = serviceOf(this.consumer);
    if (service !== undefined) rec.service = service;
    return rec;
  }

  private udpHistory(): string {
    return (this.udpSeen & 1 ? "D" : "") + (this.udpSeen & 2 ? "d" : "");
  }
}

/** The stub's do-nothing end() (and gap()), which also marks a retired consumer. */
function noEnd(): void {}

/** The stub's data(): declines every byte. */
function declineData(): boolean {
  return false;
}

/** The application protocol the consumer recognised, if any. */
function serviceOf(consumer: StreamConsumer | undefined): string | undefined {
  const s = consumer?.service;
  return typeof s === "string" && s !== "" ? s : undefined;
}
