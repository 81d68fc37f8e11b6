// The TLS ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2): what a client offers, including the server name
// it asks for (SNI) — the one hostname visible in clear even when everything else is encrypted. Shared with
// the QUIC decoder, whose CRYPTO frames carry the same message. Never throws: a body too short for the fixed
// fields gives undefined; a bad extension is noted in `malformed` and the rest is kept.

import { latin1, toHex, u16, utf8Text } from "./tls-bytes.ts";
import { isGrease } from "./tls-names.ts";

/** Extension type numbers read here (IANA TLS ExtensionType registry). */
export const EXT = {
  serverName: 0,
  supportedGroups: 10,
  signatureAlgorithms: 13,
  alpn: 16,
  encryptThenMac: 22,
  sessionTicket: 35,
  preSharedKey: 41,
  earlyData: 42,
  supportedVersions: 43,
  pskKeyExchangeModes: 45,
  keyShare: 51,
  encryptedClientHello: 0xfe0d,
} as const;

/** A parsed ClientHello. Lists keep the order and the GREASE values (RFC 8701) the client sent. */
export interface ClientHello {
  /** legacy_version (0x0303 for TLS 1.2 and 1.3 clients). */
  legacyVersion: number;
  /** The 32-byte random, lower-case hex: the key a NSS key log line (CLIENT_RANDOM ...) is found by. */
  random: string;
  /** legacy_session_id, hex ("" when empty). */
  sessionId: string;
  /** Cipher suites in offer order, GREASE values included. */
  cipherSuites: number[];
  /** How many of `cipherSuites` are GREASE. */
  greaseCipherSuites: number;
  /** Compression methods (0 = null). */
  compressionMethods: number[];
  /** Extension types in order, GREASE included (repeats kept as sent). */
  extensions: number[];
  /** How many of `extensions` are GREASE. */
  greaseExtensions: number;
  /** server_name host_name (RFC 6066 §3), when sent. */
  sni?: string;
  /** ALPN protocol names in order (RFC 7301), one character per byte so odd bytes survive. */
  alpn?: string[];
  /** supported_versions list (RFC 8446 §4.2.1), GREASE included. */
  supportedVersions?: number[];
  /** supported_groups list (RFC 8446 §4.2.7). */
  supportedGroups?: number[];
  /** signature_algorithms list in order (RFC 8446 §4.2.3). */
  signatureAlgorithms?: number[];
  /** Groups of the key_share entries (RFC 8446 §4.2.8). */
  keyShareGroups?: number[];
  /** psk_key_exchange_modes (RFC 8446 §4.2.9): 0 psk_ke, 1 psk_dhe_ke. */
  pskModes?: number[];
  /** A non-empty session_ticket extension: the client tries to resume a TLS 1.2 session (RFC 5077). */
  sessionTicket?: boolean;
  /** pre_shared_key present: the client offers TLS 1.3 resumption (RFC 8446 §4.2.11). */
  preSharedKey?: boolean;
  /** encrypted_client_hello present: the real SNI may be hidden (draft-ietf-tls-esni). */
  ech?: boolean;
  /** First problem met in the extensions, when there was one (the fields above hold what parsed). */
  malformed?: string;
}

/** Fixed part: version 2 + random 32 + session id length 1. */
const MIN_BODY = 35;

/**
 * Parses a ClientHello handshake body (after the 4-byte handshake header). Undefined when the fixed fields
 * (version, random, session id, cipher suites, compression methods) do not fit.
 */
export function parseClientHello(body: Uint8Array): ClientHello | undefined {
  const n = body.length;
  if (n < MIN_BODY) return undefined;
  let p = 34;
  const sidLen = body[p++];
  if (sidLen > 32 || p + sidLen + 2 > n) return undefined;
  const sessionId = toHex(body, p, p + sidLen);
  p += sidLen;
  const csLen = u16(body, p);
  p += 2;
  if (csLen % 2 !== 0 || p + csLen + 1 > n) return undefined;
  const cipherSuites: number[] = [];
  let greaseCipherSuites = 0;
  for (let i = p; i < p + csLen; i += 2) {
    const v = u16(body, i);
    cipherSuites.push(v);
    if (isGrease(v)) greaseCipherSuites++;
  }
  p += csLen;
  const cmLen = body[p++];
  if (p + cmLen > n) return undefined;
  const hello: ClientHello = {
    legacyVersion: u16(body, 0),
    random: toHex(body, 2, 34),
    sessionId,
    cipherSuites,
    greaseCipherSuites,
    compressionMethods: Array.from(body.subarray(p, p + cmLen)),
    extensions: [],
    greaseExtensions: 0,
  };
  p += cmLen;
  // Extensions may be absent altogether (RFC 5246 §7.4.1.2: SSLv3 and early TLS clients).
  if (p < n) readExtensions(hello, body, p);
  return hello;
}

