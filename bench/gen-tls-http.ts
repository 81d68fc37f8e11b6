// What travels inside the TLS benchmark connections: HTTP/1.1 requests and responses, or the same
// exchanges as HTTP/2 frames (RFC 9113) with HPACK literals (RFC 7541), as plaintext pieces that are views
// into shared pools (a 2 MB download is never copied before it is sealed). Planted requests keep their
// identifiers' byte ranges, which move with the conversion to HTTP/2.

import { httpRequest, httpResponse } from "../test/helpers/app-messages.ts";
import { hpackIndexed, hpackLiteral } from "../test/helpers/hpack-encoder.ts";
import { frame, PREFACE, settings, T } from "../test/helpers/http2-builder.ts";
import type { Prng } from "../test/helpers/traffic-synth.ts";
import type { Plant } from "./gen-plants.ts";
import { MAX_FRAGMENT } from "./gen-tls-records.ts";

/** A message's plaintext as pieces, and the plants in it (offsets into the concatenation). */
export interface Plain {
  parts: Uint8Array[];
  length: number;
  plants?: Plant[];
}

/** A response before it is framed: status, headers, and the body as pieces. */
export interface ResponseSpec {
  status: number;
  headers: [string, string][];
  body: Uint8Array[];
}

/** A Plain of these pieces. */
export function plain(parts: Uint8Array[], plants?: Plant[]): Plain {
  let length = 0;
  for (const p of parts) length += p.length;
  return plants ? { parts, length, plants } : { parts, length };
}

/** Cuts a message into record-sized fragments of at most MAX_FRAGMENT bytes: [pieces, length]. */
export function* fragments(msg: Plain): Generator<[Uint8Array[], number]> {
  let cur: Uint8Array[] = [];
  let n = 0;
  for (const part of msg.parts) {
    let off = 0;
    while (off < part.length) {
      const take = Math.min(part.length - off, MAX_FRAGMENT - n);
      cur.push(part.subarray(off, off + take));
      n += take;
      off += take;
      if (n === MAX_FRAGMENT) {
        yield [cur, n];
        cur = [];
        n = 0;
      }
    }
  }
  if (n > 0) yield [cur, n];
}

/** An HTTP/1.1 response (RFC 9112 §4): the head, then the body pieces as they are. */
export function h1Response(r: ResponseSpec): Plain {
  const head = httpResponse({
    status: r.status,
    reason: r.status === 200 ? "OK" : "Not Modified",
    headers: r.headers,
  });
  return plain([head, ...r.body]);
}

/** A request and its plants (offsets into the HTTP/1.1 bytes) as HTTP/1.1. */
export function h1Request(bytes: Uint8Array, plants?: Plant[]): Plain {
  return plain([bytes], plants);
}

const FLAG_END_STREAM = 0x1;
const FLAG_END_HEADERS = 0x4;
/** SETTINGS an okhttp-like client sends: no push, a 16 MiB stream window (RFC 9113 §6.5.2). */
const CLIENT_SETTINGS = settings([
  [2, 0],
  [4, 16 << 20],
]);
/** Connection-level WINDOW_UPDATE to ~16 MiB, as clients send after the preface (RFC 9113 §6.9). */
const CLIENT_WINDOW = frame(T.WINDOW_UPDATE, 0, 0, [0, 0xff, 0, 1]);
const SERVER_SETTINGS = settings([
  [3, 100],
  [4, 1 << 20],
]);
const SETTINGS_ACK = frame(T.SETTINGS, 0x1, 0);

/** A 9-byte frame header (RFC 9113 §4.1). */
function frameHead(len: number, type: number, flags: number, stream: number): Uint8Array {
  const h = Buffer.alloc(9);
  h.writeUIntBE(len, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream, 5);
  return h;
}

/** DATA frames of at most MAX_FRAGMENT payload bytes over `body`, END_STREAM on the last. */
function dataFrames(stream: number, body: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const frags = [...fragments(plain(body))];
  frags.forEach(([pieces, n], i) => {
    out.push(frameHead(n, T.DATA, i === frags.length - 1 ? FLAG_END_STREAM : 0, stream), ...pieces);
  });
  return out;
}

/** HPACK block: static-table indexes where RFC 7541 Appendix A has the pair, else literals. */
function requestBlock(method: string, authority: string, path: string, fields: [string, string][]) {
  const m =
    method === "GET" ? hpackIndexed(2) : method === "POST" ? hpackIndexed(3) : hpackLiteral(2, method);
  const bytes = [...m, ...hpackIndexed(7), ...hpackLiteral(1, authority), ...hpackLiteral(4, path)];
  for (const [n, v] of fields) bytes.push(...hpackLiteral(n.toLowerCase(), v));
  return Uint8Array.from(bytes);
}

