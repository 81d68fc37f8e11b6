// The benchmark capture's flows. Each is a generator that writes one frame to the sink and yields, so the
// scheduler can interleave thousands of connections the way a phone's traffic interleaves them.

import { httpRequest, httpResponse, quicLikeInitial } from "../test/helpers/app-messages.ts";
import type { Prng } from "../test/helpers/traffic-synth.ts";
import type { Plant, TruthWriter } from "./gen-plants.ts";
import { plantedRequest } from "./gen-plants.ts";
import { ACK, type Endpoints, FIN, type FrameSink, PSH, RST, SYN } from "./gen-sink.ts";
import { type BytePools, type Host, type HostConn, hostConn, nextPort, PHONE } from "./gen-world.ts";

/** A flow in progress; each `next()` writes at most a few frames. */
export type Flow = Generator<void, void, void>;

/** Kinds of flow the mix draws from. */
export const FLOW_KINDS = ["dns", "http", "tls", "quic"] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

/** Everything a flow needs. */
export interface World {
  sink: FrameSink;
  rng: Prng;
  pools: BytePools;
  hosts: Host[];
  /** Hosts that get identifiers (vendor and analytics). */
  plantHosts: Host[];
  truth: TruthWriter;
  /** ServerHello + ChangeCipherSpec records, shared by every TLS flow. */
  serverHello: Uint8Array;
  /** Complete gzip'd JSON responses to reuse. */
  gzipResponses: Uint8Array[];
  /** Flows started, by kind. */
  started: Record<FlowKind, number>;
  /** Next ephemeral port (Android's 32768–60999). */
  port: number;
}

/** Share of plain-HTTP flows that carry identifiers. */
const PLANT_RATE = 0.25;
const EMPTY = new Uint8Array(0);
/** SYN options: MSS 1460, NOP NOP SACK-permitted, NOP window scale 7 (RFC 9293, RFC 2018, RFC 7323). */
const SYN_OPTS = Uint8Array.of(2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7);

/** One application write: `src[off, off+len)` from one side, optionally forced to split at `splitAt`. */
interface Write {
  fromClient: boolean;
  src: Uint8Array;
  off: number;
  len: number;
  splitAt?: number;
  plants?: Plant[];
}

/** Starts a flow of a kind drawn from the mix. */
export function startFlow(w: World): Flow {
  const r = w.rng.float();
  const kind: FlowKind = r < 0.3 ? "dns" : r < 0.55 ? "http" : r < 0.9 ? "tls" : "quic";
  w.started[kind]++;
  switch (kind) {
    case "dns":
      return dnsFlow(w, w.rng.pick(w.hosts), w.rng.float() < 0.3);
    case "http":
      return httpFlow(w);
    case "tls":
      return tlsFlow(w);
    default:
      return quicFlow(w);
  }
}

/** A lookup of `host` (AAAA when `v6` and the host has one), with a fresh transaction id. */
function* dnsFlow(w: World, host: Host, v6: boolean): Flow {
  const [q, r] = v6 && host.dnsAAAA ? host.dnsAAAA : host.dnsA;
  const e: Endpoints = { v6: false, client: PHONE.v4, server: PHONE.dns, cPort: nextPort(w), sPort: 53 };
  const id = w.rng.int(0, 0xffff);
  const head = Uint8Array.of(id >> 8, id & 0xff);
  w.sink.udp(e, true, head, q, 2, q.length - 2);
  yield;
  w.sink.udp(e, false, head, r, 2, r.length - 2);
  yield;
}

/** Handshake, the writes, then a FIN exchange (most often), an RST, or nothing (left open). */
function* tcpSession(w: World, c: HostConn, writes: Write[]): Flow {
  const s = w.sink;
  s.tcp(c, true, SYN, EMPTY, 0, 0, SYN_OPTS);
  yield;
  s.tcp(c, false, SYN | ACK, EMPTY, 0, 0, SYN_OPTS);
  yield;
  s.tcp(c, true, ACK, EMPTY, 0, 0);
  yield;
  for (const wr of writes) yield* sendWrite(w, c, wr);
  const r = w.rng.float();
  if (r < 0.85) {
    s.tcp(c, true, FIN | ACK, EMPTY, 0, 0);
    yield;
    s.tcp(c, false, FIN | ACK, EMPTY, 0, 0);
    yield;
    s.tcp(c, true, ACK, EMPTY, 0, 0);
    yield;
  } else if (r < 0.95) {
    s.tcp(c, true, RST | ACK, EMPTY, 0, 0);
    yield;
  }
}

/** Segments of ≤ MSS, the peer ACKing every second one; plants learn their frames and go to the truth file. */
function* sendWrite(w: World, c: HostConn, wr: Write): Flow {
  const mss = c.v6 ? 1440 : 1460;
  const end = wr.off + wr.len;
  const split = wr.splitAt !== undefined ? wr.off + wr.splitAt : -1;
  let off = wr.off;
  let n = 0;
  while (off < end) {
    let segEnd = Math.min(off + mss, end);
    if (off < split && split < segEnd) segEnd = split;
    const frame = w.sink.tcp(c, wr.fromClient, segEnd === end ? PSH | ACK : ACK, wr.src, off, segEnd - off);
    if (wr.plants) {
      for (const p of wr.plants) if (p.start < segEnd - wr.off && p.end > off - wr.off) p.frames.push(frame);
    }
    off = segEnd;
    yield;
    if (++n % 2 === 0 || off === end) {
      w.sink.tcp(c, !wr.fromClient, ACK, EMPTY, 0, 0);
      yield;
    }
  }
  if (!wr.plants) return;
  const client = c.v6 ? PHONE.v6Text : PHONE.v4Text;
  const server = c.v6 ? c.host.v6Text! : c.host.v4Text;
  for (const p of wr.plants) w.truth.add(p, c, c.host.name, client, server);
}

