// The cipher suites phonehome can decrypt, as data: for each IANA id the record cipher, the MAC of CBC
// suites, and the hash of the PRF (TLS 1.2, RFC 5246 §5) or of HKDF (TLS 1.3, RFC 8446 §7.1). Key and IV
// lengths follow from the cipher. Suites not listed (RC4, 3DES, CAMELLIA, ARIA, NULL...) are reported as
// unsupported rather than guessed at.

/** Record ciphers, named as node:crypto names them (`-ccm8` is AES-CCM with an 8-byte tag). */
export const RECORD_CIPHERS = [
  "aes-128-gcm",
  "aes-256-gcm",
  "chacha20-poly1305",
  "aes-128-ccm",
  "aes-256-ccm",
  "aes-128-ccm8",
  "aes-256-ccm8",
  "aes-128-cbc",
  "aes-256-cbc",
] as const;
export type RecordCipher = (typeof RECORD_CIPHERS)[number];

/** Hashes: HMAC of CBC suites, PRF/HKDF hash. */
export const SUITE_HASHES = ["sha1", "sha256", "sha384"] as const;
export type SuiteHash = (typeof SUITE_HASHES)[number];

/** What decrypting a suite's records takes. */
export interface CipherSuite {
  /** IANA cipher suite id. */
  id: number;
  /** The record cipher. */
  cipher: RecordCipher;
  /** HMAC hash of a CBC suite; undefined for AEAD suites. */
  mac?: SuiteHash;
  /** Hash of the TLS 1.2 PRF or the TLS 1.3 HKDF. */
  hash: "sha256" | "sha384";
  /** A TLS 1.3 suite (RFC 8446 §B.4). */
  tls13: boolean;
}

type Row = readonly [id: number, cipher: RecordCipher, mac: SuiteHash | null, hash: "sha256" | "sha384"];

const TLS13_ROWS: readonly Row[] = [
  [0x1301, "aes-128-gcm", null, "sha256"],
  [0x1302, "aes-256-gcm", null, "sha384"],
  [0x1303, "chacha20-poly1305", null, "sha256"],
  [0x1304, "aes-128-ccm", null, "sha256"],
  [0x1305, "aes-128-ccm8", null, "sha256"],
];

// TLS 1.2 AEAD suites: AES-GCM (RFC 5288, 5289, 5487, 8442), ChaCha20-Poly1305 (RFC 7905), AES-CCM
// (RFC 6655, 7251). The PRF hash is SHA-384 for the *_SHA384 suites, SHA-256 otherwise.
const AEAD12_ROWS: readonly Row[] = [
  [0x009c, "aes-128-gcm", null, "sha256"],
  [0x009d, "aes-256-gcm", null, "sha384"],
  [0x009e, "aes-128-gcm", null, "sha256"],
  [0x009f, "aes-256-gcm", null, "sha384"],
  [0x00a8, "aes-128-gcm", null, "sha256"],
  [0x00a9, "aes-256-gcm", null, "sha384"],
  [0x00aa, "aes-128-gcm", null, "sha256"],
  [0x00ab, "aes-256-gcm", null, "sha384"],
  [0x00ac, "aes-128-gcm", null, "sha256"],
  [0x00ad, "aes-256-gcm", null, "sha384"],
  [0xc02b, "aes-128-gcm", null, "sha256"],
  [0xc02c, "aes-256-gcm", null, "sha384"],
  [0xc02d, "aes-128-gcm", null, "sha256"],
  [0xc02e, "aes-256-gcm", null, "sha384"],
  [0xc02f, "aes-128-gcm", null, "sha256"],
  [0xc030, "aes-256-gcm", null, "sha384"],
  [0xc031, "aes-128-gcm", null, "sha256"],
  [0xc032, "aes-256-gcm", null, "sha384"],
  [0xd001, "aes-128-gcm", null, "sha256"],
  [0xd002, "aes-256-gcm", null, "sha384"],
  [0xcca8, "chacha20-poly1305", null, "sha256"],
  [0xcca9, "chacha20-poly1305", null, "sha256"],
  [0xccaa, "chacha20-poly1305", null, "sha256"],
  [0xccab, "chacha20-poly1305", null, "sha256"],
  [0xccac, "chacha20-poly1305", null, "sha256"],
  [0xccad, "chacha20-poly1305", null, "sha256"],
  [0xccae, "chacha20-poly1305", null, "sha256"],
  [0xc09c, "aes-128-ccm", null, "sha256"],
  [0xc09d, "aes-256-ccm", null, "sha256"],
  [0xc09e, "aes-128-ccm", null, "sha256"],
  [0xc09f, "aes-256-ccm", null, "sha256"],
  [0xc0a0, "aes-128-ccm8", null, "sha256"],
  [0xc0a1, "aes-256-ccm8", null, "sha256"],
  [0xc0ac, "aes-128-ccm", null, "sha256"],
  [0xc0ad, "aes-256-ccm", null, "sha256"],
  [0xc0ae, "aes-128-ccm8", null, "sha256"],
  [0xc0af, "aes-256-ccm8", null, "sha256"],
];

