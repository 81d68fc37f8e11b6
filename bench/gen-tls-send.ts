// How the TLS benchmark capture's connections put bytes on the wire: the world the flows share, DNS lookups,
// and writes of TLS records cut into MSS-sized TCP segments (crossing record boundaries as real stacks do),
// with the peer ACKing every second one. Records are sealed only when a segment needs their bytes, so a
// flow holds at most a record and a segment however long its download is.

import type { Prng } from "../test/helpers/traffic-synth.ts";
import type { Plant, TruthWriter } from "./gen-plants.ts";
import { ACK, type Endpoints, type FrameSink, PSH, SYN, type TcpConn } from "./gen-sink.ts";
import type { Alpn } from "./gen-tls-handshake.ts";
import { fragments, type Plain } from "./gen-tls-http.ts";
import { CT, type RecordSealer } from "./gen-tls-records.ts";
import { type BytePools, type Host, type HostConn, hostConn, nextPort, PHONE } from "./gen-world.ts";

/** A flow in progress; each `next()` writes at most a few frames. */
export type Flow = Generator<void, void, void>;

/** A server and what the phone's TLS stack sends it. */
export interface TlsHost {
  /** Names, addresses and DNS messages (bench/gen-world.ts). */
  host: Host;
  /** ClientHello record; random and session id are filled per connection. */
  hello: Uint8Array;
  /** The server's certificate (DER). */
  cert: Uint8Array;
}

/** Counts for the truth file. */
export interface TlsStats {
  /** Flows started, by kind. */
  flows: { dns: number; tls: number };
  /** HTTPS connections started, by TLS version. */
  versions: { "1.3": number; "1.2": number };
  /** HTTPS connections started, by cipher suite name. */
  suites: Record<string, number>;
  /** HTTPS connections started, by the protocol the server selects. */
  alpn: Record<Alpn, number>;
  /** Requests whose last byte is in the file, HTTP/1.1 and HTTP/2. */
  requests: { h1: number; h2: number };
  /** Responses whose last byte is in the file. */
  responses: { h1: number; h2: number };
}

/** Everything a flow needs. */
export interface TlsWorld {
  /** Where frames go (a pcap, rewritten as pcapng at the end). */
  sink: FrameSink;
  /** The one seeded PRNG every choice comes from. */
  rng: Prng;
  /** Bytes that bodies are sliced from. */
  pools: BytePools;
  /** Every server. */
  hosts: TlsHost[];
  /** Hosts that get identifiers (vendor and analytics). */
  plantHosts: TlsHost[];
  /** Receives each plant once its frames are written. */
  truth: TruthWriter;
  /** Appends key log lines. */
  keyLog: (lines: string) => void;
  /** Complete JSON bodies, and gzip'd ones, to reuse in responses. */
  jsonBodies: Uint8Array[];
  /** The same bodies gzip'd. */
  gzipBodies: Uint8Array[];
  /** Counts for the truth file. */
  stats: TlsStats;
  /** Next ephemeral port (Android's 32768–60999). */
  port: number;
  /** Bytes the frames written so far take as pcapng Enhanced Packet Blocks. */
  epbBytes: number;
}

const EMPTY = new Uint8Array(0);
/** SYN options: MSS 1460, NOP NOP SACK-permitted, NOP window scale 7 (RFC 9293, RFC 2018, RFC 7323). */
const SYN_OPTS = Uint8Array.of(2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7);

/** A TCP connection to a host. */
export type Conn = HostConn;

/** Size of a pcapng EPB for a frame of `cap` bytes: 28-byte head, frame, padding to 4, trailing length. */
function epbSize(cap: number): number {
  return 32 + cap + ((4 - (cap & 3)) & 3);
}

/** One TCP segment (SYN options on SYNs), counted into `epbBytes`; returns its frame number. */
export function tcpOut(
  w: TlsWorld,
  c: TcpConn,
  fromClient: boolean,
  flags: number,
  src: Uint8Array = EMPTY,
  off = 0,
  len = 0,
) {
  const before = w.sink.bytes;
  const n = w.sink.tcp(c, fromClient, flags, src, off, len, flags & SYN ? SYN_OPTS : undefined);
  w.epbBytes += epbSize(w.sink.bytes - before - 16); // the pcap record header is 16 bytes
  return n;
}

