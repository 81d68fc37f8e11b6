// The TLS benchmark capture's flows: DNS lookups, and HTTPS connections that run a real TLS 1.3 or 1.2
// handshake and then HTTP/1.1 or HTTP/2 exchanges, every record sealed with the keys the key log names.
// Each flow is a generator writing one frame per step, so thousands of connections interleave.

import { plantedRequest } from "./gen-plants.ts";
import { ACK, FIN, RST, SYN } from "./gen-sink.ts";
import {
  type Alpn,
  CLIENT_HELLO_RANDOM_AT,
  CLIENT_HELLO_SESSION_AT,
  CLOSE_NOTIFY,
  certificate,
  certificateVerify,
  clientKeyExchange,
  encryptedExtensions,
  finished,
  newSessionTicket13,
  plainRecord,
  serverHello12,
  serverHello13,
  serverHelloDone,
  serverKeyExchange,
} from "./gen-tls-handshake.ts";
import { H2Conn, h1Request, h1Response, plain, plainRequest, type ResponseSpec } from "./gen-tls-http.ts";
import { CT, newSession, pickSuite, type TlsSession } from "./gen-tls-records.ts";
import {
  type Conn,
  dnsFlow,
  type Flow,
  sealed,
  send,
  sendMessage,
  type TlsHost,
  type TlsWorld,
  tcpConn,
  tcpOut,
} from "./gen-tls-send.ts";

/** Share of HTTPS connections that carry identifiers (always to a vendor or analytics host). */
const PLANT_RATE = 0.2;
/** Share of connections whose server selects HTTP/2. */
const H2_RATE = 0.35;
const CCS = plainRecord(CT.changeCipherSpec, Uint8Array.of(1));

/** Starts a flow: a quarter are lone DNS lookups, the rest HTTPS connections. */
export function startFlow(w: TlsWorld): Flow {
  if (w.rng.float() < 0.25) {
    w.stats.flows.dns++;
    return dnsFlow(w, w.rng.pick(w.hosts).host, w.rng.float() < 0.3);
  }
  w.stats.flows.tls++;
  return tlsFlow(w);
}

/** An HTTPS connection: TCP and TLS handshakes, 1–4 request/response rounds, then a close. */
function* tlsFlow(w: TlsWorld): Flow {
  const rng = w.rng;
  const planted = rng.float() < PLANT_RATE;
  const th = planted ? rng.pick(w.plantHosts) : rng.pick(w.hosts);
  const v6 = rng.float() < 0.3;
  if (rng.float() < 0.4) yield* dnsFlow(w, th.host, v6);
  const s = newSession(rng, pickSuite(rng));
  const alpn: Alpn = rng.float() < H2_RATE ? "h2" : "http/1.1";
  w.keyLog(s.keyLog);
  w.stats.versions[s.version === 0x0304 ? "1.3" : "1.2"]++;
  w.stats.suites[s.suite.name] = (w.stats.suites[s.suite.name] ?? 0) + 1;
  w.stats.alpn[alpn]++;
  const c = tcpConn(w, th.host, v6);
  tcpOut(w, c, true, SYN);
  yield;
  tcpOut(w, c, false, SYN | ACK);
  yield;
  tcpOut(w, c, true, ACK);
  yield;
  const hello = th.hello.slice();
  const sessionId = rng.bytes(32);
  hello.set(s.clientRandom, CLIENT_HELLO_RANDOM_AT);
  hello.set(sessionId, CLIENT_HELLO_SESSION_AT);
  yield* send(w, c, { fromClient: true, records: [hello] });
  if (s.version === 0x0304) yield* handshake13(w, c, s, th, alpn, sessionId);
  else yield* handshake12(w, c, s, th, alpn);
  yield* rounds(w, c, s, alpn, planted);
  yield* close(w, c, s);
}

function* handshake13(w: TlsWorld, c: Conn, s: TlsSession, th: TlsHost, alpn: Alpn, sid: Uint8Array): Flow {
  const rng = w.rng;
  const hashLen = s.suite.id === 0x1302 ? 48 : 32;
  const hello = plainRecord(CT.handshake, serverHello13(rng, s.serverRandom, sid, s.suite.id));
  // The server's flight after ServerHello is one record under its handshake key (RFC 8446 §2).
  const flight = plain([
    encryptedExtensions(alpn),
    certificate(th.cert, true),
    certificateVerify(rng),
    finished(rng, hashLen),
  ]);
  yield* send(w, c, {
    fromClient: false,
    records: [hello, CCS, ...sealed(s.serverHs!, CT.handshake, flight)],
  });
  const fin = plain([finished(rng, hashLen)]);
  yield* send(w, c, { fromClient: true, records: [CCS, ...sealed(s.clientHs!, CT.handshake, fin)] });
  yield* send(w, c, {
    fromClient: false,
    records: sealed(s.server, CT.handshake, plain([newSessionTicket13(rng)])),
  });
}

