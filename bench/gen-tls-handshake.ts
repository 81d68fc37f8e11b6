// Handshake messages of the TLS benchmark capture: an Android-like ClientHello offering TLS 1.3 and 1.2,
// then what a TLS 1.3 server (ServerHello, then EncryptedExtensions, Certificate, CertificateVerify,
// Finished under the handshake key) or a TLS 1.2 ECDHE-ECDSA server sends. Key exchange values, signatures
// and verify_data are random bytes of the right shape: the key log carries the secrets, so nothing derives
// them from the handshake, and neither phonehome nor tshark verifies a signature or a Finished.

import type { Prng } from "../test/helpers/traffic-synth.ts";

/** Handshake message types (RFC 8446 §4, RFC 5246 §7.4). */
export const HS = {
  clientHello: 1,
  serverHello: 2,
  newSessionTicket: 4,
  encryptedExtensions: 8,
  certificate: 11,
  serverKeyExchange: 12,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
} as const;

/** ALPN protocols the client offers, in its order of preference (RFC 7301). */
export const OFFERED_ALPN = ["h2", "http/1.1"] as const;
/** A protocol the server may select. */
export type Alpn = (typeof OFFERED_ALPN)[number];

/** Cipher suites the ClientHello offers: TLS 1.3 first, then ECDHE AEAD suites of TLS 1.2. */
const OFFERED_SUITES = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02c, 0xcca9, 0xc02f, 0xc030, 0xcca8];

/** Offsets in a ClientHello record: random after record (5), handshake (4) and version (2) headers. */
export const CLIENT_HELLO_RANDOM_AT = 11;
/** The 32-byte legacy_session_id after the random and its length byte (RFC 8446 §4.1.2). */
export const CLIENT_HELLO_SESSION_AT = 44;

const u16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const u24 = (v: number) => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const vec8 = (b: ArrayLike<number>) => [b.length, ...Array.from(b)];
const vec16 = (b: ArrayLike<number>) => [...u16(b.length), ...Array.from(b)];
const vec24 = (b: ArrayLike<number>) => [...u24(b.length), ...Array.from(b)];
const ext = (type: number, body: ArrayLike<number>) => [...u16(type), ...vec16(body)];
const latin1 = (s: string) => Array.from(Buffer.from(s, "latin1"));

/** A handshake message: type, 24-bit length, body (RFC 8446 §4). */
export function hs(type: number, body: ArrayLike<number>): Uint8Array {
  return Uint8Array.from([type, ...vec24(body)]);
}

/** An ALPN extension body with these protocol names (RFC 7301 §3.1). */
function alpnBody(names: readonly string[]): number[] {
  return vec16(names.flatMap((n) => vec8(latin1(n))));
}

/**
 * A ClientHello record for `sni` (RFC 8446 §4.1.2): random and session id zero, to be filled per
 * connection at CLIENT_HELLO_RANDOM_AT and CLIENT_HELLO_SESSION_AT; an x25519 key share drawn from `rng`.
 */
export function clientHelloRecord(rng: Prng, sni: string): Uint8Array {
  const exts = [
    ...ext(0, vec16([0, ...vec16(latin1(sni))])),
    ...ext(23, []), // extended_master_secret
    ...ext(0xff01, [0]), // renegotiation_info
    ...ext(10, vec16([0x00, 0x1d, 0x00, 0x17, 0x00, 0x18])), // supported_groups
    ...ext(11, [1, 0]), // ec_point_formats: uncompressed
    ...ext(16, alpnBody(OFFERED_ALPN)),
    ...ext(13, vec16([0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03, 0x08, 0x05, 0x05, 0x01])),
    ...ext(51, vec16([0x00, 0x1d, ...vec16(rng.bytes(32))])), // key_share
    ...ext(45, [1, 1]), // psk_key_exchange_modes: psk_dhe_ke
    ...ext(43, [4, 0x03, 0x04, 0x03, 0x03]), // supported_versions
  ];
  const body = [
    ...u16(0x0303),
    ...new Uint8Array(32),
    ...vec8(new Uint8Array(32)),
    ...vec16(OFFERED_SUITES.flatMap(u16)),
    1,
    0,
    ...vec16(exts),
  ];
  const msg = hs(HS.clientHello, body);
  return Uint8Array.from([22, 3, 1, ...u16(msg.length), ...msg]);
}

