// One synthetic TCP conversation: three-way handshake, writes cut into segments of at most the MSS (maybe
// reordered or repeated), the peer's ACKs, and a FIN, RST or no close; sequence numbers wrap modulo 2^32.

import { ipPacket, PROTO, tcp, tcpOptions, utf8 } from "./packet-builder.ts";
import type { Prng, SynthFrame } from "./traffic-synth.ts";

/** One application write in a TCP conversation. */
export interface TcpExchange {
  /** True for client → server. */
  fromClient: boolean;
  /** The bytes written (strings are UTF-8). */
  data: Uint8Array | string;
}

/** Options of a TCP conversation. */
export interface TcpConversationOptions {
  client: string;
  server: string;
  clientPort: number;
  serverPort: number;
  /** Writes in order; each becomes segments of ≤ mss bytes, PSH on the last. */
  exchanges: TcpExchange[];
  /** Maximum segment size (default 1460). */
  mss?: number;
  /** Emit the three-way handshake (default true); false gives a mid-stream start. */
  handshake?: boolean;
  /** How the client ends it (default "fin": FIN/ACK each way then ACK). */
  close?: "fin" | "rst" | "none";
  /** Time of the first frame, float seconds (default the synthesizer's clock). */
  startTs?: number;
  /** Initial sequence numbers (default random); a number sets the client's, the server's is derived. */
  isn?: number | { client?: number; server?: number };
  /** Probability (or true = 0.3) of swapping a data segment with the next one. */
  reorder?: boolean | number;
  /** Probability (or true = 0.3) of sending a data segment twice. */
  retransmit?: boolean | number;
  /** Round-trip time in seconds (default 0.03). */
  rtt?: number;
}

/** What a conversation produced. */
export interface ConversationResult {
  /** The frames, in capture order. */
  frames: SynthFrame[];
  /** Time of the first and last frame, float seconds. */
  startTs: number;
  endTs: number;
  /** Initial sequence numbers used. */
  clientIsn: number;
  serverIsn: number;
}

/** What a conversation needs from the synthesizer that runs it. */
export interface ConversationHost {
  /** Random choices (ISNs, reordering, retransmission). */
  readonly rng: Prng;
  /** The clock in microseconds, used when no start time is given. */
  readonly nowUs: number;
  /** Wraps an IP packet in the link layer. */
  wrap(ip: Uint8Array, fromClient: boolean): Uint8Array;
  /** Records a frame at time `us` (also into `out`). */
  emit(bytes: Uint8Array, us: number, out: SynthFrame[]): SynthFrame;
}

/** Runs one conversation on `host`. */
export function tcpConversation(host: ConversationHost, o: TcpConversationOptions): ConversationResult {
  return new TcpBuilder(host, o).run();
}

/** UTF-8 bytes of a string payload; byte payloads as they are. */
export function bytesOf(d: Uint8Array | string): Uint8Array {
  return typeof d === "string" ? utf8(d) : d;
}

function probability(p: boolean | number | undefined): number {
  return p === true ? 0.3 : typeof p === "number" ? p : 0;
}

/** Walks one TCP conversation, keeping both sides' sequence state. */
class TcpBuilder {
  private readonly out: SynthFrame[] = [];
  private us: number;
  private cNext: number;
  private sNext: number;
  private readonly cIsn: number;
  private readonly sIsn: number;
  private readonly rttUs: number;

  constructor(
    private readonly synth: ConversationHost,
    private readonly o: TcpConversationOptions,
  ) {
    this.us = o.startTs !== undefined ? Math.round(o.startTs * 1e6) : synth.nowUs;
    const isn = typeof o.isn === "number" ? { client: o.isn } : (o.isn ?? {});
    this.cIsn = (isn.client ?? synth.rng.u32()) >>> 0;
    this.sIsn = (isn.server ?? (typeof o.isn === "number" ? o.isn + 0x10000000 : synth.rng.u32())) >>> 0;
    this.cNext = this.cIsn;
    this.sNext = this.sIsn;
    this.rttUs = Math.round((o.rtt ?? 0.03) * 1e6);
  }