// AES-CBC with HMAC (RFC 3268, 5246 App. C, 5289, 5487, 5489).
const CBC_ROWS: readonly Row[] = [
  [0x002f, "aes-128-cbc", "sha1", "sha256"],
  [0x0032, "aes-128-cbc", "sha1", "sha256"],
  [0x0033, "aes-128-cbc", "sha1", "sha256"],
  [0x0035, "aes-256-cbc", "sha1", "sha256"],
  [0x0038, "aes-256-cbc", "sha1", "sha256"],
  [0x0039, "aes-256-cbc", "sha1", "sha256"],
  [0x003c, "aes-128-cbc", "sha256", "sha256"],
  [0x003d, "aes-256-cbc", "sha256", "sha256"],
  [0x0067, "aes-128-cbc", "sha256", "sha256"],
  [0x006b, "aes-256-cbc", "sha256", "sha256"],
  [0x008c, "aes-128-cbc", "sha1", "sha256"],
  [0x008d, "aes-256-cbc", "sha1", "sha256"],
  [0x00ae, "aes-128-cbc", "sha256", "sha256"],
  [0x00af, "aes-256-cbc", "sha384", "sha384"],
  [0xc004, "aes-128-cbc", "sha1", "sha256"],
  [0xc005, "aes-256-cbc", "sha1", "sha256"],
  [0xc009, "aes-128-cbc", "sha1", "sha256"],
  [0xc00a, "aes-256-cbc", "sha1", "sha256"],
  [0xc00e, "aes-128-cbc", "sha1", "sha256"],
  [0xc00f, "aes-256-cbc", "sha1", "sha256"],
  [0xc013, "aes-128-cbc", "sha1", "sha256"],
  [0xc014, "aes-256-cbc", "sha1", "sha256"],
  [0xc023, "aes-128-cbc", "sha256", "sha256"],
  [0xc024, "aes-256-cbc", "sha384", "sha384"],
  [0xc025, "aes-128-cbc", "sha256", "sha256"],
  [0xc026, "aes-256-cbc", "sha384", "sha384"],
  [0xc027, "aes-128-cbc", "sha256", "sha256"],
  [0xc028, "aes-256-cbc", "sha384", "sha384"],
  [0xc029, "aes-128-cbc", "sha256", "sha256"],
  [0xc02a, "aes-256-cbc", "sha384", "sha384"],
  [0xc035, "aes-128-cbc", "sha1", "sha256"],
  [0xc036, "aes-256-cbc", "sha1", "sha256"],
  [0xc037, "aes-128-cbc", "sha256", "sha256"],
  [0xc038, "aes-256-cbc", "sha384", "sha384"],
];

const SUITES: ReadonlyMap<number, CipherSuite> = new Map(
  [...TLS13_ROWS, ...AEAD12_ROWS, ...CBC_ROWS].map(([id, cipher, mac, hash]) => [
    id,
    { id, cipher, hash, tls13: id >> 8 === 0x13, ...(mac ? { mac } : {}) },
  ]),
);

/** Every suite id phonehome decrypts. */
export const DECRYPTABLE_SUITES: readonly number[] = [...SUITES.keys()];

/** The suite's decryption parameters, or undefined when phonehome cannot decrypt it. */
export function cipherSuite(id: number): CipherSuite | undefined {
  return SUITES.get(id);
}

/** Key length in bytes of a record cipher. */
export function keyLength(c: RecordCipher): number {
  return c.startsWith("aes-128") ? 16 : 32;
}

/** Authentication tag length of an AEAD cipher (0 for CBC). */
export function tagLength(c: RecordCipher): number {
  if (c.endsWith("-cbc")) return 0;
  return c.endsWith("ccm8") ? 8 : 16;
}

/** True for the AEAD ciphers. */
export function isAead(c: RecordCipher): boolean {
  return !c.endsWith("-cbc");
}

/** Output length in bytes of a hash. */
export function hashLength(h: SuiteHash): number {
  return h === "sha1" ? 20 : h === "sha256" ? 32 : 48;
}
