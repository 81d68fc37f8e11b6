// Names of TLS code points as data: protocol versions, cipher suites, named groups, alerts. Records carry
// names so a reader need not look numbers up; unknown values keep their number as `0x....`.
// Sources: the IANA TLS parameters registry (RFC 8446 §B.4, RFC 5246 App. A.5, RFC 8422, RFC 7905,
// RFC 8998, RFC 7919), and draft-ietf-tls-ecdhe-mlkem for the hybrid post-quantum groups.

import { hex4 } from "./tls-bytes.ts";

/** TLS record content types (RFC 8446 §5.1, RFC 6520 for heartbeat). */
export const CONTENT_TYPE = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
  heartbeat: 24,
} as const;

/** Handshake message types this decoder reads (RFC 8446 §4, RFC 5246 §7.4). */
export const HANDSHAKE_TYPE = {
  clientHello: 1,
  serverHello: 2,
  endOfEarlyData: 5,
  encryptedExtensions: 8,
  certificate: 11,
  finished: 20,
  keyUpdate: 24,
} as const;

/** True for a GREASE value (RFC 8701 §2: 0x0a0a, 0x1a1a, ... 0xfafa) in any 16-bit code point list. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

/** True for TLS 1.3 and its drafts (0x7f00 + draft number), whose records after ServerHello are encrypted. */
export function isTls13(version: number): boolean {
  return version === 0x0304 || version >> 8 === 0x7f;
}

const VERSION_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0002, "SSLv2"],
  [0x0300, "SSLv3"],
  [0x0301, "TLSv1.0"],
  [0x0302, "TLSv1.1"],
  [0x0303, "TLSv1.2"],
  [0x0304, "TLSv1.3"],
  [0xfeff, "DTLSv1.0"],
  [0xfefd, "DTLSv1.2"],
  [0xfefc, "DTLSv1.3"],
]);

/** `TLSv1.2`, `TLSv1.3`, `TLSv1.3-draft-23`, or `0x....` for anything else. */
export function versionName(v: number): string {
  const name = VERSION_NAMES.get(v);
  if (name) return name;
  if (v >> 8 === 0x7f) return `TLSv1.3-draft-${v & 0xff}`;
  return `0x${hex4(v)}`;
}

