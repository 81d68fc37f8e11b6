// The TLS Certificate message (RFC 5246 §7.4.2; RFC 8446 §4.4.2 once decrypted) and the fields of its leaf
// X.509 certificate (RFC 5280 §4.1) an analyst reads: who it names (CN, SANs), who vouched for it, when it
// expires. The leaf names the server better than its IP; a self-issued leaf hints at an interception proxy.
// Parsed with the small DER walker in der.ts: a malformed certificate is undefined, never an exception.

import { formatIPv4, formatIPv6 } from "../../session/address.ts";
import { newTlv, readTlv, sameBytes, TAG, type Tlv } from "./der.ts";
import { latin1, toHex, u16, u24, utf8Text } from "./tls-bytes.ts";

/** The certificates of a Certificate message: the leaf's DER and how many entries there were. */
export interface CertificateList {
  /** DER of the first (leaf) certificate, when it lies wholly inside the message. */
  leaf?: Uint8Array;
  /** Certificates whose bytes are wholly present. */
  count: number;
  /** The declared lengths match the message's size. */
  consistent: boolean;
}

/**
 * Splits a Certificate handshake body (after the 4-byte header) into certificates. TLS 1.3 adds a request
 * context before the list and extensions after each entry. Undefined when even the list header is missing.
 */
export function parseCertificateMessage(body: Uint8Array, tls13: boolean): CertificateList | undefined {
  const n = body.length;
  let p = 0;
  if (tls13) {
    if (n < 1) return undefined;
    p = 1 + body[0];
  }
  if (p + 3 > n) return undefined;
  const listEnd = p + 3 + u24(body, p);
  p += 3;
  const end = Math.min(listEnd, n);
  const out: CertificateList = { count: 0, consistent: listEnd === n };
  while (p + 3 <= end) {
    const len = u24(body, p);
    const certEnd = p + 3 + len;
    if (certEnd > end || len === 0) break;
    if (out.count === 0) out.leaf = body.subarray(p + 3, certEnd);
    out.count++;
    p = certEnd;
    if (tls13) {
      if (p + 2 > end) break;
      p += 2 + u16(body, p);
    }
  }
  if (p !== end) out.consistent = false;
  return out;
}

/** What the record keeps of an X.509 certificate. */
export interface CertInfo {
  /** Subject commonName (OID 2.5.4.3), the first one. */
  subjectCn?: string;
  /** Subject organizationName (OID 2.5.4.10). */
  subjectO?: string;
  /** Issuer commonName. */
  issuerCn?: string;
  /** Issuer organizationName. */
  issuerO?: string;
  /** subjectAltName dNSName entries (RFC 5280 §4.2.1.6), at most MAX_SANS. */
  sanDns: string[];
  /** subjectAltName iPAddress entries as text. */
  sanIp: string[];
  /** notBefore, ISO 8601 UTC (`2024-01-31T12:00:00Z`). */
  notBefore?: string;
  /** notAfter, ISO 8601 UTC. */
  notAfter?: string;
  /** Serial number, upper-case hex without the sign-padding zero byte (as openssl prints it). */
  serial: string;
  /** Issuer and subject are the same name (self-signed, or signed by an on-the-fly interception CA). */
  selfIssued: boolean;
}

/** SANs kept per certificate (CDN certificates list hundreds; the first ones are the useful ones). */
export const MAX_SANS = 100;

const OID_CN = Uint8Array.of(0x55, 0x04, 0x03);
const OID_O = Uint8Array.of(0x55, 0x04, 0x0a);
const OID_SAN = Uint8Array.of(0x55, 0x1d, 0x11);

/** Reads the leaf's fields from its DER; undefined when the TBSCertificate structure does not parse. */
export function parseX509(der: Uint8Array): CertInfo | undefined {
  const t = newTlv();
  if (readTlv(der, 0, der.length, t) !== TAG.sequence) return undefined;
  if (readTlv(der, t.start, t.end, t) !== TAG.sequence) return undefined;
  const tbsEnd = t.end;
  let p = t.start;
  let tag = readTlv(der, p, tbsEnd, t);
  if (tag === 0xa0) tag = readTlv(der, t.end, tbsEnd, t); // version [0] EXPLICIT, absent in v1 certificates
  if (tag !== TAG.integer) return undefined;
  const info: CertInfo = { sanDns: [], sanIp: [], serial: serialHex(der, t.start, t.end), selfIssued: false };
  const fields: Tlv[] = [];
  p = t.end;
  // signature AlgorithmIdentifier, issuer, validity, subject, subjectPublicKeyInfo: five SEQUENCEs.
  for (let i = 0; i < 5; i++) {
    const f = newTlv();
    if (readTlv(der, p, tbsEnd, f) !== TAG.sequence) return undefined;
    fields.push(f);
    p = f.end;
  }
  const [, issuer, validity, subject] = fields;
  readName(der, issuer, t, (oid, v) => {
    if (oid === "cn") info.issuerCn ??= v;
    else info.issuerO ??= v;
  });
  readName(der, subject, t, (oid, v) => {
    if (oid === "cn") info.subjectCn ??= v;
    else info.subjectO ??= v;
  });
  readValidity(der, validity, t, info);
  info.selfIssued = sameBytes(der, issuer.start, issuer.end, der.subarray(subject.start, subject.end));
  readExtensions(der, p, tbsEnd, t, info);
  return info;
}

/** Hex of an INTEGER's content, without the 0x00 that keeps a high-bit value positive. */
function serialHex(b: Uint8Array, start: number, end: number): string {
  if (end - start > 1 && b[start] === 0) start++;
  return toHex(b, start, end).toUpperCase();
}