function* handshake12(w: TlsWorld, c: Conn, s: TlsSession, th: TlsHost, alpn: Alpn): Flow {
  const rng = w.rng;
  const flight = Buffer.concat([
    serverHello12(rng, s.serverRandom, s.suite.id, alpn),
    certificate(th.cert, false),
    serverKeyExchange(rng),
    serverHelloDone(),
  ]);
  yield* send(w, c, { fromClient: false, records: [plainRecord(CT.handshake, flight)] });
  const kx = plainRecord(CT.handshake, clientKeyExchange(rng));
  const cFin = sealed(s.client, CT.handshake, plain([finished(rng, 12)]));
  yield* send(w, c, { fromClient: true, records: [kx, CCS, ...cFin] });
  const sFin = sealed(s.server, CT.handshake, plain([finished(rng, 12)]));
  yield* send(w, c, { fromClient: false, records: [CCS, ...sFin] });
}

function* rounds(w: TlsWorld, c: Conn, s: TlsSession, alpn: Alpn, planted: boolean): Flow {
  const rng = w.rng;
  const h2 = alpn === "h2" ? new H2Conn() : undefined;
  const kind = h2 ? "h2" : "h1";
  for (let i = rng.int(1, 4); i > 0; i--) {
    // The identifiers go in the first request, as an SDK's registration call does.
    const req = planted ? plantedRequest(rng, c.host.name) : undefined;
    planted = false;
    const bytes = req ? req.bytes : plainRequest(rng, c.host.name);
    const msg = h2 ? h2.request(bytes, req?.plants) : h1Request(bytes, req?.plants);
    yield* sendMessage(w, c, true, s.client, msg, () => w.stats.requests[kind]++);
    const spec = responseSpec(w);
    const res = h2 ? h2.response(spec) : h1Response(spec);
    yield* sendMessage(w, c, false, s.server, res, () => w.stats.responses[kind]++);
  }
}

/** close_notify and FIN both ways (most), an RST, or nothing (left open). */
function* close(w: TlsWorld, c: Conn, s: TlsSession): Flow {
  const r = w.rng.float();
  if (r < 0.85) {
    yield* send(w, c, { fromClient: true, records: sealed(s.client, CT.alert, plain([CLOSE_NOTIFY])) });
    tcpOut(w, c, true, FIN | ACK);
    yield;
    tcpOut(w, c, false, FIN | ACK);
    yield;
    tcpOut(w, c, true, ACK);
    yield;
  } else if (r < 0.95) {
    tcpOut(w, c, true, RST | ACK);
    yield;
  }
}

/** A response: JSON, gzip'd JSON, a 304, HTML, an image, or a large download (bytes from the pools). */
function responseSpec(w: TlsWorld): ResponseSpec {
  const rng = w.rng;
  const r = rng.float();
  const json: [string, string] = ["Content-Type", "application/json; charset=utf-8"];
  if (r < 0.3) return body(200, [json], rng.pick(w.jsonBodies));
  if (r < 0.45) return body(200, [json, ["Content-Encoding", "gzip"]], rng.pick(w.gzipBodies));
  if (r < 0.55) return { status: 304, headers: [["ETag", `"${rng.u32().toString(16)}"`]], body: [] };
  const p = w.pools;
  if (r < 0.8) {
    const len = rng.int(2000, 60000);
    const off = p.textOffset(rng, len);
    return body(200, [["Content-Type", "text/html; charset=utf-8"]], p.text.subarray(off, off + len));
  }
  const len = r < 0.97 ? rng.int(10000, 300000) : rng.int(300000, 3000000);
  const off = p.randomOffset(rng, len);
  const type = r < 0.97 ? "image/webp" : "application/octet-stream";
  return body(200, [["Content-Type", type]], p.random.subarray(off, off + len));
}

function body(status: number, headers: [string, string][], b: Uint8Array): ResponseSpec {
  return { status, headers: [...headers, ["Content-Length", String(b.length)]], body: [b] };
}
