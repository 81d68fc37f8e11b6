// Conversations for the example captures: a TCP connection (handshake, writes cut at the MSS with the peer's
// ACKs, FIN each way) and UDP exchanges, laid on one timeline. Everything is fixed by the caller (ports,
// initial sequence numbers, times), so the same script writes the same bytes on every machine.

import {
  ethernetIpv4,
  type Frame,
  IPPROTO,
  ipv4Packet,
  synOptions,
  TCP_FLAG,
  tcpSegment,
  udpDatagram,
} from "./frames.ts";

/** One application write on a TCP connection. */
export interface TcpWrite {
  /** True for phone → server. */
  fromPhone: boolean;
  /** The bytes written. */
  data: Uint8Array;
}

/** A TCP connection from the phone. */
export interface TcpFlow {
  /** Phone address and port. */
  phone: string;
  phonePort: number;
  /** Server address and port. */
  server: string;
  serverPort: number;
  /** Initial sequence numbers (phone, server). */
  isn: [number, number];
  /** Time of the SYN, seconds since the epoch. */
  start: number;
  /** Writes in order. */
  writes: TcpWrite[];
  /** Round-trip time in seconds (default 0.06, about Taipei–Beijing). */
  rtt?: number;
  /** Comment on the SYN (pcapng only). */
  comment?: string;
}

/** A UDP datagram of an exchange. */
export interface UdpSend {
  /** True for phone → server. */
  fromPhone: boolean;
  /** Payload. */
  data: Uint8Array;
}

/** A UDP exchange from the phone. */
export interface UdpFlow {
  phone: string;
  phonePort: number;
  server: string;
  serverPort: number;
  /** Time of the first datagram, seconds since the epoch. */
  start: number;
  /** Seconds between datagrams (default 0.03). */
  gap?: number;
  datagrams: UdpSend[];
}

/** Maximum segment size both ends announce. */
const MSS = 1460;
/** Windows: the SYN's, then the scaled value later segments carry (window scale 7: 502 × 128 = 64256). */
const SYN_WINDOW = 65535;
const WINDOW = 502;

/** Frames of a capture, kept in time order on output. */
export class Timeline {
  private readonly frames: Frame[] = [];
  private readonly ipIds = new Map<string, number>();

  /** Every frame so far, sorted by time (stable: equal times keep the order they were made in). */
  sorted(): Frame[] {
    return [...this.frames].sort((a, b) => a.us - b.us);
  }

  /** Adds one IPv4 packet at time `us`. */
  add(src: string, dst: string, proto: number, seg: Uint8Array, us: number, fromPhone: boolean): Frame {
    // Each host numbers its IP datagrams with its own counter, as a real stack does.
    const id = (this.ipIds.get(src) ?? (fromPhone ? 0x3a10 : 0x7c00)) + 1;
    this.ipIds.set(src, id & 0xffff);
    const f: Frame = { data: ethernetIpv4(ipv4Packet(src, dst, proto, seg, id), fromPhone), us };
    this.frames.push(f);
    return f;
  }

  /** A UDP exchange; returns the time after the last datagram, seconds. */
  udp(o: UdpFlow): number {
    let us = Math.round(o.start * 1e6);
    const gap = Math.round((o.gap ?? 0.03) * 1e6);
    for (const d of o.datagrams) {
      const [src, dst, sp, dp] = d.fromPhone
        ? [o.phone, o.server, o.phonePort, o.serverPort]
        : [o.server, o.phone, o.serverPort, o.phonePort];
      this.add(src, dst, IPPROTO.udp, udpDatagram(sp, dp, d.data), us, d.fromPhone);
      us += gap;
    }
    return us / 1e6;
  }

  /** A TCP connection; returns the time of its last frame, seconds. */
  tcp(o: TcpFlow): number {
    return new TcpWriter(this, o).run() / 1e6;
  }
}

/** Walks one TCP connection, keeping both sides' next sequence numbers. */
class TcpWriter {
  private us: number;
  private next: [number, number];
  private readonly half: number;

  constructor(
    private readonly t: Timeline,
    private readonly o: TcpFlow,
  ) {
    this.us = Math.round(o.start * 1e6);
    this.next = [o.isn[0] >>> 0, o.isn[1] >>> 0];
    this.half = Math.round(((o.rtt ?? 0.06) * 1e6) / 2);
  }

  run(): number {
    const { fin, syn, ack } = TCP_FLAG;
    const syn1 = this.send(true, syn, new Uint8Array(0));
    if (this.o.comment) syn1.comments = [this.o.comment];
    this.us += this.half;
    this.send(false, syn | ack, new Uint8Array(0));
    this.us += this.half;
    this.send(true, ack, new Uint8Array(0));
    for (const w of this.o.writes) this.write(w);
    this.us += 200_000;
    this.send(true, fin | ack, new Uint8Array(0));
    this.us += this.half;
    this.send(false, fin | ack, new Uint8Array(0));
    this.us += this.half;
    this.send(true, ack, new Uint8Array(0));
    return this.us;
  }

  /** Sends one segment at the current time and advances both the clock and the sender's sequence number. */
  private send(fromPhone: boolean, flags: number, payload: Uint8Array): Frame {
    const o = this.o;
    const me = fromPhone ? 0 : 1;
    const isSyn = (flags & TCP_FLAG.syn) !== 0;
    const seg = tcpSegment({
      srcPort: fromPhone ? o.phonePort : o.serverPort,
      dstPort: fromPhone ? o.serverPort : o.phonePort,
      seq: this.next[me],
      ack: (flags & TCP_FLAG.ack) !== 0 ? this.next[1 - me] : 0,
      flags,
      window: isSyn ? SYN_WINDOW : WINDOW,
      options: isSyn ? synOptions() : undefined,
      payload,
    });
    const [src, dst] = fromPhone ? [o.phone, o.server] : [o.server, o.phone];
    const f = this.t.add(src, dst, IPPROTO.tcp, seg, this.us, fromPhone);
    // SYN and FIN each take one sequence number (RFC 9293 §3.4).
    const used = payload.length + (isSyn ? 1 : 0) + ((flags & TCP_FLAG.fin) !== 0 ? 1 : 0);
    this.next[me] = (this.next[me] + used) >>> 0;
    this.us += 150;
    return f;
  }

  /** One write: segments of at most MSS bytes, PSH on the last, then the peer's ACK half an RTT later. */
  private write(w: TcpWrite): void {
    const { ack, psh } = TCP_FLAG;
    this.us += 5_000;
    for (let off = 0; off < w.data.length; off += MSS) {
      const end = Math.min(off + MSS, w.data.length);
      this.send(w.fromPhone, end === w.data.length ? ack | psh : ack, w.data.subarray(off, end));
    }
    this.us += this.half;
    this.send(!w.fromPhone, ack, new Uint8Array(0));
  }
}