/** One HTTP/2 connection's framing state: stream ids and the SETTINGS exchange. */
export class H2Conn {
  private nextStream = 1;
  private clientStarted = false;
  private serverStarted = false;
  private ackOwed = false;
  private streams: number[] = [];

  /** An HTTP/1.1 request (with its plants) as this connection's next stream; the first adds the preface. */
  request(h1: Uint8Array, plants?: Plant[]): Plain {
    const text = Buffer.from(h1).toString("latin1");
    const headEnd = text.indexOf("\r\n\r\n");
    const [start, ...lines] = text.slice(0, headEnd).split("\r\n");
    const [method, path] = start.split(" ");
    const fields = lines.map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]);
    const host = fields.find(([n]) => n.toLowerCase() === "host")?.[1] ?? "";
    const rest = fields.filter(([n]) => n.toLowerCase() !== "host") as [string, string][];
    const body = h1.subarray(headEnd + 4);
    const stream = this.nextStream;
    this.nextStream += 2;
    this.streams.push(stream);
    const parts: Uint8Array[] = [];
    if (!this.clientStarted) parts.push(Buffer.from(PREFACE, "latin1"), CLIENT_SETTINGS, CLIENT_WINDOW);
    else if (this.ackOwed) parts.push(SETTINGS_ACK);
    this.clientStarted = true;
    this.ackOwed = false;
    const block = requestBlock(method, host, path, rest);
    const flags = FLAG_END_HEADERS | (body.length === 0 ? FLAG_END_STREAM : 0);
    const headersAt = plain(parts).length;
    parts.push(frameHead(block.length, T.HEADERS, flags, stream), block);
    const bodyAt = plain(parts).length + 9;
    if (body.length > 0) parts.push(...dataFrames(stream, [body]));
    return plain(parts, plants && relocate(parts, plants, headersAt, { at: bodyAt, len: body.length }));
  }

  /** The response to the oldest open stream; the server's first adds its SETTINGS and the ACK. */
  response(r: ResponseSpec): Plain {
    const stream = this.streams.shift() ?? 1;
    const parts: Uint8Array[] = [];
    if (!this.serverStarted) {
      parts.push(SERVER_SETTINGS, SETTINGS_ACK);
      this.ackOwed = true;
    }
    this.serverStarted = true;
    const status = r.status === 200 ? hpackIndexed(8) : r.status === 304 ? hpackIndexed(11) : [];
    const fields = r.headers.flatMap(([n, v]) => hpackLiteral(n.toLowerCase(), v));
    const block = Uint8Array.from([...status, ...fields]);
    const bodyLen = plain(r.body).length;
    const flags = FLAG_END_HEADERS | (bodyLen === 0 ? FLAG_END_STREAM : 0);
    parts.push(frameHead(block.length, T.HEADERS, flags, stream), block);
    if (bodyLen > 0) parts.push(...dataFrames(stream, r.body));
    return plain(parts);
  }
}

/**
 * The plants' byte ranges in the HTTP/2 bytes: text values are found where HPACK or DATA carries them
 * verbatim from the HEADERS frame at `from` on (literals are not Huffman-coded here); a compressed body's
 * plants span its DATA payload (the request bodies are below MAX_FRAGMENT, so one DATA frame holds them).
 */
function relocate(parts: Uint8Array[], plants: Plant[], from: number, body: { at: number; len: number }) {
  const text = Buffer.concat(parts).toString("latin1");
  return plants.map((p): Plant => {
    if (p.transform.startsWith("gzip")) return { ...p, start: body.at, end: body.at + body.len, frames: [] };
    const start = text.indexOf(p.planted, from);
    if (start < 0) throw new Error(`plant not found in HTTP/2 bytes: ${p.planted}`);
    return { ...p, start, end: start + p.planted.length, frames: [] };
  });
}

const UA = "okhttp/4.12.0";

/** An ordinary (unplanted) request of an app: a feed GET, a JSON event POST, or a form POST. */
export function plainRequest(rng: Prng, host: string): Uint8Array {
  const r = rng.float();
  if (r < 0.6) {
    const path = `/api/v1/feed?page=${rng.int(1, 50)}&lang=zh-CN&net=wifi&t=${rng.u32()}`;
    return httpRequest({
      method: "GET",
      host,
      path,
      headers: [
        ["User-Agent", UA],
        ["Accept", "application/json"],
      ],
    });
  }
  const headers: [string, string][] = [["User-Agent", UA]];
  if (r < 0.85) {
    const body = JSON.stringify({ event: "screen_view", screen: `s${rng.int(1, 40)}`, seq: rng.u32() });
    headers.push(["Content-Type", "application/json"]);
    return httpRequest({ host, path: "/v1/events", headers, body });
  }
  headers.push(["Content-Type", "application/x-www-form-urlencoded"]);
  return httpRequest({ host, path: "/log", headers, body: `k=${rng.u32().toString(36)}&v=${rng.int(1, 9)}` });
}