const whole = (fromClient: boolean, b: Uint8Array): Write => ({ fromClient, src: b, off: 0, len: b.length });

/** Plain HTTP/1.1: 1–3 request/response rounds; a quarter of the flows to vendor/analytics hosts leak. */
function* httpFlow(w: World): Flow {
  const rng = w.rng;
  const planted = rng.float() < PLANT_RATE;
  const host = planted ? rng.pick(w.plantHosts) : rng.pick(w.hosts);
  if (rng.float() < 0.4) yield* dnsFlow(w, host, false);
  const writes: Write[] = [];
  const rounds = rng.int(1, 3);
  for (let i = 0; i < rounds; i++) {
    if (planted && i === 0) {
      const req = plantedRequest(rng, host.name);
      const first = req.plants[0];
      // Half the time a segment boundary cuts the first value in two.
      const splitAt = rng.float() < 0.5 ? first.start + ((first.end - first.start) >> 1) : undefined;
      writes.push({ ...whole(true, req.bytes), plants: req.plants, splitAt });
    } else {
      const path =
        rng.float() < 0.5 ? `/static/app.${rng.u32().toString(36)}.js` : `/api/feed?page=${rng.int(1, 50)}`;
      writes.push(
        whole(true, httpRequest({ method: "GET", host: host.name, path, headers: [["Accept", "*/*"]] })),
      );
    }
    writes.push(...httpAnswer(w));
  }
  yield* tcpSession(w, hostConn(w, host, rng.float() < 0.2, 80), writes);
}

/** A response: HTML or a binary download from the pools, a reused gzip'd JSON, or a 304. */
function httpAnswer(w: World): Write[] {
  const rng = w.rng;
  const r = rng.float();
  if (r < 0.15) return [whole(false, rng.pick(w.gzipResponses))];
  if (r < 0.25) return [whole(false, httpResponse({ status: 304, reason: "Not Modified" }))];
  const html = r < 0.6;
  const len = html ? rng.int(2000, 60000) : rng.int(5000, 300000);
  const type = html ? "text/html; charset=utf-8" : "application/octet-stream";
  const head = httpResponse({
    headers: [
      ["Content-Type", type],
      ["Content-Length", String(len)],
    ],
  });
  const off = html ? w.pools.textOffset(rng, len) : w.pools.randomOffset(rng, len);
  return [whole(false, head), { fromClient: false, src: html ? w.pools.text : w.pools.random, off, len }];
}

/** TLS: ClientHello with SNI, ServerHello, then application records each way; downloads up to ~2 MB. */
function* tlsFlow(w: World): Flow {
  const rng = w.rng;
  const host = rng.pick(w.hosts);
  const v6 = rng.float() < 0.3;
  if (rng.float() < 0.4) yield* dnsFlow(w, host, v6);
  const hello = host.clientHello.slice();
  hello.set(rng.bytes(32), 11); // ClientHello.random: after record (5), handshake (4) and version (2) headers
  const pool = w.pools.tls;
  const span = (len: number, fromClient: boolean): Write => {
    const [off, n] = w.pools.tlsSpan(rng, len);
    return { fromClient, src: pool, off, len: n };
  };
  const writes: Write[] = [whole(true, hello), whole(false, w.serverHello), span(rng.int(2000, 5000), false)];
  for (let i = rng.int(1, 3); i > 0; i--) {
    writes.push(span(rng.int(200, 2000), true));
    const r = rng.float();
    writes.push(
      span(
        r < 0.75 ? rng.int(2000, 30000) : r < 0.97 ? rng.int(30000, 200000) : rng.int(200000, 2000000),
        false,
      ),
    );
  }
  yield* tcpSession(w, hostConn(w, host, v6, 443), writes);
}

/** QUIC-like: Initials each way, then bursts of short-header datagrams with the client's sparse replies. */
function* quicFlow(w: World): Flow {
  const rng = w.rng;
  const host = rng.pick(w.hosts);
  const six = rng.float() < 0.3 && host.v6 !== undefined;
  const e: Endpoints = {
    v6: six,
    client: six ? PHONE.v6 : PHONE.v4,
    server: six ? host.v6! : host.v4,
    cPort: nextPort(w),
    sPort: 443,
  };
  const pool = w.pools.random;
  const dcid = rng.bytes(8);
  const scid = rng.bytes(8);
  const filler = pool.subarray(w.pools.randomOffset(rng, 1200));
  const ci = quicLikeInitial(dcid, scid, filler.subarray(0, 1200));
  const si = quicLikeInitial(scid, dcid, filler.subarray(600, 1800));
  w.sink.udp(e, true, undefined, ci, 0, ci.length);
  yield;
  w.sink.udp(e, false, undefined, si, 0, si.length);
  yield;
  // Short header (RFC 9000 §17.3.1): 0b01xxxxxx then the destination connection id.
  const toClient = Uint8Array.of(0x40, ...scid);
  const toServer = Uint8Array.of(0x40, ...dcid);
  for (let burst = rng.int(2, 60); burst > 0; burst--) {
    for (let k = rng.int(2, 12); k > 0; k--) {
      toClient[0] = 0x40 | (rng.u32() & 0x3f);
      const len = rng.int(1100, 1243);
      w.sink.udp(e, false, toClient, pool, w.pools.randomOffset(rng, len), len);
      yield;
    }
    const len = rng.int(20, 60);
    w.sink.udp(e, true, toServer, pool, w.pools.randomOffset(rng, len), len);
    yield;
  }
}
