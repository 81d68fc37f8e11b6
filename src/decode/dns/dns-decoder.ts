// The DNS decoder: claims UDP datagrams and TCP streams whose bytes look like DNS (on any port; 53, 5353 and
// 5355 only relax the checks), parses each message, pairs queries with responses into `dns` records, and
// hands the query names to the detector (a name like `<imei>.tracker.example` leaks as surely as a URL).

import type { ConnProto } from "../../model/conn.ts";
import type { StreamConsumer, StreamContext } from "../../session/stream-consumer.ts";
import type { DecoderOutput, StreamDecoderDefinition } from "../stream-decoder.ts";
import { DnsTcpFramer } from "./dns-framer.ts";
import { type DnsMessage, parseMessage } from "./dns-message.ts";
import { dnsRecord, PendingQueries, type SeenMessage } from "./dns-pairing.ts";
import { dnsPortHint, plausibleDns } from "./dns-probe.ts";
import { DNS_WEIRD_NAMES, type DnsWeird } from "./dns-types.ts";

/** Weirds one connection may emit; a hostile stream could otherwise produce one per message. */
const MAX_WEIRDS = 50;

const encoder = new TextEncoder();

/** The DNS decoder's registration. */
export const dnsDecoder: StreamDecoderDefinition = {
  name: "dns",
  protos: ["udp", "tcp"] satisfies ConnProto[],
  probe(bytes, _fromOrig, ctx) {
    const lenient = dnsPortHint(ctx.orig_p, ctx.resp_p);
    if (ctx.proto === "udp") return plausibleDns(bytes, 0, bytes.length, bytes.length, lenient);
    if (bytes.length < 2) return false;
    const len = (bytes[0] << 8) | bytes[1];
    // A segment carrying only the length prefix says nothing about content: trust the port then.
    if (bytes.length < 14) return lenient && len >= 12;
    return plausibleDns(bytes, 2, Math.min(bytes.length, 2 + len), len, lenient);
  },
  create(ctx, out) {
    return new DnsConsumer(ctx, out);
  },
};

/** One connection's DNS decoding. */
export class DnsConsumer implements StreamConsumer {
  /** `dns` once a message has been read. */
  service: string | undefined = undefined;
  private readonly lenient: boolean;
  private readonly mdns: boolean;
  private readonly pending = new PendingQueries();
  private readonly framers: [DnsTcpFramer, DnsTcpFramer] | undefined;
  /** TCP directions whose framing a gap destroyed (bit 1 originator, bit 2 responder). */
  private lost = 0;
  /** data() returned false: the connection is not (or no longer) DNS. */
  private stopped = false;
  private good = 0;
  private messages = 0;
  private weirds = 0;
  /** Weird names already reported for the current message (bit = index in DNS_WEIRD_NAMES). */
  private msgWeirds = 0;
  private ts = 0;
  private frame = 0;
  private overflowReported = false;
  private readonly onWeird = (name: DnsWeird, detail: string): void => this.weird(name, detail);
  /** Per-direction message sinks for the TCP framers, made once rather than per segment. */
  private readonly sinks = [
    (b: Uint8Array, off: number, end: number): boolean => this.message(true, b, off, end),
    (b: Uint8Array, off: number, end: number): boolean => this.message(false, b, off, end),
  ] as const;

  /** A consumer for one connection. */
  constructor(
    private readonly ctx: StreamContext,
    private readonly out: DecoderOutput,
  ) {
    this.lenient = dnsPortHint(ctx.orig_p, ctx.resp_p);
    this.mdns = ctx.orig_p === 5353 || ctx.resp_p === 5353;
    this.framers = ctx.proto === "tcp" ? [new DnsTcpFramer(), new DnsTcpFramer()] : undefined;
  }

  /** A UDP datagram (one message) or in-order TCP bytes; false once the connection is known not to be DNS. */
  data(fromOrig: boolean, bytes: Uint8Array, ts: number, frame: number): boolean | undefined {
    if (this.stopped) return false;
    this.ts = ts;
    this.frame = frame;
    if (!this.framers) {
      if (this.message(fromOrig, bytes, 0, bytes.length)) return true;
      this.stopped = true;
      return false;
    }
    const bit = fromOrig ? 1 : 2;
    if (this.lost & bit) return this.lost !== 3;
    const framer = this.framers[fromOrig ? 0 : 1];
    if (this.good === 0 && !framer.holding && !this.startsDns(bytes)) {
      this.stopped = true;
      return false;
    }
    if (framer.push(bytes, this.sinks[fromOrig ? 0 : 1])) return true;
    if (framer.badLength >= 0 && this.good > 0) {
      this.weird("dns_bad_length", `length prefix ${framer.badLength} is shorter than a DNS header`);
    }
    this.stopped = true;
    return false;
  }

