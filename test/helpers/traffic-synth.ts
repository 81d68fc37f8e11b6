// A small, deterministic synthesizer of conversations (TCP with handshake, segmentation, ACKs and close;
// UDP exchanges; DNS lookups) producing frames for the capture writer, so tests plant data in real traffic.

import {
  dnsQueryMessage,
  dnsResponseMessage,
  formEncode,
  httpRequest,
  httpResponse,
  impliedQtype,
} from "./app-messages.ts";
import {
  ETHERTYPE,
  ethernet,
  ipPacket,
  isIpv6,
  LINKTYPE,
  PROTO,
  rawIp,
  sll,
  sll2,
  udp,
} from "./packet-builder.ts";
import {
  bytesOf,
  type ConversationResult,
  type TcpConversationOptions,
  tcpConversation,
} from "./tcp-conversation.ts";

export type { ConversationResult, TcpConversationOptions, TcpExchange } from "./tcp-conversation.ts";
export { formEncode, httpRequest, httpResponse };

/** A frame as the capture writer takes it (structurally a `WriteFrame`). */
export interface SynthFrame {
  /** Frame bytes from the link header on. */
  data: Uint8Array;
  /** Seconds since the epoch. */
  tsSec: number;
  /** Nanoseconds within the second. */
  tsNsec: number;
}

/** Deterministic PRNG (mulberry32): the same seed gives the same traffic on every machine. */
export class Prng {
  private s: number;
  /** Seeds the generator. */
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Next unsigned 32-bit value. */
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }
  /** Uniform integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  /** `n` pseudo-random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.float() * list.length)];
  }
}

/** Link layers the synthesizer can wrap packets in. */
export const SYNTH_LINKS = ["ethernet", "sll", "sll2", "raw"] as const;
export type SynthLink = (typeof SYNTH_LINKS)[number];

/** Options of a synthesizer. */
export interface SynthOptions {
  /** PRNG seed (default 1). */
  seed?: number;
  /** Link layer of every frame (default ethernet). */
  link?: SynthLink;
  /** 802.1Q tags for Ethernet frames. */
  vlan?: number[];
  /** Default client address (default 10.0.0.2). */
  client?: string;
  /** Default DNS server (default 10.0.0.1). */
  dnsServer?: string;
  /** Start of the clock, float seconds (default 1400000000, May 2014). */
  startTs?: number;
}

/** One UDP datagram of an exchange. */
export interface UdpDatagram {
  /** True for client → server. */
  fromClient: boolean;
  /** Payload. */
  data: Uint8Array | string;
}

/** Options of a UDP exchange. */
export interface UdpExchangeOptions {
  client: string;
  server: string;
  clientPort: number;
  serverPort: number;
  datagrams: UdpDatagram[];
  /** Time of the first datagram (default the clock). */
  startTs?: number;
  /** Seconds between datagrams (default 0.01). */
  gap?: number;
}

/** Options of a DNS lookup; defaults come from the synthesizer. */
export interface DnsQueryOptions {
  client?: string;
  server?: string;
  clientPort?: number;
  id?: number;
  qtype?: number;
  rcode?: number;
  startTs?: number;
}

/** Builds conversations into one growing list of frames; `sorted()` gives them in time order. */
export class TrafficSynth {
  /** The PRNG every random choice draws from. */
  readonly rng: Prng;
  /** Every frame made so far, in the order the calls made them. */
  readonly frames: SynthFrame[] = [];
  /** The synthesizer's clock in microseconds; each call advances it past its last frame. */
  nowUs: number;
  private readonly o: Required<Omit<SynthOptions, "vlan">> & { vlan?: number[] };

  /** A synthesizer with its defaults. */
  constructor(o: SynthOptions = {}) {
    this.o = {
      seed: 1,
      link: "ethernet",
      client: "10.0.0.2",
      dnsServer: "10.0.0.1",
      startTs: 1400000000,
      ...o,
    };
    this.rng = new Prng(this.o.seed);
    this.nowUs = Math.round(this.o.startTs * 1e6);
  }

