// Pairs queries with responses by transaction id, as Zeek's dns.log does: a query waits (bounded in number
// and in time) for a response with its id coming the other way; the pair, an unanswered query, or a response
// whose query was never seen each become one `dns` record.

import type { DnsRecord } from "../../model/dns.ts";
import type { StreamContext } from "../../session/stream-consumer.ts";
import type { DnsMessage } from "./dns-message.ts";
import { className, opcodeName, rcodeName, typeName } from "./dns-types.ts";

/** A message with where and when it was seen. */
export interface SeenMessage {
  /** The parsed message. */
  msg: DnsMessage;
  /** Time of the packet that completed it. */
  ts: number;
  /** Frame number of that packet. */
  frame: number;
  /** Sent by the connection's originator. */
  fromOrig: boolean;
}

/** Queries waiting per connection; beyond this the oldest is written out unanswered. */
export const MAX_PENDING = 256;
/** Seconds a query waits for its response before it is written out unanswered. */
export const PENDING_TIMEOUT = 60;

/** Outstanding queries of one connection, keyed by transaction id, oldest first. */
export class PendingQueries {
  private readonly byId = new Map<number, SeenMessage>();

  /** Number of waiting queries. */
  get size(): number {
    return this.byId.size;
  }

  /** Adds a query; returns the query it displaces (same id, or the oldest when full), if any. */
  add(q: SeenMessage): SeenMessage | undefined {
    const id = q.msg.id;
    let out = this.byId.get(id);
    if (out) this.byId.delete(id);
    else if (this.byId.size >= MAX_PENDING) out = this.shift();
    this.byId.set(id, q);
    return out;
  }

  /** Takes the query a response answers: same id, sent the other way. */
  take(r: SeenMessage): SeenMessage | undefined {
    const q = this.byId.get(r.msg.id);
    if (!q || q.fromOrig === r.fromOrig) return undefined;
    this.byId.delete(r.msg.id);
    return q;
  }

  /** Removes and returns the oldest query when it has waited longer than PENDING_TIMEOUT at `now`. */
  expired(now: number): SeenMessage | undefined {
    const first = this.byId.values().next();
    if (first.done || now - first.value.ts <= PENDING_TIMEOUT) return undefined;
    return this.shift();
  }

  /** Removes and returns the oldest query. */
  shift(): SeenMessage | undefined {
    const first = this.byId.entries().next();
    if (first.done) return undefined;
    this.byId.delete(first.value[0]);
    return first.value[1];
  }
}

/** The record for a query and/or its response (at least one is given). */
export function dnsRecord(
  ctx: StreamContext,
  q: SeenMessage | undefined,
  r: SeenMessage | undefined,
  mdns: boolean,
): DnsRecord {
  const first = (q ?? r)!;
  const qm = q?.msg;
  const rm = r?.msg;
  const flags = rm ?? qm!;
  const rec: DnsRecord = {
    type: "dns",
    ts: first.ts,
    uid: ctx.uid,
    community_id: ctx.community_id,
    orig_h: ctx.orig_h,
    orig_p: ctx.orig_p,
    resp_h: ctx.resp_h,
    resp_p: ctx.resp_p,
    proto: ctx.proto,
    trans_id: first.msg.id,
    opcode: (qm ?? flags).opcode,
    opcode_name: opcodeName((qm ?? flags).opcode),
    AA: rm?.aa ?? false,
    TC: flags.tc,
    RD: (qm ?? flags).rd,
    RA: rm?.ra ?? false,
    Z: flags.z,
    answers: [],
    ttls: [],
    rejected: false,
    saw_query: q !== undefined,
    saw_response: r !== undefined,
  };
  // Float seconds since 1970 resolve ~0.2 µs: rounded to the microsecond, noise does not pose as precision.
  if (q && r) rec.rtt = Math.max(0, Math.round((r.ts - q.ts) * 1e6) / 1e6);
  addQuestion(rec, qm?.questions.length ? qm : (rm ?? qm!), mdns);
  if (r) addResponse(rec, r);
  if (q) rec.query_frame = q.frame;
  addEdns(rec, qm, rm);
  return rec;
}

/** Question fields from the message that has the questions. */
function addQuestion(rec: DnsRecord, m: DnsMessage, mdns: boolean): void {
  const first = m.questions[0];
  if (!first) return;
  rec.query = first.name;
  if (m.questions.length > 1) rec.queries = m.questions.map((x) => x.name);
  // RFC 6762 §18.12: on mDNS the top bit of QCLASS asks for a unicast response; it is not part of the class.
  const qclass = mdns ? first.qclass & 0x7fff : first.qclass;
  rec.qclass = qclass;
  rec.qclass_name = className(qclass);
  rec.qtype = first.qtype;
  rec.qtype_name = typeName(first.qtype);
}

/** Response fields: rcode (EDNS-extended), answers, frames. */
function addResponse(rec: DnsRecord, r: SeenMessage): void {
  const m = r.msg;
  const rcode = ((m.edns?.extRcode ?? 0) << 4) | m.rcode;
  rec.rcode = rcode;
  rec.rcode_name = rcodeName(rcode);
  rec.rejected = rcode !== 0 && rcode !== 3;
  rec.response_frame = r.frame;
  for (const a of m.answers) {
    rec.answers.push(a.data);
    rec.ttls.push(a.ttl);
  }
  if (m.answers.length > 0) rec.answer_records = m.answers;
}

/** EDNS fields: the query's size, DO bit and client subnet; the options of both messages. */
function addEdns(rec: DnsRecord, qm: DnsMessage | undefined, rm: DnsMessage | undefined): void {
  const e = qm?.edns ?? rm?.edns;
  if (!e) return;
  rec.edns_udp_size = e.udpSize;
  rec.edns_do = e.dnssecOk;
  const options = [...(qm?.edns?.options ?? []), ...(rm?.edns?.options ?? [])];
  if (options.length > 0) rec.edns_options = options;
  const subnet = qm?.edns?.clientSubnet ?? rm?.edns?.clientSubnet;
  if (subnet !== undefined) rec.edns_client_subnet = subnet;
}
