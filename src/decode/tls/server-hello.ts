// The TLS ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3): what the server chose. TLS 1.3 hides behind
// legacy_version 0x0303 and names itself in supported_versions; a HelloRetryRequest is a ServerHello whose
// random is a fixed value. Never throws: a body too short for the fixed fields gives undefined.

import { EXT } from "./client-hello.ts";
import { latin1, toHex, u16 } from "./tls-bytes.ts";

/** The random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3). */
export const HRR_RANDOM = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c";

/** A parsed ServerHello. */
export interface ServerHello {
  /** legacy_version as sent. */
  legacyVersion: number;
  /** The negotiated version: supported_versions when present (TLS 1.3), else legacy_version. */
  version: number;
  /** The 32-byte random, lower-case hex. */
  random: string;
  /** legacy_session_id (TLS ≤ 1.2: the session id; an echo of the client's means resumption), hex. */
  sessionId: string;
  /** The chosen cipher suite. */
  cipherSuite: number;
  /** The chosen compression method (0 = null). */
  compressionMethod: number;
  /** Extension types in order. */
  extensions: number[];
  /** The protocol ALPN selected (RFC 7301 §3.1), one character per byte. */
  alpn?: string;
  /** key_share group: the server's share (TLS 1.3), or the group a HelloRetryRequest asks for. */
  keyShareGroup?: number;
  /** pre_shared_key present: the server accepted a TLS 1.3 PSK (resumption). */
  pskAccepted?: boolean;
  /** This is a HelloRetryRequest (RFC 8446 §4.1.4), not a real ServerHello. */
  helloRetryRequest: boolean;
  /** First problem met in the extensions, when there was one. */
  malformed?: string;
}

/** Parses a ServerHello handshake body (after the 4-byte header); undefined when the fixed fields do not fit. */
export function parseServerHello(body: Uint8Array): ServerHello | undefined {
  const n = body.length;
  if (n < 35) return undefined;
  let p = 34;
  const sidLen = body[p++];
  if (sidLen > 32 || p + sidLen + 3 > n) return undefined;
  const random = toHex(body, 2, 34);
  const legacyVersion = u16(body, 0);
  const hello: ServerHello = {
    legacyVersion,
    version: legacyVersion,
    random,
    sessionId: toHex(body, p, p + sidLen),
    cipherSuite: u16(body, p + sidLen),
    compressionMethod: body[p + sidLen + 2],
    extensions: [],
    helloRetryRequest: random === HRR_RANDOM,
  };
  p += sidLen + 3;
  if (p < n) readExtensions(hello, body, p);
  return hello;
}

function readExtensions(h: ServerHello, b: Uint8Array, p: number): void {
  const n = b.length;
  if (p + 2 > n) {
    h.malformed = "truncated extensions length";
    return;
  }
  const declared = u16(b, p);
  p += 2;
  let end = p + declared;
  if (end !== n) {
    h.malformed = `extensions length ${declared}, ${n - p} bytes present`;
    end = Math.min(end, n);
  }
  while (p + 4 <= end) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    p += 4;
    if (p + len > end) {
      h.malformed ??= `extension ${type} length ${len} overruns the message`;
      return;
    }
    h.extensions.push(type);
    const problem = readExtension(h, type, b, p, p + len);
    if (problem) h.malformed ??= `extension ${type}: ${problem}`;
    p += len;
  }
  if (p !== end) h.malformed ??= `truncated extension header at ${p}`;
}

function readExtension(
  h: ServerHello,
  type: number,
  b: Uint8Array,
  s: number,
  e: number,
): string | undefined {
  const len = e - s;
  switch (type) {
    case EXT.supportedVersions:
      // The server sends one selected_version, not a list (RFC 8446 §4.2.1).
      if (len !== 2) return "selected_version is not 2 bytes";
      h.version = u16(b, s);
      return undefined;
    case EXT.alpn: {
      // Exactly one name (RFC 7301 §3.1): list length 2, name length 1, name.
      if (len < 3 || u16(b, s) !== len - 2 || b[s + 2] !== len - 3) return "bad ALPN selection";
      h.alpn = latin1(b, s + 3, e);
      return undefined;
    }
    case EXT.keyShare:
      // A HelloRetryRequest carries only the selected group; a ServerHello a whole KeyShareEntry (§4.2.8).
      if (len < 2) return "short key_share";
      h.keyShareGroup = u16(b, s);
      return undefined;
    case EXT.preSharedKey:
      h.pskAccepted = true;
      return undefined;
    default:
      return undefined;
  }
}