  run(): ConversationResult {
    const o = this.o;
    const startUs = this.us;
    if (o.handshake !== false) this.handshake();
    for (const x of o.exchanges) this.write(x.fromClient, bytesOf(x.data));
    if (o.close === "rst") this.send(true, "RA", this.cNext, this.sNext);
    else if (o.close !== "none") this.fin();
    const last = this.out[this.out.length - 1];
    return {
      frames: this.out,
      startTs: startUs / 1e6,
      endTs: last ? last.tsSec + last.tsNsec / 1e9 : startUs / 1e6,
      clientIsn: this.cIsn,
      serverIsn: this.sIsn,
    };
  }

  /** Builds one segment's frame bytes. */
  private segment(fromClient: boolean, flags: string, seq: number, ack: number, payload?: Uint8Array) {
    const o = this.o;
    const options = flags.includes("S")
      ? tcpOptions({ mss: o.mss ?? 1460, sackPerm: true, wscale: 7 })
      : undefined;
    const seg = tcp({
      srcPort: fromClient ? o.clientPort : o.serverPort,
      dstPort: fromClient ? o.serverPort : o.clientPort,
      seq,
      ack: flags.includes("A") ? ack : 0,
      flags,
      // Window scale 7 is offered on the SYN, so later segments carry the scaled value (502 × 128 = 64256).
      window: options ? 64240 : 502,
      payload,
      options,
    });
    const [src, dst] = fromClient ? [o.client, o.server] : [o.server, o.client];
    return this.synth.wrap(ipPacket(src, dst, PROTO.tcp, seg), fromClient);
  }

  private send(fromClient: boolean, flags: string, seq: number, ack: number, payload?: Uint8Array): void {
    this.synth.emit(this.segment(fromClient, flags, seq, ack, payload), this.us, this.out);
    this.us += 100;
  }

  private handshake(): void {
    const half = this.rttUs >> 1;
    this.send(true, "S", this.cNext, 0);
    this.cNext = (this.cNext + 1) >>> 0;
    this.us += half;
    this.send(false, "SA", this.sNext, this.cNext);
    this.sNext = (this.sNext + 1) >>> 0;
    this.us += half;
    this.send(true, "A", this.cNext, this.sNext);
  }

  /** One application write: segments (maybe reordered or repeated), then the peer's cumulative ACK. */
  private write(fromClient: boolean, data: Uint8Array): void {
    const mss = this.o.mss ?? 1460;
    const rng = this.synth.rng;
    const start = fromClient ? this.cNext : this.sNext;
    const peer = fromClient ? this.sNext : this.cNext;
    const segs: Uint8Array[] = [];
    for (let off = 0; off < data.length; off += mss) {
      const end = Math.min(off + mss, data.length);
      const flags = end === data.length ? "PA" : "A";
      segs.push(this.segment(fromClient, flags, (start + off) >>> 0, peer, data.subarray(off, end)));
    }
    const pReorder = probability(this.o.reorder);
    for (let i = 0; i + 1 < segs.length; i++) {
      if (rng.float() < pReorder) {
        [segs[i], segs[i + 1]] = [segs[i + 1], segs[i]];
        i++;
      }
    }
    const pRetx = probability(this.o.retransmit);
    for (const s of segs) {
      this.synth.emit(s, this.us, this.out);
      this.us += 100;
      if (rng.float() < pRetx) {
        this.us += 200;
        this.synth.emit(s, this.us, this.out);
        this.us += 100;
      }
    }
    const next = (start + data.length) >>> 0;
    if (fromClient) this.cNext = next;
    else this.sNext = next;
    this.us += this.rttUs >> 1;
    if (data.length > 0) this.send(!fromClient, "A", peer, next);
  }

  private fin(): void {
    const half = this.rttUs >> 1;
    this.send(true, "FA", this.cNext, this.sNext);
    this.cNext = (this.cNext + 1) >>> 0;
    this.us += half;
    this.send(false, "FA", this.sNext, this.cNext);
    this.sNext = (this.sNext + 1) >>> 0;
    this.us += half;
    this.send(true, "A", this.cNext, this.sNext);
  }
}