/** Calls `found` for each CN and O attribute of a Name (SEQUENCE OF SET OF AttributeTypeAndValue). */
function readName(b: Uint8Array, name: Tlv, t: Tlv, found: (attr: "cn" | "o", value: string) => void): void {
  for (let p = name.start; p < name.end; ) {
    if (readTlv(b, p, name.end, t) !== TAG.set) return;
    const setEnd = t.end;
    p = setEnd;
    for (let q = t.start; q < setEnd; ) {
      if (readTlv(b, q, setEnd, t) !== TAG.sequence) break;
      const atvEnd = t.end;
      q = atvEnd;
      if (readTlv(b, t.start, atvEnd, t) !== TAG.oid) continue;
      const attr = sameBytes(b, t.start, t.end, OID_CN)
        ? "cn"
        : sameBytes(b, t.start, t.end, OID_O)
          ? "o"
          : "";
      if (!attr || readTlv(b, t.end, atvEnd, t) < 0) continue;
      const value = derString(b, t);
      if (value !== undefined) found(attr, value);
    }
  }
}

/** Text of a DirectoryString / IA5String TLV in its own encoding (RFC 5280 §4.1.2.4). */
function derString(b: Uint8Array, t: Tlv): string | undefined {
  switch (t.tag) {
    case TAG.utf8String:
      return utf8Text(b, t.start, t.end);
    case TAG.printableString:
    case TAG.ia5String:
    case TAG.visibleString:
    case TAG.numericString:
    case TAG.t61String:
      return latin1(b, t.start, t.end);
    case TAG.bmpString: {
      let s = "";
      for (let i = t.start; i + 1 < t.end; i += 2) s += String.fromCharCode(u16(b, i));
      return s;
    }
    case TAG.universalString: {
      let s = "";
      for (let i = t.start; i + 3 < t.end; i += 4) {
        const cp = ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd";
      }
      return s;
    }
    default:
      return undefined;
  }
}

function readValidity(b: Uint8Array, validity: Tlv, t: Tlv, info: CertInfo): void {
  if (readTlv(b, validity.start, validity.end, t) < 0) return;
  info.notBefore = derTime(b, t);
  if (readTlv(b, t.end, validity.end, t) < 0) return;
  info.notAfter = derTime(b, t);
}

/**
 * UTCTime `YYMMDDHHMM[SS]Z` (years 50–99 are 19xx, RFC 5280 §4.1.2.5.1) or GeneralizedTime
 * `YYYYMMDDHHMM[SS][.f]Z` as ISO 8601; undefined for other shapes.
 */
function derTime(b: Uint8Array, t: Tlv): string | undefined {
  const s = latin1(b, t.start, t.end);
  const utc = t.tag === TAG.utcTime;
  if (!utc && t.tag !== TAG.generalizedTime) return undefined;
  const m = utc ? /^(\d\d)(\d{8})(\d\d)?Z$/.exec(s) : /^(\d{4})(\d{8})(\d\d)?(?:\.\d+)?Z$/.exec(s);
  if (!m) return undefined;
  const year = utc ? `${Number(m[1]) >= 50 ? "19" : "20"}${m[1]}` : m[1];
  const d = m[2];
  return `${year}-${d.slice(0, 2)}-${d.slice(2, 4)}T${d.slice(4, 6)}:${d.slice(6, 8)}:${m[3] ?? "00"}Z`;
}

/** Finds subjectAltName among the extensions ([3] EXPLICIT SEQUENCE OF Extension) after the SPKI. */
function readExtensions(b: Uint8Array, p: number, tbsEnd: number, t: Tlv, info: CertInfo): void {
  // Skip issuerUniqueID [1] and subjectUniqueID [2] (RFC 5280 §4.1), stop at extensions [3].
  let tag = -1;
  while (p < tbsEnd) {
    tag = readTlv(b, p, tbsEnd, t);
    if (tag < 0 || tag === 0xa3) break;
    p = t.end;
  }
  if (tag !== 0xa3) return;
  if (readTlv(b, t.start, t.end, t) !== TAG.sequence) return;
  const listEnd = t.end;
  for (let q = t.start; q < listEnd; ) {
    if (readTlv(b, q, listEnd, t) !== TAG.sequence) return;
    const extEnd = t.end;
    q = extEnd;
    if (readTlv(b, t.start, extEnd, t) !== TAG.oid || !sameBytes(b, t.start, t.end, OID_SAN)) continue;
    let tag = readTlv(b, t.end, extEnd, t);
    if (tag === TAG.boolean) tag = readTlv(b, t.end, extEnd, t); // the critical flag
    if (tag !== TAG.octetString) continue;
    readGeneralNames(b, t.start, t.end, t, info);
  }
}

/** GeneralNames (RFC 5280 §4.2.1.6): dNSName is [2] IA5String, iPAddress [7] OCTET STRING, both implicit. */
function readGeneralNames(b: Uint8Array, start: number, end: number, t: Tlv, info: CertInfo): void {
  if (readTlv(b, start, end, t) !== TAG.sequence) return;
  const seqEnd = t.end;
  for (let p = t.start; p < seqEnd; p = t.end) {
    const tag = readTlv(b, p, seqEnd, t);
    if (tag < 0 || info.sanDns.length + info.sanIp.length >= MAX_SANS) return;
    if (tag === 0x82) info.sanDns.push(latin1(b, t.start, t.end));
    else if (tag === 0x87 && t.end - t.start === 4) info.sanIp.push(formatIPv4(b, t.start));
    else if (tag === 0x87 && t.end - t.start === 16) info.sanIp.push(formatIPv6(b, t.start));
  }
}