/** A TLS 1.3 ServerHello (RFC 8446 §4.1.3): echoes the session id, selects 0x0304 and an x25519 share. */
export function serverHello13(rng: Prng, random: Uint8Array, sessionId: Uint8Array, suite: number) {
  const exts = [...ext(43, u16(0x0304)), ...ext(51, [0x00, 0x1d, ...vec16(rng.bytes(32))])];
  return hs(HS.serverHello, [
    ...u16(0x0303),
    ...random,
    ...vec8(sessionId),
    ...u16(suite),
    0,
    ...vec16(exts),
  ]);
}

/** A TLS 1.2 ServerHello (RFC 5246 §7.4.1.3) with a new session id and the selected ALPN protocol. */
export function serverHello12(rng: Prng, random: Uint8Array, suite: number, alpn: Alpn): Uint8Array {
  const exts = [...ext(0xff01, [0]), ...ext(11, [1, 0]), ...ext(16, alpnBody([alpn]))];
  return hs(HS.serverHello, [
    ...u16(0x0303),
    ...random,
    ...vec8(rng.bytes(32)),
    ...u16(suite),
    0,
    ...vec16(exts),
  ]);
}

/** EncryptedExtensions with the selected ALPN protocol (RFC 8446 §4.3.1). */
export function encryptedExtensions(alpn: Alpn): Uint8Array {
  return hs(HS.encryptedExtensions, vec16([...ext(0, []), ...ext(16, alpnBody([alpn]))]));
}

/** Certificate with one entry: TLS 1.3 adds a request context and per-entry extensions (RFC 8446 §4.4.2). */
export function certificate(der: Uint8Array, tls13: boolean): Uint8Array {
  const entry = tls13 ? [...vec24(der), 0, 0] : vec24(der);
  return hs(HS.certificate, tls13 ? [0, ...vec24(entry)] : vec24(entry));
}

/** An ECDSA-P256-SHA256 signature's shape: a DER SEQUENCE of two 32-byte INTEGERs. */
function signature(rng: Prng): number[] {
  const int = () => [0x02, 33, 0, ...rng.bytes(32)];
  const seq = [...int(), ...int()];
  return [0x04, 0x03, ...vec16([0x30, seq.length, ...seq])];
}

/** CertificateVerify (RFC 8446 §4.4.3). */
export function certificateVerify(rng: Prng): Uint8Array {
  return hs(HS.certificateVerify, signature(rng));
}

/** Finished with `n` bytes of verify_data (TLS 1.3: the hash length; TLS 1.2: 12). */
export function finished(rng: Prng, n: number): Uint8Array {
  return hs(HS.finished, rng.bytes(n));
}

/** ServerKeyExchange of ECDHE over x25519, signed (RFC 8422 §5.4). */
export function serverKeyExchange(rng: Prng): Uint8Array {
  return hs(HS.serverKeyExchange, [3, 0x00, 0x1d, ...vec8(rng.bytes(32)), ...signature(rng)]);
}

/** ServerHelloDone (RFC 5246 §7.4.5). */
export function serverHelloDone(): Uint8Array {
  return hs(HS.serverHelloDone, []);
}

/** ClientKeyExchange with the client's ECDHE public value (RFC 8422 §5.7). */
export function clientKeyExchange(rng: Prng): Uint8Array {
  return hs(HS.clientKeyExchange, vec8(rng.bytes(32)));
}

/** A TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1), sent after the handshake under the application key. */
export function newSessionTicket13(rng: Prng): Uint8Array {
  return hs(HS.newSessionTicket, [
    ...[0, 0, 0x1c, 0x20], // ticket_lifetime: 7200 s
    ...rng.bytes(4),
    ...vec8(rng.bytes(8)),
    ...vec16(rng.bytes(192)),
    0,
    0,
  ]);
}

/** A close_notify alert's body (RFC 8446 §6.1): warning level, description 0. */
export const CLOSE_NOTIFY = Uint8Array.of(1, 0);

/** A plaintext record (ClientHello, ServerHello, ChangeCipherSpec, TLS 1.2's clear handshake). */
export function plainRecord(type: number, body: Uint8Array): Uint8Array {
  return Uint8Array.from([type, 3, 3, ...u16(body.length), ...body]);
}
