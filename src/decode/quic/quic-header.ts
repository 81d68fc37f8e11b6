// QUIC packet headers (RFC 9000 §17, RFC 8999 for the version-independent part): long headers with their
// version, connection IDs, token and Length, so coalesced packets in one datagram (§12.2) can be walked.
// Parsing fills one reused object and never throws; header protection is removed elsewhere (quic-initial.ts).

/** QUIC version 1 (RFC 9000). */
export const QUIC_V1 = 0x00000001;
/** QUIC version 2 (RFC 9369 §3.1). */
export const QUIC_V2 = 0x6b3343cf;
/** First IETF draft version whose Initial protection we know (draft-29, salt per RFC drafts 29–32). */
export const QUIC_DRAFT_29 = 0xff00001d;
/** Last IETF draft version we know (draft-34, same salt as v1). */
export const QUIC_DRAFT_34 = 0xff000022;

/** Long-header packet types, independent of the version's wire numbering. */
export const LONG_PACKET_TYPES = ["initial", "0rtt", "handshake", "retry", "version_negotiation"] as const;
export type LongPacketType = (typeof LONG_PACKET_TYPES)[number];

/** Wire type bits → type for v1 and the drafts (RFC 9000 §17.2 Table 5). */
const V1_TYPES: readonly LongPacketType[] = ["initial", "0rtt", "handshake", "retry"];
/** Wire type bits → type for v2, which renumbers them against ossification (RFC 9369 §3.2). */
const V2_TYPES: readonly LongPacketType[] = ["retry", "initial", "0rtt", "handshake"];

/** Connection IDs are at most 20 bytes in versions 1 and 2 (RFC 9000 §17.2). */
export const MAX_CID_LEN = 20;

/** A version whose Initial packets we can decrypt. */
export function isKnownVersion(v: number): boolean {
  return v === QUIC_V1 || v === QUIC_V2 || (v >= QUIC_DRAFT_29 && v <= QUIC_DRAFT_34);
}

/** The version as Zeek's quic.log names it: `1`, `quicv2`, `draft-29`, else `unknown-<hex>`. */
export function versionName(v: number): string {
  if (v === QUIC_V1) return "1";
  if (v === QUIC_V2) return "quicv2";
  if (v >>> 8 === 0xff0000) return `draft-${v & 0xff}`;
  return `unknown-${(v >>> 0).toString(16)}`;
}

/** A decoded long header; offsets point into the datagram that was parsed. */
export interface LongHeader {
  /** First byte as sent (still header-protected in its low bits). */
  firstByte: number;
  /** Version field. */
  version: number;
  /** Packet type (`version_negotiation` when the version is 0; undefined types for unknown versions). */
  packetType: LongPacketType | undefined;
  /** Offset of the first byte in the datagram. */
  start: number;
  /** Destination Connection ID offset and length. */
  dcidOff: number;
  /** Destination Connection ID length. */
  dcidLen: number;
  /** Source Connection ID offset. */
  scidOff: number;
  /** Source Connection ID length. */
  scidLen: number;
  /** Initial token offset (Initial packets only). */
  tokenOff: number;
  /** Initial token length (0 when absent). */
  tokenLen: number;
  /** Offset of the (protected) Packet Number field; -1 for Retry and Version Negotiation. */
  pnOff: number;
  /** End of this packet in the datagram (the next coalesced packet starts here). */
  end: number;
  /** Value of the Length field (packet number + payload bytes); 0 for Retry and Version Negotiation. */
  length: number;
  /** The Length field runs past the datagram (a snaplen cut it): `end` is the datagram's end. */
  truncated: boolean;
}

/** A fresh header object (allocate once per decoder). */
export function newLongHeader(): LongHeader {
  return {
    firstByte: 0,
    version: 0,
    packetType: undefined,
    start: 0,
    dcidOff: 0,
    dcidLen: 0,
    scidOff: 0,
    scidLen: 0,
    tokenOff: 0,
    tokenLen: 0,
    pnOff: -1,
    end: 0,
    length: 0,
    truncated: false,
  };
}

/** Reason a long header did not parse, or undefined on success. */
export type HeaderProblem = string | undefined;

/** Result of readVarint: the value and where the next field starts (-1 when the bytes ran out). */
export interface Varint {
  /** Decoded value (exact below 2^53, which covers every length that can fit a datagram). */
  value: number;
  /** Offset after the varint, or -1 when truncated. */
  next: number;
}

