// Application messages for the example captures: DNS queries and answers in wire format, HTTP/1.1
// requests and responses, and the opening of a TLS 1.3 handshake (whose rest is encrypted, so opaque bytes
// stand in for it) for connections whose content the example does not need to show.

import { concat, put16, utf8 } from "./frames.ts";

/** DNS record types used here (RFC 1035 §3.2.2). */
const DNS_A = 1;
const DNS_CLASS_IN = 1;

/** A domain name as length-prefixed labels (RFC 1035 §3.1). */
function dnsName(name: string): Uint8Array {
  const out: number[] = [];
  for (const label of name.split(".")) out.push(label.length, ...utf8(label));
  out.push(0);
  return Uint8Array.from(out);
}

function dnsHeader(id: number, flags: number, answers: number): Uint8Array {
  const h = new Uint8Array(12);
  put16(h, 0, id);
  put16(h, 2, flags);
  put16(h, 4, 1);
  put16(h, 6, answers);
  return h;
}

function question(name: string): Uint8Array {
  const tail = new Uint8Array(4);
  put16(tail, 0, DNS_A);
  put16(tail, 2, DNS_CLASS_IN);
  return concat([dnsName(name), tail]);
}

/** A recursive A query (RD set). */
export function dnsQuery(id: number, name: string): Uint8Array {
  return concat([dnsHeader(id, 0x0100, 0), question(name)]);
}

/** An A answer: QR, RD, RA set, each answer's owner a pointer to the question name (RFC 1035 §4.1.4). */
export function dnsAnswer(id: number, name: string, addresses: readonly string[], ttl = 600): Uint8Array {
  const parts = [dnsHeader(id, 0x8180, addresses.length), question(name)];
  for (const a of addresses) {
    const rr = new Uint8Array(16);
    put16(rr, 0, 0xc00c); // the question name sits right after the 12-byte header
    put16(rr, 2, DNS_A);
    put16(rr, 4, DNS_CLASS_IN);
    put16(rr, 6, ttl >>> 16);
    put16(rr, 8, ttl & 0xffff);
    put16(rr, 10, 4);
    rr.set(
      a.split(".").map((x) => Number(x)),
      12,
    );
    parts.push(rr);
  }
  return concat(parts);
}

/** An HTTP/1.1 request (RFC 9112 §3); Content-Length is added when there is a body. */
export function httpRequest(
  method: string,
  host: string,
  target: string,
  headers: readonly [string, string][],
  body?: string,
): Uint8Array {
  const all: [string, string][] = [["Host", host], ...headers];
  if (body !== undefined) all.push(["Content-Length", String(utf8(body).length)]);
  const head = `${method} ${target} HTTP/1.1\r\n${all.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
  return utf8(head + (body ?? ""));
}

/** An HTTP/1.1 response (RFC 9112 §4) with a Content-Length. */
export function httpResponse(
  status: number,
  reason: string,
  headers: readonly [string, string][],
  body = "",
): Uint8Array {
  const all: [string, string][] = [...headers, ["Content-Length", String(utf8(body).length)]];
  const head = `HTTP/1.1 ${status} ${reason}\r\n${all.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
  return utf8(head + body);
}

/** One TLS record (RFC 8446 §5.1). */
function tlsRecord(type: number, body: Uint8Array, version = 0x0303): Uint8Array {
  const h = Uint8Array.of(type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff);
  return concat([h, body]);
}

function vec16(body: Uint8Array): Uint8Array {
  const h = new Uint8Array(2);
  put16(h, 0, body.length);
  return concat([h, body]);
}

function extension(type: number, body: Uint8Array): Uint8Array {
  const h = new Uint8Array(2);
  put16(h, 0, type);
  return concat([h, vec16(body)]);
}

function handshake(type: number, body: Uint8Array): Uint8Array {
  const h = Uint8Array.of(type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff);
  return concat([h, body]);
}

/**
 * A TLS 1.2 ClientHello (RFC 5246 §7.4.1.2) resuming the session `sessionId`; no server_name, since the
 * phone dialled an address rather than a name.
 */
export function tlsClientHello(random: Uint8Array, sessionId: Uint8Array): Uint8Array {
  const exts = concat([
    extension(0xff01, Uint8Array.of(0)), // renegotiation_info, empty (RFC 5746)
    extension(10, vec16(Uint8Array.of(0x00, 0x17, 0x00, 0x18))), // supported_groups
    extension(11, Uint8Array.of(1, 0)), // ec_point_formats: uncompressed
    extension(13, vec16(Uint8Array.of(0x04, 0x01, 0x04, 0x03, 0x02, 0x01))), // signature_algorithms
  ]);
  const suites = Uint8Array.of(0xc0, 0x2f, 0xc0, 0x2b, 0xc0, 0x14, 0xc0, 0x13, 0x00, 0x9c, 0x00, 0x2f);
  const body = concat([
    Uint8Array.of(0x03, 0x03),
    random,
    Uint8Array.of(sessionId.length),
    sessionId,
    vec16(suites),
    Uint8Array.of(1, 0), // compression: null only
    vec16(exts),
  ]);
  return tlsRecord(22, handshake(1, body), 0x0301);
}

/**
 * The server's flight of an abbreviated (resumed) TLS 1.2 handshake (RFC 5246 §7.3): ServerHello echoing
 * the session id and choosing TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ChangeCipherSpec, and the encrypted
 * Finished, which `finished` stands in for. No certificate travels: that is what resumption saves.
 */
export function tls12ResumedServerFlight(
  random: Uint8Array,
  sessionId: Uint8Array,
  finished: Uint8Array,
): Uint8Array {
  const body = concat([
    Uint8Array.of(0x03, 0x03),
    random,
    Uint8Array.of(sessionId.length),
    sessionId,
    Uint8Array.of(0xc0, 0x2f, 0),
    vec16(extension(0xff01, Uint8Array.of(0))),
  ]);
  return concat([
    tlsRecord(22, handshake(2, body)),
    tlsRecord(20, Uint8Array.of(1)),
    tlsRecord(22, finished),
  ]);
}

/** The client's ChangeCipherSpec and encrypted Finished that complete a resumed handshake. */
export function tls12ClientFinish(finished: Uint8Array): Uint8Array {
  return concat([tlsRecord(20, Uint8Array.of(1)), tlsRecord(22, finished)]);
}

/** Opaque bytes standing in for ciphertext, in application_data records. */
export function tlsAppData(ciphertext: Uint8Array): Uint8Array {
  return tlsRecord(23, ciphertext);
}

/** Deterministic filler bytes (a 32-bit xorshift stream): looks random, identical on every run. */
export function filler(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
