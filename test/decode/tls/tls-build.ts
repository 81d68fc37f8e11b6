// Builders of TLS handshake messages and records with every field chosen by the test (RFC 8446 §4, §5.1;
// RFC 5246 §7.4), plus a harness that drives a TLS decoder instance and collects what it emits.
// Test helpers only.

import type { DecodedRecord, PayloadChunk } from "../../../src/decode/stream-decoder.ts";
import type { TlsDecoderOptions } from "../../../src/decode/tls/tls-decoder.ts";
import { makeTlsDecoder } from "../../../src/decode/tls/tls-decoder.ts";
import type { WeirdRecord } from "../../../src/model/weird.ts";
import type { StreamConsumer, StreamContext } from "../../../src/session/stream-consumer.ts";

/** Big-endian 16-bit. */
export function be16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

/** Big-endian 24-bit. */
export function be24(v: number): number[] {
  return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

/** Concatenates byte arrays. */
export function cat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** ASCII bytes. */
export function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0) & 0xff);
}

/** A vector with a 1-, 2- or 3-byte length prefix. */
export function vec(lenBytes: 1 | 2 | 3, body: Uint8Array | number[]): number[] {
  const n = body.length;
  const len = lenBytes === 1 ? [n] : lenBytes === 2 ? be16(n) : be24(n);
  return [...len, ...body];
}

/** One extension: type, 2-byte length, data. */
export type Ext = [type: number, data: number[]];

/** server_name with one host_name (RFC 6066 §3). */
export function extSni(name: string): Ext {
  return [0, vec(2, [0, ...vec(2, ascii(name))])];
}

/** ALPN list (RFC 7301 §3.1). */
export function extAlpn(names: (string | number[])[]): Ext {
  return [
    16,
    vec(
      2,
      names.flatMap((n) => vec(1, typeof n === "string" ? ascii(n) : n)),
    ),
  ];
}

/** A 2-byte-length list of 16-bit values (supported_groups 10, signature_algorithms 13). */
export function extList16(type: number, values: number[]): Ext {
  return [type, vec(2, values.flatMap(be16))];
}

/** supported_versions in a ClientHello (1-byte length). */
export function extVersions(values: number[]): Ext {
  return [43, vec(1, values.flatMap(be16))];
}

/** key_share client_shares with a key of `keyLen` zero bytes per group. */
export function extKeyShare(groups: number[], keyLen = 32): Ext {
  return [
    51,
    vec(
      2,
      groups.flatMap((g) => [...be16(g), ...vec(2, new Array(keyLen).fill(0))]),
    ),
  ];
}

/** Fields of a ClientHello body. */
export interface ClientHelloSpec {
  version?: number;
  random?: number[];
  sessionId?: number[];
  ciphers: number[];
  compression?: number[];
  /** Extensions in order; undefined omits the block entirely. */
  extensions?: Ext[];
}

/** A ClientHello body (after the handshake header). */
export function clientHelloBody(s: ClientHelloSpec): Uint8Array {
  const exts = s.extensions?.flatMap(([t, d]) => [...be16(t), ...vec(2, d)]);
  return cat(
    be16(s.version ?? 0x0303),
    s.random ?? new Array(32).fill(0x11),
    vec(1, s.sessionId ?? []),
    vec(2, s.ciphers.flatMap(be16)),
    vec(1, s.compression ?? [0]),
    exts ? vec(2, exts) : [],
  );
}

/** Fields of a ServerHello body. */
export interface ServerHelloSpec {
  version?: number;
  random?: number[];
  sessionId?: number[];
  cipher: number;
  extensions?: Ext[];
}

/** A ServerHello body. */
export function serverHelloBody(s: ServerHelloSpec): Uint8Array {
  const exts = s.extensions?.flatMap(([t, d]) => [...be16(t), ...vec(2, d)]);
  return cat(
    be16(s.version ?? 0x0303),
    s.random ?? new Array(32).fill(0x22),
    vec(1, s.sessionId ?? []),
    be16(s.cipher),
    [0],
    exts ? vec(2, exts) : [],
  );
}

/** A TLS ≤ 1.2 Certificate body (RFC 5246 §7.4.2) holding the given DER certificates. */
export function certificateBody(ders: Uint8Array[]): Uint8Array {
  return Uint8Array.from(
    vec(
      3,
      ders.flatMap((d) => vec(3, d)),
    ),
  );
}

/** A handshake message: type, 3-byte length, body. */
export function handshake(type: number, body: Uint8Array | number[]): Uint8Array {
  return cat([type, ...be24(body.length)], body);
}

/** One record: content type, version, 2-byte length, body. */
export function record(type: number, body: Uint8Array | number[], version = 0x0303): Uint8Array {
  return cat([type, ...be16(version), ...be16(body.length)], body);
}

/** An alert record (RFC 5246 §7.2). */
export function alertRecord(level: number, desc: number): Uint8Array {
  return record(21, [level, desc]);
}

/** Cuts bytes into pieces of at most `n`. */
export function chunks(b: Uint8Array, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += n) out.push(b.subarray(i, i + n));
  return out;
}

/** A fixed connection context. */
export const CTX: StreamContext = {
  ts: 1400000000.5,
  uid: "CTLS0000000000000",
  community_id: "1:test",
  orig_h: "10.0.0.2",
  orig_p: 50000,
  resp_h: "192.0.2.7",
  resp_p: 443,
  proto: "tcp",
};

/** What a decoder instance emitted, and what its data() calls returned. */
export interface Harness {
  consumer: StreamConsumer;
  records: DecodedRecord[];
  weirds: Omit<WeirdRecord, "type">[];
  payloads: { layer: string; text: string; fromOrig: boolean }[];
  /** Return values of data(), in call order. */
  results: (boolean | undefined)[];
  /** Feeds bytes in order: [fromOrig, bytes] pairs. */
  feed(steps: [boolean, Uint8Array][]): Harness;
}

/** A fresh decoder instance for CTX. */
export function harness(opts: TlsDecoderOptions = {}): Harness {
  const h: Harness = {
    records: [],
    weirds: [],
    payloads: [],
    results: [],
    consumer: undefined as unknown as StreamConsumer,
    feed(steps) {
      let frame = 1;
      for (const [fromOrig, bytes] of steps)
        h.results.push(h.consumer.data(fromOrig, bytes, CTX.ts + frame, frame++));
      return h;
    },
  };
  h.consumer = makeTlsDecoder(opts).create(CTX, {
    record: (r) => h.records.push(r),
    weird: (w) => h.weirds.push(w),
    payload: (p: PayloadChunk) =>
      h.payloads.push({ layer: p.layer, text: new TextDecoder().decode(p.data), fromOrig: p.fromOrig }),
  });
  return h;
}