/** Reads a variable-length integer (RFC 9000 §16): the top two bits give the length 1, 2, 4 or 8. */
export function readVarint(b: Uint8Array, off: number, end: number, out: Varint): Varint {
  if (off >= end) {
    out.next = -1;
    return out;
  }
  const first = b[off];
  const len = 1 << (first >> 6);
  if (off + len > end) {
    out.next = -1;
    return out;
  }
  let v = first & 0x3f;
  for (let i = 1; i < len; i++) v = v * 256 + b[off + i];
  out.value = v;
  out.next = off + len;
  return out;
}

/** The packet type a version gives the two type bits of a long header's first byte. */
export function longPacketType(version: number, firstByte: number): LongPacketType | undefined {
  if (version === 0) return "version_negotiation";
  const bits = (firstByte >> 4) & 3;
  if (version === QUIC_V2) return V2_TYPES[bits];
  return isKnownVersion(version) ? V1_TYPES[bits] : undefined;
}

const scratch: Varint = { value: 0, next: 0 };

/**
 * Parses the long header starting at `off` (RFC 9000 §17.2). Unknown versions are parsed as far as the
 * invariants go (RFC 8999 §5.1: version and connection IDs) and end the datagram. Returns a problem text
 * when the header itself does not fit the datagram; a Length past its end only sets `truncated`.
 */
export function parseLongHeader(b: Uint8Array, off: number, end: number, h: LongHeader): HeaderProblem {
  if (off + 7 > end) return "long header shorter than 7 bytes";
  h.start = off;
  h.firstByte = b[off];
  h.version = readU32(b, off + 1);
  h.packetType = longPacketType(h.version, h.firstByte);
  h.dcidLen = b[off + 5];
  h.dcidOff = off + 6;
  const scidLenAt = h.dcidOff + h.dcidLen;
  if (scidLenAt >= end) return `destination connection ID length ${h.dcidLen} beyond the datagram`;
  h.scidLen = b[scidLenAt];
  h.scidOff = scidLenAt + 1;
  let p = h.scidOff + h.scidLen;
  if (p > end) return `source connection ID length ${h.scidLen} beyond the datagram`;
  h.tokenOff = p;
  h.tokenLen = 0;
  h.pnOff = -1;
  h.end = end;
  h.length = 0;
  h.truncated = false;
  const t = h.packetType;
  if (t === undefined || t === "version_negotiation" || t === "retry") return undefined;
  if (h.dcidLen > MAX_CID_LEN || h.scidLen > MAX_CID_LEN)
    return `connection ID longer than ${MAX_CID_LEN} bytes`;
  if (t === "initial") {
    readVarint(b, p, end, scratch);
    if (scratch.next < 0) return "truncated token length";
    h.tokenOff = scratch.next;
    h.tokenLen = scratch.value;
    p = h.tokenOff + h.tokenLen;
    if (p > end) return `token length ${h.tokenLen} beyond the datagram`;
  }
  readVarint(b, p, end, scratch);
  if (scratch.next < 0) return "truncated Length field";
  h.pnOff = scratch.next;
  h.length = scratch.value;
  if (scratch.value < 1) return "Length 0 leaves no packet number";
  // Past the datagram: the packet was cut (snaplen) or the field is bogus; either way it is the last one.
  h.truncated = h.pnOff + scratch.value > end;
  h.end = h.truncated ? end : h.pnOff + scratch.value;
  return undefined;
}

/** A long header with the fixed bit, a version we can decrypt, and connection IDs that fit (RFC 9000 §17.2). */
export function looksLikeQuic(b: Uint8Array): boolean {
  if (b.length < 7 || (b[0] & 0xc0) !== 0xc0) return false;
  const version = readU32(b, 1);
  if (!isKnownVersion(version)) return false;
  const dcidLen = b[5];
  if (dcidLen > MAX_CID_LEN || 6 + dcidLen >= b.length) return false;
  const scidLen = b[6 + dcidLen];
  return scidLen <= MAX_CID_LEN && 7 + dcidLen + scidLen <= b.length;
}

/** Big-endian 32-bit value at `off` (the version field); callers check bounds. */
export function readU32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

/** Lower-case hex of `b[off, off + len)`. */
export function hexOf(b: Uint8Array, off: number, len: number): string {
  let s = "";
  for (let i = off; i < off + len; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
  return s;
}
