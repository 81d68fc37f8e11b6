// Application-layer messages for synthetic traffic: DNS in real wire format, HTTP/1.1 text, a TLS
// ClientHello/ServerHello with SNI and opaque records, and a QUIC-like long-header datagram. Test helpers only.

import { concat, isIpv6, parseIpv4, parseIpv6, utf8 } from "./packet-builder.ts";

/** DNS RR types used here (RFC 1035 §3.2.2, RFC 3596). */
export const DNS_TYPE = { A: 1, CNAME: 5, AAAA: 28 } as const;

/** Encodes a domain name as length-prefixed labels (RFC 1035 §3.1), no compression. */
export function dnsName(name: string): Uint8Array {
  const parts: number[] = [];
  for (const label of name.replace(/\.$/, "").split(".")) {
    if (label === "") continue;
    const b = utf8(label);
    if (b.length > 63) throw new Error(`DNS label too long: ${label}`);
    parts.push(b.length, ...b);
  }
  parts.push(0);
  return Uint8Array.from(parts);
}

function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

function u32(v: number): number[] {
  return [...u16((v >>> 16) & 0xffff), ...u16(v & 0xffff)];
}

function dnsHeader(id: number, flags: number, qd: number, an: number): number[] {
  return [...u16(id), ...u16(flags), ...u16(qd), ...u16(an), 0, 0, 0, 0];
}

/** A DNS query with recursion desired. */
export function dnsQueryMessage(id: number, name: string, qtype: number = DNS_TYPE.A): Uint8Array {
  return concat([
    Uint8Array.from(dnsHeader(id, 0x0100, 1, 0)),
    dnsName(name),
    Uint8Array.from([...u16(qtype), 0, 1]),
  ]);
}

/** Options of a DNS response. */
export interface DnsResponseOptions {
  /** Transaction id, equal to the query's. */
  id: number;
  /** Queried name. */
  name: string;
  /** Query type (default A, or AAAA when every address answer is IPv6). */
  qtype?: number;
  /** Answers in order: an IP address text gives A/AAAA, anything else a CNAME whose target owns what follows. */
  answers: string[];
  /** Response code (default 0, NOERROR; 3 is NXDOMAIN). */
  rcode?: number;
  /** TTL of every answer (default 300). */
  ttl?: number;
}

/** Query type a response for these answers implies. */
export function impliedQtype(answers: readonly string[]): number {
  const addrs = answers.filter((a) => /^[\d.]+$/.test(a) || isIpv6(a));
  return addrs.length > 0 && addrs.every(isIpv6) ? DNS_TYPE.AAAA : DNS_TYPE.A;
}

/** A DNS response; answer owner names are compressed (RFC 1035 §4.1.4) when they repeat an earlier name. */
export function dnsResponseMessage(o: DnsResponseOptions): Uint8Array {
  const qtype = o.qtype ?? impliedQtype(o.answers);
  const out: number[] = dnsHeader(o.id, 0x8180 | (o.rcode ?? 0), 1, o.answers.length);
  const seen = new Map<string, number>([[o.name.toLowerCase(), out.length]]);
  out.push(...dnsName(o.name), ...u16(qtype), 0, 1);
  let owner = o.name;
  for (const ans of o.answers) {
    const at = seen.get(owner.toLowerCase());
    if (at !== undefined) out.push(0xc0 | (at >> 8), at & 0xff);
    else out.push(...dnsName(owner));
    const ip = /^[\d.]+$/.test(ans) ? parseIpv4(ans) : isIpv6(ans) ? parseIpv6(ans) : undefined;
    const type = ip ? (ip.length === 4 ? DNS_TYPE.A : DNS_TYPE.AAAA) : DNS_TYPE.CNAME;
    const rdata = ip ?? dnsName(ans);
    out.push(...u16(type), 0, 1, ...u32(o.ttl ?? 300), ...u16(rdata.length));
    if (!ip) seen.set(ans.toLowerCase(), out.length);
    out.push(...rdata);
    if (!ip) owner = ans;
  }
  return Uint8Array.from(out);
}

/** Header list: an object or ordered pairs (pairs keep duplicates and order). */
export type HeaderList = Record<string, string> | [string, string][];

function headerLines(h: HeaderList | undefined): [string, string][] {
  if (!h) return [];
  return Array.isArray(h) ? h : Object.entries(h);
}

function hasHeader(h: [string, string][], name: string): boolean {
  return h.some(([k]) => k.toLowerCase() === name.toLowerCase());
}

/** Options of an HTTP/1.1 request. */
export interface HttpRequestOptions {
  /** Method (default GET, or POST when there is a body). */
  method?: string;
  /** Host header value. */
  host: string;
  /** Request target (path and query). */
  path: string;
  /** Extra headers, after Host. */
  headers?: HeaderList;
  /** Body; Content-Length is added unless the headers set Transfer-Encoding or Content-Length. */
  body?: Uint8Array | string;
}

function bodyBytes(body: Uint8Array | string | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === "string" ? utf8(body) : body;
}