/** Cipher suites phones and their servers use, plus the old and odd ones worth naming in a report. */
const CIPHER_SUITES: readonly (readonly [number, string])[] = [
  [0x0000, "TLS_NULL_WITH_NULL_NULL"],
  [0x0001, "TLS_RSA_WITH_NULL_MD5"],
  [0x0002, "TLS_RSA_WITH_NULL_SHA"],
  [0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"],
  [0x0004, "TLS_RSA_WITH_RC4_128_MD5"],
  [0x0005, "TLS_RSA_WITH_RC4_128_SHA"],
  [0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"],
  [0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA"],
  [0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"],
  [0x0009, "TLS_RSA_WITH_DES_CBC_SHA"],
  [0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"],
  [0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"],
  [0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"],
  [0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"],
  [0x001b, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"],
  [0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"],
  [0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"],
  [0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"],
  [0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"],
  [0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"],
  [0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"],
  [0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"],
  [0x003a, "TLS_DH_anon_WITH_AES_256_CBC_SHA"],
  [0x003b, "TLS_RSA_WITH_NULL_SHA256"],
  [0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"],
  [0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"],
  [0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"],
  [0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"],
  [0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"],
  [0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"],
  [0x006a, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"],
  [0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"],
  [0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"],
  [0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"],
  [0x008c, "TLS_PSK_WITH_AES_128_CBC_SHA"],
  [0x008d, "TLS_PSK_WITH_AES_256_CBC_SHA"],
  [0x0096, "TLS_RSA_WITH_SEED_CBC_SHA"],
  [0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"],
  [0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"],
  [0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"],
  [0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"],
  [0x00a2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"],
  [0x00a3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"],
  [0x00a8, "TLS_PSK_WITH_AES_128_GCM_SHA256"],
  [0x00a9, "TLS_PSK_WITH_AES_256_GCM_SHA384"],
  [0x00ae, "TLS_PSK_WITH_AES_128_CBC_SHA256"],
  [0x00af, "TLS_PSK_WITH_AES_256_CBC_SHA384"],
  [0x00c6, "TLS_SM4_GCM_SM3"],
  [0x00c7, "TLS_SM4_CCM_SM3"],
  [0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"],
  [0x1301, "TLS_AES_128_GCM_SHA256"],
  [0x1302, "TLS_AES_256_GCM_SHA384"],
  [0x1303, "TLS_CHACHA20_POLY1305_SHA256"],
  [0x1304, "TLS_AES_128_CCM_SHA256"],
  [0x1305, "TLS_AES_128_CCM_8_SHA256"],
  [0x5600, "TLS_FALLBACK_SCSV"],
  [0xc004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA"],
  [0xc005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA"],
  [0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"],
  [0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"],
  [0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"],
  [0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"],
  [0xc00e, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA"],
  [0xc00f, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA"],
  [0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"],
  [0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"],
  [0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"],
  [0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"],
  [0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"],
  [0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"],
  [0xc025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256"],
  [0xc026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384"],
  [0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"],
  [0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"],
  [0xc029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256"],
  [0xc02a, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384"],
  [0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"],
  [0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"],
  [0xc02d, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256"],
  [0xc02e, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384"],
  [0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],
  [0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"],
  [0xc031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256"],
  [0xc032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384"],
  [0xc035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA"],
  [0xc036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA"],
  [0xc09c, "TLS_RSA_WITH_AES_128_CCM"],
  [0xc09d, "TLS_RSA_WITH_AES_256_CCM"],
  [0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM"],
  [0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM"],
  [0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8"],
  [0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8"],
  [0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8"],
  [0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8"],
  [0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"],
  [0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"],
  [0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"],
  [0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"],
  [0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"],
  [0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"],
  [0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"],
  [0xccab, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256"],
  [0xccac, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256"],
];

/** Cipher suite code → IANA name (the table above, exported for tests and reports). */
export const CIPHER_NAMES: ReadonlyMap<number, string> = new Map(CIPHER_SUITES);

/** IANA name of a cipher suite, `GREASE` for RFC 8701 values, else `0x....`. */
export function cipherName(v: number): string {
  return CIPHER_NAMES.get(v) ?? (isGrease(v) ? "GREASE" : `0x${hex4(v)}`);
}

/** Named groups (supported_groups / key_share, RFC 8446 §4.2.7). */
const GROUPS: readonly (readonly [number, string])[] = [
  [0x0015, "secp224r1"],
  [0x0016, "secp256k1"],
  [0x0017, "secp256r1"],
  [0x0018, "secp384r1"],
  [0x0019, "secp521r1"],
  [0x001a, "brainpoolP256r1"],
  [0x001b, "brainpoolP384r1"],
  [0x001c, "brainpoolP512r1"],
  [0x001d, "x25519"],
  [0x001e, "x448"],
  [0x0029, "curveSM2"],
  [0x0100, "ffdhe2048"],
  [0x0101, "ffdhe3072"],
  [0x0102, "ffdhe4096"],
  [0x0103, "ffdhe6144"],
  [0x0104, "ffdhe8192"],
  [0x0200, "MLKEM512"],
  [0x0201, "MLKEM768"],
  [0x0202, "MLKEM1024"],
  [0x11eb, "SecP256r1MLKEM768"],
  [0x11ec, "X25519MLKEM768"],
  [0x11ed, "SecP384r1MLKEM1024"],
  [0x6399, "X25519Kyber768Draft00"],
];

/** Named group code → name. */
export const GROUP_NAMES: ReadonlyMap<number, string> = new Map(GROUPS);

/** Name of a named group, `GREASE`, else `0x....`. */
export function groupName(v: number): string {
  return GROUP_NAMES.get(v) ?? (isGrease(v) ? "GREASE" : `0x${hex4(v)}`);
}

/** Alert descriptions (RFC 8446 §6, RFC 5246 §7.2, RFC 7301 §3.2, RFC 8446bis for ech_required). */
const ALERTS: readonly (readonly [number, string])[] = [
  [0, "close_notify"],
  [10, "unexpected_message"],
  [20, "bad_record_mac"],
  [21, "decryption_failed"],
  [22, "record_overflow"],
  [30, "decompression_failure"],
  [40, "handshake_failure"],
  [41, "no_certificate"],
  [42, "bad_certificate"],
  [43, "unsupported_certificate"],
  [44, "certificate_revoked"],
  [45, "certificate_expired"],
  [46, "certificate_unknown"],
  [47, "illegal_parameter"],
  [48, "unknown_ca"],
  [49, "access_denied"],
  [50, "decode_error"],
  [51, "decrypt_error"],
  [60, "export_restriction"],
  [70, "protocol_version"],
  [71, "insufficient_security"],
  [80, "internal_error"],
  [86, "inappropriate_fallback"],
  [90, "user_canceled"],
  [100, "no_renegotiation"],
  [109, "missing_extension"],
  [110, "unsupported_extension"],
  [111, "certificate_unobtainable"],
  [112, "unrecognized_name"],
  [113, "bad_certificate_status_response"],
  [114, "bad_certificate_hash_value"],
  [115, "unknown_psk_identity"],
  [116, "certificate_required"],
  [120, "no_application_protocol"],
  [121, "ech_required"],
];

/** Alert description code → name. */
export const ALERT_NAMES: ReadonlyMap<number, string> = new Map(ALERTS);