/** A lookup of `host` (AAAA when `v6` and the host has one). */
export function* dnsFlow(w: TlsWorld, host: Host, v6: boolean): Flow {
  const [q, r] = v6 && host.dnsAAAA ? host.dnsAAAA : host.dnsA;
  const e: Endpoints = { v6: false, client: PHONE.v4, server: PHONE.dns, cPort: nextPort(w), sPort: 53 };
  const id = w.rng.int(0, 0xffff);
  const head = Uint8Array.of(id >> 8, id & 0xff);
  for (const [fromClient, m] of [
    [true, q],
    [false, r],
  ] as const) {
    const before = w.sink.bytes;
    w.sink.udp(e, fromClient, head, m, 2, m.length - 2);
    w.epbBytes += epbSize(w.sink.bytes - before - 16);
    yield;
  }
}

/** One write: its records go out as a byte stream of MSS-sized segments that cross record boundaries. */
export interface Send {
  /** The phone sends it. */
  fromClient: boolean;
  /** The records, pulled (and so sealed) only as segments need them. */
  records: Iterable<Uint8Array>;
  /** Plants with their [start, end) in this write's bytes; they learn their frames. */
  plants?: { p: Plant; start: number; end: number }[];
  /** A segment boundary forced here. */
  splitAt?: number;
  /** Called once the write's last byte is in a frame (before the peer's ACK of it). */
  onSent?: () => void;
}

/** Writes `s` as segments, PSH on the last, the peer ACKing every second one and the last. */
export function* send(w: TlsWorld, c: Conn, s: Send): Flow {
  const mss = c.v6 ? 1440 : 1460;
  const it = s.records[Symbol.iterator]();
  let pend: Uint8Array = EMPTY;
  let at = 0;
  let done = false;
  let n = 0;
  for (;;) {
    while (!done && pend.length < mss) {
      const r = it.next();
      if (r.done) done = true;
      else pend = pend.length > 0 ? Buffer.concat([pend, r.value]) : r.value;
    }
    if (pend.length === 0) return;
    let len = Math.min(mss, pend.length);
    if (s.splitAt !== undefined && s.splitAt > at && s.splitAt < at + len) len = s.splitAt - at;
    const last = done && len === pend.length;
    const frame = tcpOut(w, c, s.fromClient, last ? PSH | ACK : ACK, pend, 0, len);
    for (const pl of s.plants ?? []) if (pl.start < at + len && pl.end > at) pl.p.frames.push(frame);
    pend = pend.subarray(len);
    at += len;
    if (last) s.onSent?.();
    yield;
    if (++n % 2 === 0 || last) {
      tcpOut(w, c, !s.fromClient, ACK);
      yield;
    }
  }
}

/** A message sealed record by record, as `send` pulls them. */
export function* sealed(sealer: RecordSealer, type: number, msg: Plain): Generator<Uint8Array> {
  for (const [pieces, n] of fragments(msg)) yield sealer.seal(type, pieces, n);
}

/**
 * Sends an application message; its plants (if any) are placed, maybe split, and go to the truth file once
 * the message's last byte is written, when `onSent` runs too.
 */
export function* sendMessage(
  w: TlsWorld,
  c: Conn,
  fromClient: boolean,
  sealer: RecordSealer,
  msg: Plain,
  onSent: () => void,
): Flow {
  const plants = msg.plants?.map((p) => ({
    p,
    start: sealer.cipherOffset(p.start),
    end: sealer.cipherOffset(p.end - 1) + 1,
  }));
  // Half the time a segment boundary cuts the first value in two.
  const first = plants?.[0];
  const splitAt = first && w.rng.float() < 0.5 ? (first.start + first.end) >> 1 : undefined;
  const done = () => {
    const client = c.v6 ? PHONE.v6Text : PHONE.v4Text;
    const server = c.v6 ? c.host.v6Text! : c.host.v4Text;
    for (const p of msg.plants ?? []) w.truth.add(p, c, c.host.name, client, server);
    onSent();
  };
  const records = sealed(sealer, CT.applicationData, msg);
  yield* send(w, c, { fromClient, records, plants, splitAt, onSent: done });
}

/** A new connection from the phone to `host`:443 (over IPv6 when asked and the host has an address). */
export function tcpConn(w: TlsWorld, host: Host, v6: boolean): Conn {
  return hostConn(w, host, v6, 443);
}