  /** LINKTYPE_* of the frames (give it to the capture writer). */
  get linkType(): number {
    return LINKTYPE[this.o.link];
  }

  /** The frames sorted by timestamp (stable, so equal times keep call order). */
  sorted(): SynthFrame[] {
    return [...this.frames].sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
  }

  /** A random ephemeral port (49152–65535, RFC 6335). */
  ephemeralPort(): number {
    return this.rng.int(49152, 65535);
  }

  /** Wraps an IP packet in the configured link layer; client-sent frames come from the client MAC. */
  wrap(ip: Uint8Array, fromClient: boolean): Uint8Array {
    const type = ip[0] >> 4 === 6 ? ETHERTYPE.ipv6 : ETHERTYPE.ipv4;
    const phone = "02:00:5e:10:00:23";
    const gateway = "02:00:5e:10:00:01";
    switch (this.o.link) {
      case "ethernet":
        return ethernet({
          src: fromClient ? phone : gateway,
          dst: fromClient ? gateway : phone,
          vlan: this.o.vlan,
          type,
          payload: ip,
        });
      case "sll":
        return sll({
          proto: type,
          payload: ip,
          pktType: fromClient ? 4 : 0,
          addr: fromClient ? phone : gateway,
        });
      case "sll2":
        return sll2({
          proto: type,
          payload: ip,
          pktType: fromClient ? 4 : 0,
          addr: fromClient ? phone : gateway,
        });
      default:
        return rawIp(ip);
    }
  }

  /** Appends one frame at time `us` and returns it. */
  emit(bytes: Uint8Array, us: number, out: SynthFrame[]): SynthFrame {
    const f = { data: bytes, tsSec: Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000 };
    out.push(f);
    this.frames.push(f);
    this.nowUs = Math.max(this.nowUs, us + 1000);
    return f;
  }

  /** A TCP conversation: handshake, segmented writes with ACKs, and the chosen close. */
  tcpConversation(o: TcpConversationOptions): ConversationResult {
    return tcpConversation(this, o);
  }

  /** A sequence of UDP datagrams between two endpoints. */
  udpExchange(o: UdpExchangeOptions): SynthFrame[] {
    const out: SynthFrame[] = [];
    let us = o.startTs !== undefined ? Math.round(o.startTs * 1e6) : this.nowUs;
    const gapUs = Math.round((o.gap ?? 0.01) * 1e6);
    for (const d of o.datagrams) {
      const [src, dst, sp, dp] = d.fromClient
        ? [o.client, o.server, o.clientPort, o.serverPort]
        : [o.server, o.client, o.serverPort, o.clientPort];
      const seg = udp({ srcPort: sp, dstPort: dp, payload: bytesOf(d.data) });
      this.emit(this.wrap(ipPacket(src, dst, PROTO.udp, seg), d.fromClient), us, out);
      us += gapUs;
    }
    return out;
  }

  /** A DNS lookup over UDP/53: the query, then a response with `answers` (addresses or CNAME targets). */
  dnsQuery(name: string, answers: string[], o: DnsQueryOptions = {}): SynthFrame[] {
    const client = o.client ?? this.o.client;
    const server = o.server ?? (isIpv6(client) ? "2001:db8::53" : this.o.dnsServer);
    const id = o.id ?? this.rng.int(0, 0xffff);
    const qtype = o.qtype ?? impliedQtype(answers);
    return this.udpExchange({
      client,
      server,
      clientPort: o.clientPort ?? this.ephemeralPort(),
      serverPort: 53,
      startTs: o.startTs,
      gap: 0.02,
      datagrams: [
        { fromClient: true, data: dnsQueryMessage(id, name, qtype) },
        { fromClient: false, data: dnsResponseMessage({ id, name, qtype, answers, rcode: o.rcode }) },
      ],
    });
  }
}