/** Walks the extensions block from `p`; records the first problem in `hello.malformed`. */
function readExtensions(hello: ClientHello, b: Uint8Array, p: number): void {
  const n = b.length;
  if (p + 2 > n) {
    hello.malformed = "truncated extensions length";
    return;
  }
  const declared = u16(b, p);
  p += 2;
  let end = p + declared;
  if (end !== n) {
    hello.malformed = `extensions length ${declared}, ${n - p} bytes present`;
    end = Math.min(end, n);
  }
  while (p < end) {
    if (p + 4 > end) {
      hello.malformed ??= `truncated extension header at ${p}`;
      return;
    }
    const type = u16(b, p);
    const len = u16(b, p + 2);
    p += 4;
    if (p + len > end) {
      hello.malformed ??= `extension ${type} length ${len} overruns the message`;
      return;
    }
    hello.extensions.push(type);
    if (isGrease(type)) hello.greaseExtensions++;
    const problem = readExtension(hello, type, b, p, p + len);
    if (problem) hello.malformed ??= `extension ${type}: ${problem}`;
    p += len;
  }
}

/** Reads one extension's data b[s, e); returns a problem description or undefined. */
function readExtension(
  h: ClientHello,
  type: number,
  b: Uint8Array,
  s: number,
  e: number,
): string | undefined {
  switch (type) {
    case EXT.serverName:
      return readServerName(h, b, s, e);
    case EXT.alpn:
      return readAlpn(h, b, s, e);
    case EXT.supportedVersions: {
      const l = readList(b, s, e, 1);
      if (typeof l === "string") return l;
      h.supportedVersions = l;
      return undefined;
    }
    case EXT.supportedGroups: {
      const l = readList(b, s, e, 2);
      if (typeof l === "string") return l;
      h.supportedGroups = l;
      return undefined;
    }
    case EXT.signatureAlgorithms: {
      const l = readList(b, s, e, 2);
      if (typeof l === "string") return l;
      h.signatureAlgorithms = l;
      return undefined;
    }
    case EXT.keyShare:
      return readKeyShare(h, b, s, e);
    case EXT.pskKeyExchangeModes:
      return readModes(h, b, s, e);
    case EXT.sessionTicket:
      h.sessionTicket = e > s;
      return undefined;
    case EXT.preSharedKey:
      h.preSharedKey = true;
      return undefined;
    case EXT.encryptedClientHello:
      h.ech = true;
      return undefined;
    default:
      return undefined;
  }
}

/** server_name (RFC 6066 §3): a 2-byte list length, then (type 1, length 2, name) entries; host_name is 0. */
function readServerName(h: ClientHello, b: Uint8Array, s: number, e: number): string | undefined {
  if (e === s) return undefined;
  if (e - s < 2 || s + 2 + u16(b, s) !== e) return "bad server_name list length";
  for (let p = s + 2; p < e; ) {
    if (p + 3 > e) return "truncated server_name entry";
    const nameType = b[p];
    const len = u16(b, p + 1);
    p += 3;
    if (p + len > e) return "server_name entry overruns the list";
    if (nameType === 0 && h.sni === undefined) h.sni = utf8Text(b, p, p + len);
    p += len;
  }
  return undefined;
}

/** ALPN (RFC 7301 §3.1): a 2-byte list length, then 1-byte-length protocol names. */
function readAlpn(h: ClientHello, b: Uint8Array, s: number, e: number): string | undefined {
  if (e - s < 2 || s + 2 + u16(b, s) !== e) return "bad ALPN list length";
  const names: string[] = [];
  for (let p = s + 2; p < e; ) {
    const len = b[p++];
    if (p + len > e) return "ALPN name overruns the list";
    names.push(latin1(b, p, p + len));
    p += len;
  }
  h.alpn = names;
  return undefined;
}

/**
 * A list of 16-bit values behind a length prefix of `lenBytes` (1 for supported_versions, 2 otherwise);
 * a problem description when the lengths disagree.
 */
function readList(b: Uint8Array, s: number, e: number, lenBytes: 1 | 2): number[] | string {
  if (e - s < lenBytes) return "bad list length";
  const len = lenBytes === 1 ? b[s] : u16(b, s);
  if (s + lenBytes + len !== e || len % 2 !== 0) return "bad list length";
  const l: number[] = [];
  for (let p = s + lenBytes; p < e; p += 2) l.push(u16(b, p));
  return l;
}

/** key_share client_shares (RFC 8446 §4.2.8): entries of (group 2, key length 2, key). */
function readKeyShare(h: ClientHello, b: Uint8Array, s: number, e: number): string | undefined {
  if (e - s < 2 || s + 2 + u16(b, s) !== e) return "bad key_share length";
  const groups: number[] = [];
  for (let p = s + 2; p < e; ) {
    if (p + 4 > e) return "truncated key_share entry";
    groups.push(u16(b, p));
    p += 4 + u16(b, p + 2);
    if (p > e) return "key_share entry overruns the list";
  }
  h.keyShareGroups = groups;
  return undefined;
}

/** psk_key_exchange_modes (RFC 8446 §4.2.9): a 1-byte-length list of 1-byte modes. */
function readModes(h: ClientHello, b: Uint8Array, s: number, e: number): string | undefined {
  if (e - s < 1 || s + 1 + b[s] !== e) return "bad psk_key_exchange_modes length";
  h.pskModes = Array.from(b.subarray(s + 1, e));
  return undefined;
}
