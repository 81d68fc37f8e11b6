// X.509 certificates for the TLS benchmark capture's servers: one small DER certificate per host (CN and
// subjectAltName = the host), so a decrypted handshake names the server it should. The public key is a real
// P-256 point made from a seeded private key (so the bytes are deterministic); nothing checks the signature,
// so it is random bytes of the right shape (ECDSA P-256, RFC 5480, RFC 5758).

import { createECDH } from "node:crypto";
import type { Prng } from "../test/helpers/traffic-synth.ts";

/** DER tag numbers used here (X.690 §8). */
const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utf8: 0x0c,
  utcTime: 0x17,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Object identifiers, already in their DER content encoding (X.690 §8.19). */
const OID = {
  ecdsaWithSha256: [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02], // 1.2.840.10045.4.3.2
  ecPublicKey: [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01], // 1.2.840.10045.2.1
  prime256v1: [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07], // 1.2.840.10045.3.1.7
  commonName: [0x55, 0x04, 0x03], // 2.5.4.3
  organization: [0x55, 0x04, 0x0a], // 2.5.4.10
  subjectAltName: [0x55, 0x1d, 0x11], // 2.5.29.17
} as const;

/** Issuer of every benchmark certificate. */
export const BENCH_CA_NAME = "Phonehome Bench CA";

/** A TLV with a definite length (X.690 §8.1.3: short form below 128, else long form). */
function tlv(tag: number, ...content: (Uint8Array | readonly number[])[]): Uint8Array {
  const body = Buffer.concat(content.map((c) => Uint8Array.from(c)));
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Uint8Array.of(tag, ...len), body]);
}

/** A positive INTEGER from big-endian bytes (a leading 0 keeps the sign bit clear, X.690 §8.3). */
function positive(bytes: Uint8Array): Uint8Array {
  return tlv(TAG.integer, bytes[0] & 0x80 ? [0, ...bytes] : bytes);
}

/** A Name of one RDN per attribute (RFC 5280 §4.1.2.4). */
function name(attrs: [readonly number[], string][]): Uint8Array {
  const rdns = attrs.map(([oid, v]) =>
    tlv(TAG.set, tlv(TAG.sequence, tlv(TAG.oid, oid), tlv(TAG.utf8, Buffer.from(v, "utf8")))),
  );
  return tlv(TAG.sequence, ...rdns);
}

/** An uncompressed P-256 public key from a seeded private scalar (below the group order, as any 32 bytes
 * starting below 0xff are). */
function publicPoint(rng: Prng): Uint8Array {
  const priv = rng.bytes(32);
  priv[0] = 1 + (priv[0] % 0xfe);
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(priv);
  return ecdh.getPublicKey();
}

/** A leaf certificate for `host` (RFC 5280 §4.1), valid 2024–2026, with a dNSName SAN. */
export function hostCertificate(rng: Prng, host: string): Uint8Array {
  const sigAlg = tlv(TAG.sequence, tlv(TAG.oid, OID.ecdsaWithSha256));
  const spki = tlv(
    TAG.sequence,
    tlv(TAG.sequence, tlv(TAG.oid, OID.ecPublicKey), tlv(TAG.oid, OID.prime256v1)),
    // Uncompressed point (SEC 1 §2.3.3): 0x04 then X and Y; the BIT STRING has 0 unused bits.
    tlv(TAG.bitString, [0], publicPoint(rng)),
  );
  // SubjectAltName ::= GeneralNames; dNSName is [2] IA5String, implicitly tagged (RFC 5280 §4.2.1.6).
  const san = tlv(TAG.sequence, tlv(0x82, Buffer.from(host, "latin1")));
  const extensions = tlv(
    0xa3, // [3] EXPLICIT Extensions
    tlv(TAG.sequence, tlv(TAG.sequence, tlv(TAG.oid, OID.subjectAltName), tlv(TAG.octetString, san))),
  );
  const tbs = tlv(
    TAG.sequence,
    tlv(0xa0, tlv(TAG.integer, [2])), // [0] EXPLICIT version v3
    positive(rng.bytes(8)),
    sigAlg,
    name([
      [OID.organization, BENCH_CA_NAME],
      [OID.commonName, `${BENCH_CA_NAME} R1`],
    ]),
    tlv(
      TAG.sequence,
      tlv(TAG.utcTime, Buffer.from("240101000000Z")),
      tlv(TAG.utcTime, Buffer.from("261231235959Z")),
    ),
    name([[OID.commonName, host]]),
    spki,
    extensions,
  );
  // Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5480 §2.2 via RFC 3279).
  const sig = tlv(TAG.sequence, positive(rng.bytes(32)), positive(rng.bytes(32)));
  return tlv(TAG.sequence, tbs, sigAlg, tlv(TAG.bitString, [0], sig));
}
