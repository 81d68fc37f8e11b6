// The TLS 1.3 EncryptedExtensions message (RFC 8446 §4.3.1), readable only once decrypted: it carries what
// a TLS 1.2 server would have said in its ServerHello, notably the selected ALPN protocol and whether 0-RTT
// data was accepted. Never throws: bad lengths are reported in `malformed`.

import { EXT } from "./client-hello.ts";
import { latin1, u16 } from "./tls-bytes.ts";

/** A parsed EncryptedExtensions body. */
export interface EncryptedExtensions {
  /** Extension types in order. */
  extensions: number[];
  /** The ALPN protocol the server selected (RFC 7301 §3.1), one character per byte. */
  alpn?: string;
  /** early_data present: the server accepted the client's 0-RTT data (RFC 8446 §4.2.10). */
  earlyDataAccepted: boolean;
  /** First problem met, when there was one. */
  malformed?: string;
}

/** Parses an EncryptedExtensions body (after the 4-byte handshake header). */
export function parseEncryptedExtensions(b: Uint8Array): EncryptedExtensions {
  const ee: EncryptedExtensions = { extensions: [], earlyDataAccepted: false };
  if (b.length < 2) {
    ee.malformed = "truncated extensions length";
    return ee;
  }
  const end = Math.min(2 + u16(b, 0), b.length);
  if (2 + u16(b, 0) !== b.length)
    ee.malformed = `extensions length ${u16(b, 0)}, ${b.length - 2} bytes present`;
  let p = 2;
  while (p + 4 <= end) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    p += 4;
    if (p + len > end) {
      ee.malformed ??= `extension ${type} length ${len} overruns the message`;
      return ee;
    }
    ee.extensions.push(type);
    if (type === EXT.earlyData) ee.earlyDataAccepted = true;
    if (type === EXT.alpn) {
      // One name: list length 2 bytes, name length 1 byte, name (RFC 7301 §3.1).
      if (len >= 3 && u16(b, p) === len - 2 && b[p + 2] === len - 3) ee.alpn = latin1(b, p + 3, p + len);
      else ee.malformed ??= "bad ALPN selection";
    }
    p += len;
  }
  if (p !== end) ee.malformed ??= `truncated extension header at ${p}`;
  return ee;
}