  /** Before any message was read: does a segment that starts a message start a plausible one? */
  private startsDns(bytes: Uint8Array): boolean {
    if (bytes.length < 14) return true; // too little to judge; the framer will see the rest
    const len = (bytes[0] << 8) | bytes[1];
    return plausibleDns(bytes, 2, Math.min(bytes.length, 2 + len), len, this.lenient);
  }

  /** Bytes never seen: on TCP the direction's framing is lost; on UDP the cut datagram was already parsed. */
  gap(fromOrig: boolean, _len: number): void {
    if (!this.framers) return;
    // The length prefixes after a hole cannot be found again reliably: stop reading this direction.
    this.framers[fromOrig ? 0 : 1].reset();
    this.lost |= fromOrig ? 1 : 2;
  }

  /** Connection over: a message cut off is a weird; waiting queries are written out unanswered. */
  end(): void {
    if (this.framers && !this.stopped) {
      for (const f of this.framers) {
        if (f.holding) this.weird("dns_truncated", `stream ended ${f.held} bytes into a message`);
      }
    }
    for (let q = this.pending.shift(); q; q = this.pending.shift()) this.emit(q, undefined);
  }

  /** One message; false when the connection turns out not to be DNS. */
  private message(fromOrig: boolean, buf: Uint8Array, off: number, end: number): boolean {
    this.msgWeirds = 0;
    if (!plausibleDns(buf, off, end, end - off, this.lenient)) {
      if (this.good === 0) return false;
      this.weird("dns_bad_message", `${end - off} bytes that do not parse as a DNS message`);
      return true;
    }
    const msg = parseMessage(buf, off, end, this.onWeird);
    if (!msg || msg.badQuestion) return true;
    this.good++;
    this.service = "dns";
    this.handle({ msg, ts: this.ts, frame: this.frame, fromOrig });
    return true;
  }

  /** Pairs the message, writes what is complete, and hands the detector what the message reveals. */
  private handle(m: SeenMessage): void {
    for (let old = this.pending.expired(m.ts); old; old = this.pending.expired(m.ts))
      this.emit(old, undefined);
    const index = this.messages++;
    if (!m.msg.qr) {
      const displaced = this.pending.add(m);
      if (displaced) this.displaced(displaced, m);
      this.payload(
        "dns.query",
        m,
        index,
        m.msg.questions.map((q) => q.name),
      );
      return;
    }
    const q = this.pending.take(m);
    if (q) this.checkQuestion(q.msg, m.msg);
    this.emit(q, m);
    // A response the originator sends (mDNS/LLMNR announcements) describes the sender itself.
    if (m.fromOrig) this.payload("dns.answer", m, index, answerTexts(m.msg));
  }

  private displaced(old: SeenMessage, now: SeenMessage): void {
    if (old.msg.id !== now.msg.id && !this.overflowReported) {
      this.overflowReported = true;
      this.weird(
        "dns_pending_overflow",
        "too many unanswered queries: the oldest are written out unanswered",
      );
    }
    this.emit(old, undefined);
  }

  private checkQuestion(q: DnsMessage, r: DnsMessage): void {
    const a = q.questions[0]?.name;
    const b = r.questions[0]?.name;
    if (a !== undefined && b !== undefined && a.toLowerCase() !== b.toLowerCase()) {
      this.weird("dns_question_mismatch", `query asked ${a}, response for id ${r.id} answers ${b}`);
    }
  }

  private emit(q: SeenMessage | undefined, r: SeenMessage | undefined): void {
    this.out.record(dnsRecord(this.ctx, q, r, this.mdns));
  }

  private payload(layer: string, m: SeenMessage, index: number, texts: string[]): void {
    if (texts.length === 0) return;
    const data = encoder.encode(texts.join("\n"));
    this.out.payload({
      uid: this.ctx.uid,
      layer,
      data,
      fromOrig: m.fromOrig,
      ts: m.ts,
      frame: m.frame,
      index,
    });
  }

  /** Reports a weird once per message and at most MAX_WEIRDS times per connection. */
  private weird(name: DnsWeird, detail: string): void {
    const bit = 1 << DNS_WEIRD_NAMES.indexOf(name);
    if (this.msgWeirds & bit || this.weirds >= MAX_WEIRDS) return;
    this.msgWeirds |= bit;
    this.weirds++;
    this.out.weird({ ts: this.ts, name, uid: this.ctx.uid, frame: this.frame, detail });
  }
}

/** Owner names and RDATA of a response's answers, for the detector. */
function answerTexts(m: DnsMessage): string[] {
  const out: string[] = [];
  for (const a of m.answers) out.push(a.name, a.data);
  return out;
}