function message(startLine: string, headers: [string, string][], body: Uint8Array, hasBody: boolean) {
  const h = [...headers];
  if (hasBody && !hasHeader(h, "content-length") && !hasHeader(h, "transfer-encoding")) {
    h.push(["Content-Length", String(body.length)]);
  }
  const head = `${startLine}\r\n${h.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
  return concat([utf8(head), body]);
}

/** An HTTP/1.1 request (RFC 9112 §3). */
export function httpRequest(o: HttpRequestOptions): Uint8Array {
  const body = bodyBytes(o.body);
  const method = o.method ?? (o.body !== undefined ? "POST" : "GET");
  const headers: [string, string][] = [["Host", o.host], ...headerLines(o.headers)];
  return message(`${method} ${o.path} HTTP/1.1`, headers, body, o.body !== undefined);
}

/** Options of an HTTP/1.1 response. */
export interface HttpResponseOptions {
  /** Status code (default 200). */
  status?: number;
  /** Reason phrase (default "OK" for 200, else "Status"). */
  reason?: string;
  /** Headers. */
  headers?: HeaderList;
  /** Body (Content-Length is added as for requests). */
  body?: Uint8Array | string;
}

/** An HTTP/1.1 response (RFC 9112 §4). */
export function httpResponse(o: HttpResponseOptions = {}): Uint8Array {
  const status = o.status ?? 200;
  const reason = o.reason ?? (status === 200 ? "OK" : "Status");
  return message(`HTTP/1.1 ${status} ${reason}`, headerLines(o.headers), bodyBytes(o.body), true);
}

/** Encodes pairs as application/x-www-form-urlencoded (WHATWG URL §5). */
export function formEncode(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Wraps bytes in one TLS record (RFC 8446 §5.1): content type, legacy version, length. */
export function tlsRecord(contentType: number, body: Uint8Array, version = 0x0303): Uint8Array {
  return concat([Uint8Array.from([contentType, ...u16(version), ...u16(body.length)]), body]);
}

function vec16(body: number[] | Uint8Array): number[] {
  return [...u16(body.length), ...body];
}

function ext(type: number, body: number[]): number[] {
  return [...u16(type), ...vec16(body)];
}

/** Options of a TLS ClientHello. */
export interface ClientHelloOptions {
  /** server_name (RFC 6066 §3). */
  sni?: string;
  /** ALPN protocol names (RFC 7301), e.g. ["h2", "http/1.1"]. */
  alpn?: string[];
  /** 32 random bytes (default zeros). */
  random?: Uint8Array;
  /** Offer TLS 1.3 via supported_versions (RFC 8446 §4.2.1). */
  tls13?: boolean;
}

/** A TLS ClientHello handshake in one record (RFC 8446 §4.1.2; TLS 1.2 layout when `tls13` is false). */
export function tlsClientHello(o: ClientHelloOptions = {}): Uint8Array {
  const exts: number[] = [];
  if (o.sni) {
    const name = utf8(o.sni);
    exts.push(...ext(0, vec16([0, ...vec16(name)])));
  }
  exts.push(...ext(10, vec16([0x00, 0x1d, 0x00, 0x17, 0x00, 0x18]))); // supported_groups
  exts.push(...ext(13, vec16([0x04, 0x03, 0x08, 0x04, 0x04, 0x01]))); // signature_algorithms
  if (o.alpn) {
    const list = o.alpn.flatMap((p) => [utf8(p).length, ...utf8(p)]);
    exts.push(...ext(16, vec16(list)));
  }
  if (o.tls13) exts.push(...ext(43, [4, 0x03, 0x04, 0x03, 0x03]));
  const suites = [0x13, 0x01, 0x13, 0x02, 0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x2c, 0xc0, 0x30, 0x00, 0x9c];
  const body = [
    ...u16(0x0303),
    ...(o.random ?? new Uint8Array(32)),
    0, // empty legacy_session_id
    ...vec16(suites),
    1,
    0, // compression: null only
    ...vec16(exts),
  ];
  const hs = [1, (body.length >> 16) & 0xff, ...u16(body.length & 0xffff), ...body];
  return tlsRecord(22, Uint8Array.from(hs), 0x0301);
}

/** A TLS 1.2 ServerHello (RFC 5246 §7.4.1.3) choosing `cipher`, in one handshake record. */
export function tlsServerHello(random: Uint8Array = new Uint8Array(32), cipher = 0xc02f): Uint8Array {
  const body = [...u16(0x0303), ...random, 0, ...u16(cipher), 0, ...vec16([0xff, 0x01, 0x00, 0x01, 0x00])];
  const hs = [2, (body.length >> 16) & 0xff, ...u16(body.length & 0xffff), ...body];
  return tlsRecord(22, Uint8Array.from(hs));
}

/** A ChangeCipherSpec record (RFC 5246 §7.1). */
export function tlsChangeCipherSpec(): Uint8Array {
  return tlsRecord(20, Uint8Array.of(1));
}

/** Largest TLS ciphertext record body used here: 2^14 plaintext + a 17-byte AEAD overhead (RFC 8446 §5.2). */
export const TLS_MAX_RECORD = 16384 + 17;

/** application_data records carrying the given (ciphertext-like) bytes, split at `TLS_MAX_RECORD`. */
export function tlsAppData(ciphertext: Uint8Array): Uint8Array {
  const records: Uint8Array[] = [];
  for (let off = 0; off < ciphertext.length || off === 0; off += TLS_MAX_RECORD) {
    records.push(tlsRecord(23, ciphertext.subarray(off, off + TLS_MAX_RECORD)));
  }
  return concat(records);
}

/**
 * A QUIC-like long-header Initial datagram (RFC 9000 §17.2.2 layout, version 1), padded to 1200 bytes.
 * The payload is opaque filler, not real packet protection: enough to look like QUIC, not to decrypt.
 */
export function quicLikeInitial(dcid: Uint8Array, scid: Uint8Array, filler: Uint8Array): Uint8Array {
  const total = 1200;
  const head = [0xc3, ...u32(1), dcid.length, ...dcid, scid.length, ...scid, 0];
  const rest = total - head.length - 2; // 2-byte varint Length field
  const out = new Uint8Array(total);
  out.set(head);
  out[head.length] = 0x40 | ((rest >> 8) & 0x3f);
  out[head.length + 1] = rest & 0xff;
  for (let i = head.length + 2, j = 0; i < total; i++, j++) out[i] = filler[j % Math.max(1, filler.length)];
  return out;
}
