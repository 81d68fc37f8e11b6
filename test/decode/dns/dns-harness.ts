// Drives a DNS consumer directly, without packets: a fake connection context and an output that collects
// records, weirds and payloads. Test helpers only.

import { dnsDecoder } from "../../../src/decode/dns/dns-decoder.ts";
import type { PayloadChunk } from "../../../src/decode/stream-decoder.ts";
import type { ConnProto } from "../../../src/model/conn.ts";
import type { DnsRecord } from "../../../src/model/dns.ts";
import type { WeirdRecord } from "../../../src/model/weird.ts";
import type { StreamConsumer, StreamContext } from "../../../src/session/stream-consumer.ts";

/** A connection context with fixed addresses. */
export function ctxFor(proto: ConnProto, origPort = 40000, respPort = 53): StreamContext {
  return {
    ts: 1400000000,
    uid: "CtestDnsUid000001",
    community_id: "1:test",
    orig_h: "10.0.0.2",
    orig_p: origPort,
    resp_h: "10.0.0.1",
    resp_p: respPort,
    proto,
  };
}

/** A payload as collected: the bytes as text. */
export interface SeenPayload {
  layer: string;
  text: string;
  fromOrig: boolean;
  frame?: number;
  index?: number;
}

/** A consumer and what it produced. */
export interface Harness {
  consumer: StreamConsumer;
  records: DnsRecord[];
  weirds: Omit<WeirdRecord, "type">[];
  payloads: SeenPayload[];
}

/** A fresh DNS consumer for a connection on `proto` between the given ports. */
export function harness(proto: ConnProto = "udp", origPort = 40000, respPort = 53): Harness {
  const h: Omit<Harness, "consumer"> = { records: [], weirds: [], payloads: [] };
  const consumer = dnsDecoder.create(ctxFor(proto, origPort, respPort), {
    record: (r) => h.records.push(r as DnsRecord),
    weird: (w) => h.weirds.push(w),
    payload: (p: PayloadChunk) =>
      h.payloads.push({
        layer: p.layer,
        text: new TextDecoder().decode(p.data),
        fromOrig: p.fromOrig,
        frame: p.frame,
        index: p.index,
      }),
  });
  return { consumer, ...h };
}

/** A message with its two-byte TCP length prefix (RFC 1035 §4.2.2). */
export function framed(msg: Uint8Array): Uint8Array {
  const out = new Uint8Array(msg.length + 2);
  out[0] = msg.length >> 8;
  out[1] = msg.length & 0xff;
  out.set(msg, 2);
  return out;
}
