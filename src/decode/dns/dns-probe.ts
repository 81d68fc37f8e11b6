// Does this look like DNS? Called on the first payload of every UDP datagram and TCP stream until some decoder
// claims the connection, so it reads a few header bytes and skips one name, allocating nothing. Content
// decides: a DNS port only relaxes the checks (a resolver on 53 may send odd opcodes; a non-DNS protocol on a
// random port must pass the strict header, count and first-question checks).

import { skipName } from "./dns-names.ts";

/** Ports where DNS is expected: DNS (RFC 1035), mDNS (RFC 6762), LLMNR (RFC 4795). */
export const DNS_PORTS = [53, 5353, 5355] as const;

/** Largest question count accepted from content alone (mDNS packs many questions into one query). */
const MAX_QD = 128;
/** Largest count per record section accepted from content alone. */
const MAX_RR = 4096;

/** True when either port is a DNS port. */
export function dnsPortHint(p1: number, p2: number): boolean {
  return isDnsPort(p1) || isDnsPort(p2);
}

function isDnsPort(p: number): boolean {
  return (DNS_PORTS as readonly number[]).includes(p);
}

/**
 * Whether `[off, end)` of `buf` plausibly starts a DNS message of `msgLen` bytes (`end` may stop short of it
 * when only part has arrived). `lenient` (a DNS port) skips the opcode, flag and count checks.
 */
export function plausibleDns(
  buf: Uint8Array,
  off: number,
  end: number,
  msgLen: number,
  lenient: boolean,
): boolean {
  if (msgLen < 12 || end - off < 12) return false;
  const b2 = buf[off + 2];
  const b3 = buf[off + 3];
  const qd = (buf[off + 4] << 8) | buf[off + 5];
  const rr = ((buf[off + 6] << 8) | buf[off + 7]) + ((buf[off + 8] << 8) | buf[off + 9]);
  const ar = (buf[off + 10] << 8) | buf[off + 11];
  if (!lenient && !strictHeader(b2, b3, qd, rr, ar, msgLen)) return false;
  if (qd > 0) return questionOk(buf, off + 12, end, lenient);
  // No question: only responses (mDNS announcements) make sense, and their first record must parse.
  if (lenient) return true;
  return (b2 & 0x80) !== 0 && rr > 0 && firstRecordOk(buf, off + 12, end);
}

/** Opcode, Z bit, rcode and counts a real message has (RFC 1035 §4.1.1). */
function strictHeader(b2: number, b3: number, qd: number, rr: number, ar: number, msgLen: number): boolean {
  const opcode = (b2 >> 3) & 0x0f;
  if (opcode === 3 || opcode > 6) return false;
  if (b3 & 0x40) return false; // Z must be zero
  const rcode = b3 & 0x0f;
  if ((b2 & 0x80) === 0 ? rcode !== 0 : rcode > 11) return false;
  if (qd > MAX_QD || rr > 2 * MAX_RR || ar > MAX_RR) return false;
  // Smallest question: root name + type + class (5 bytes); smallest record: 11 bytes.
  return 12 + 5 * qd + 11 * (rr + ar) <= msgLen;
}

/** Classes a question or record may carry (top bit: mDNS unicast-response / cache-flush, RFC 6762 §18.12). */
function classOk(cls: number): boolean {
  const c = cls & 0x7fff;
  return c === 1 || c === 3 || c === 4 || c === 254 || c === 255;
}

/** The first question: an uncompressed name (strict), a non-zero type and a known class. */
function questionOk(buf: Uint8Array, off: number, end: number, lenient: boolean): boolean {
  const next = skipName(buf, off, end, !lenient);
  if (next < 0) return false;
  if (lenient) return true;
  if (next + 4 > end) return false;
  const qtype = (buf[next] << 8) | buf[next + 1];
  return qtype !== 0 && classOk((buf[next + 2] << 8) | buf[next + 3]);
}

/** The first record of a question-less response: owner, type, class, and RDATA inside what arrived. */
function firstRecordOk(buf: Uint8Array, off: number, end: number): boolean {
  const next = skipName(buf, off, end, true);
  if (next < 0 || next + 10 > end) return false;
  const type = (buf[next] << 8) | buf[next + 1];
  const rdlen = (buf[next + 8] << 8) | buf[next + 9];
  return (
    type !== 0 && type !== 41 && classOk((buf[next + 2] << 8) | buf[next + 3]) && next + 10 + rdlen <= end
  );
}
