// Opening one protected TLS record with node:crypto: the AEAD constructions of TLS 1.2 (RFC 5288 explicit
// nonce for GCM/CCM, RFC 7905 XORed nonce for ChaCha20-Poly1305) and TLS 1.3 (RFC 8446 §5.2, §5.3), and
// AES-CBC with HMAC, MAC-then-encrypt (RFC 5246 §6.2.3.2) or encrypt-then-MAC (RFC 7366). A record that
// does not authenticate gives undefined; nothing here throws.

import { createDecipheriv, createHmac, timingSafeEqual } from "node:crypto";
import {
  type CipherSuite,
  hashLength,
  type RecordCipher,
  type SuiteHash,
  tagLength,
} from "./cipher-suites.ts";

/** Opens the protected records of one direction under one key. */
export interface RecordDecryptor {
  /**
   * The plaintext of a record body (TLS 1.3: TLSInnerPlaintext, padding and type still on), or undefined
   * when the record does not authenticate or cannot be a record of this cipher. `seq` is the record's
   * sequence number under this key.
   */
  open(contentType: number, body: Uint8Array, seq: number): Uint8Array | undefined;
}

const AES_BLOCK = 16;

/** Writes the 64-bit big-endian sequence number (RFC 5246 §6.1) at out[off]. */
function writeSeq(out: Uint8Array, off: number, seq: number): void {
  const hi = Math.floor(seq / 0x100000000);
  const lo = seq >>> 0;
  out[off] = hi >>> 24;
  out[off + 1] = (hi >>> 16) & 0xff;
  out[off + 2] = (hi >>> 8) & 0xff;
  out[off + 3] = hi & 0xff;
  out[off + 4] = lo >>> 24;
  out[off + 5] = (lo >>> 16) & 0xff;
  out[off + 6] = (lo >>> 8) & 0xff;
  out[off + 7] = lo & 0xff;
}

/** Writes iv XOR the left-padded sequence number into `out` (RFC 8446 §5.3, RFC 7905 §2). */
function writeXorNonce(out: Uint8Array, iv: Uint8Array, seq: number): void {
  out.set(iv);
  const hi = Math.floor(seq / 0x100000000);
  const lo = seq >>> 0;
  const t = out.length - 8;
  out[t] ^= hi >>> 24;
  out[t + 1] ^= (hi >>> 16) & 0xff;
  out[t + 2] ^= (hi >>> 8) & 0xff;
  out[t + 3] ^= hi & 0xff;
  out[t + 4] ^= lo >>> 24;
  out[t + 5] ^= (lo >>> 16) & 0xff;
  out[t + 6] ^= (lo >>> 8) & 0xff;
  out[t + 7] ^= lo & 0xff;
}

/**
 * One AEAD key, with what node:crypto needs worked out once rather than per record. node:crypto cannot
 * rekey a cipher context or decrypt into a caller's buffer, so each record still costs one
 * createDecipheriv (about 10 µs) and one plaintext allocation; the nonce and AAD buffers callers pass may
 * be reused, as both are consumed before open() returns.
 */
class AeadKey {
  /** Tag bytes at the end of each sealed record. */
  readonly tagLen: number;
  // CCM-8 is AES-CCM with an 8-byte tag to node:crypto; the cast picks the typing that takes plaintextLength.
  private readonly name: "aes-128-ccm";
  private readonly options: { authTagLength: number };
  private readonly aadOptions = { plaintextLength: 0 };

  constructor(
    cipher: RecordCipher,
    private readonly key: Uint8Array,
  ) {
    this.tagLen = tagLength(cipher);
    this.name = cipher.replace("ccm8", "ccm") as "aes-128-ccm";
    this.options = { authTagLength: this.tagLen };
  }

  /** Decrypts and verifies `data` (ciphertext then tag); undefined when the tag does not verify. */
  open(nonce: Uint8Array, aad: Uint8Array, data: Uint8Array): Uint8Array | undefined {
    const tagLen = this.tagLen;
    if (data.length < tagLen) return undefined;
    const ctLen = data.length - tagLen;
    const ct = new Uint8Array(data.buffer, data.byteOffset, ctLen);
    const tag = new Uint8Array(data.buffer, data.byteOffset + ctLen, tagLen);
    try {
      const d = createDecipheriv(this.name, this.key, nonce, this.options);
      d.setAuthTag(tag);
      // CCM needs the plaintext length before any data (its MAC covers it up front); GCM ignores it.
      this.aadOptions.plaintextLength = ctLen;
      d.setAAD(aad, this.aadOptions);
      const head = d.update(ct);
      const tail = d.final();
      return tail.length > 0 ? Buffer.concat([head, tail]) : head;
    } catch {
      return undefined;
    }
  }
}

/** Decrypts and verifies `data` (ciphertext then tag); undefined when the tag does not verify. */
export function aeadOpen(
  cipher: RecordCipher,
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  data: Uint8Array,
): Uint8Array | undefined {
  return new AeadKey(cipher, key).open(nonce, aad, data);
}

/** TLS 1.2 AEAD records (RFC 5246 §6.2.3.3). */
class Aead12 implements RecordDecryptor {
  private readonly aead: AeadKey;
  private readonly chacha: boolean;
  /** Reused per record: the nonce, and seq_num + type + version + length (RFC 5246 §6.2.3.3). */
  private readonly nonce: Uint8Array;
  private readonly aad = new Uint8Array(13);

  constructor(
    cipher: RecordCipher,
    key: Uint8Array,
    private readonly salt: Uint8Array,
    version: number,
  ) {
    this.aead = new AeadKey(cipher, key);
    this.chacha = cipher === "chacha20-poly1305";
    // GCM and CCM: 4-byte salt + 8 explicit bytes (RFC 5288 §3); ChaCha20: the 12-byte IV (RFC 7905 §2).
    this.nonce = new Uint8Array(this.chacha ? salt.length : salt.length + 8);
    if (!this.chacha) this.nonce.set(salt);
    this.aad[9] = version >> 8;
    this.aad[10] = version & 0xff;
  }

  open(contentType: number, body: Uint8Array, seq: number): Uint8Array | undefined {
    // GCM and CCM send the nonce's last 8 bytes in the record (RFC 5288 §3); ChaCha20 derives it (RFC 7905).
    const explicit = this.chacha ? 0 : 8;
    const tagLen = this.aead.tagLen;
    if (body.length < explicit + tagLen) return undefined;
    if (this.chacha) writeXorNonce(this.nonce, this.salt, seq);
    else for (let i = 0; i < 8; i++) this.nonce[this.salt.length + i] = body[i];
    const data = new Uint8Array(body.buffer, body.byteOffset + explicit, body.length - explicit);
    const len = data.length - tagLen;
    const aad = this.aad;
    writeSeq(aad, 0, seq);
    aad[8] = contentType;
    aad[11] = len >> 8;
    aad[12] = len & 0xff;
    return this.aead.open(this.nonce, aad, data);
  }
}

/** TLS 1.3 records (RFC 8446 §5.2): the additional data is the record header as sent. */
class Aead13 implements RecordDecryptor {
  private readonly aead: AeadKey;
  /** Reused per record. */
  private readonly nonce: Uint8Array;
  // legacy_record_version is always 0x0303 on protected records (§5.1), so the header is rebuilt here.
  private readonly aad = Uint8Array.of(0, 0x03, 0x03, 0, 0);

  constructor(
    cipher: RecordCipher,
    key: Uint8Array,
    private readonly iv: Uint8Array,
  ) {
    this.aead = new AeadKey(cipher, key);
    this.nonce = new Uint8Array(iv.length);
  }

  open(contentType: number, body: Uint8Array, seq: number): Uint8Array | undefined {
    const n = body.length;
    this.aad[0] = contentType;
    this.aad[3] = n >> 8;
    this.aad[4] = n & 0xff;
    writeXorNonce(this.nonce, this.iv, seq);
    return this.aead.open(this.nonce, this.aad, body);
  }
}

/** AES-CBC with HMAC, either order. TLS 1.0 chains the IV across records; 1.1+ sends it per record. */
class CbcHmac implements RecordDecryptor {
  private readonly macLen: number;
  private readonly explicitIv: boolean;
  private readonly hash: SuiteHash;
  private readonly macHeader = new Uint8Array(13);

  constructor(
    private readonly suite: CipherSuite,
    version: number,
    private readonly key: Uint8Array,
    private readonly macKey: Uint8Array,
    private iv: Uint8Array,
    private readonly etm: boolean,
  ) {
    this.hash = suite.mac ?? "sha1";
    this.macLen = hashLength(this.hash);
    this.explicitIv = version >= 0x0302;
    this.macHeader[9] = version >> 8;
    this.macHeader[10] = version & 0xff;
  }

  open(contentType: number, body: Uint8Array, seq: number): Uint8Array | undefined {
    return this.etm ? this.openEtm(contentType, body, seq) : this.openMte(contentType, body, seq);
  }

  /** RFC 7366 §3: the MAC covers the IV and ciphertext; verify it, then decrypt. */
  private openEtm(type: number, body: Uint8Array, seq: number): Uint8Array | undefined {
    if (body.length < this.macLen + AES_BLOCK) return undefined;
    const enc = body.subarray(0, body.length - this.macLen);
    if (!this.macOk(type, seq, enc, body.subarray(enc.length))) return undefined;
    const pt = this.decrypt(enc);
    if (!pt || pt.length === 0) return undefined;
    const pad = pt[pt.length - 1];
    return this.paddingOk(pt, pad) ? pt.subarray(0, pt.length - pad - 1) : undefined;
  }

  /** RFC 5246 §6.2.3.2: decrypt, strip the padding, then check the MAC over the content. */
  private openMte(type: number, body: Uint8Array, seq: number): Uint8Array | undefined {
    const pt = this.decrypt(body);
    if (!pt || pt.length === 0) return undefined;
    const pad = pt[pt.length - 1];
    if (pad + 1 + this.macLen > pt.length || !this.paddingOk(pt, pad)) return undefined;
    const end = pt.length - pad - 1 - this.macLen;
    const content = pt.subarray(0, end);
    return this.macOk(type, seq, content, pt.subarray(end, end + this.macLen)) ? content : undefined;
  }

  private paddingOk(pt: Uint8Array, pad: number): boolean {
    if (pad + 1 > pt.length) return false;
    for (let i = pt.length - 1 - pad; i < pt.length; i++) if (pt[i] !== pad) return false;
    return true;
  }

  private macOk(type: number, seq: number, data: Uint8Array, mac: Uint8Array): boolean {
    const n = data.length;
    // seq_num + type + version + length (RFC 5246 §6.2.3.1), in a buffer reused per record.
    const header = this.macHeader;
    writeSeq(header, 0, seq);
    header[8] = type;
    header[11] = n >> 8;
    header[12] = n & 0xff;
    const want = createHmac(this.hash, this.macKey).update(header).update(data).digest();
    return mac.length === want.length && timingSafeEqual(mac, want);
  }

  /** CBC-decrypts whole blocks, without touching the TLS padding. */
  private decrypt(enc: Uint8Array): Uint8Array | undefined {
    let iv = this.iv;
    let ct = enc;
    if (this.explicitIv) {
      if (enc.length < 2 * AES_BLOCK) return undefined;
      iv = enc.subarray(0, AES_BLOCK);
      ct = enc.subarray(AES_BLOCK);
    }
    if (ct.length === 0 || ct.length % AES_BLOCK !== 0 || iv.length !== AES_BLOCK) return undefined;
    // TLS 1.0: the next record's IV is this record's last ciphertext block (RFC 2246 §6.2.3.2).
    if (!this.explicitIv) this.iv = Uint8Array.from(ct.subarray(ct.length - AES_BLOCK));
    try {
      const d = createDecipheriv(this.suite.cipher, this.key, iv);
      d.setAutoPadding(false);
      // Without padding every whole block comes out of update(); final() adds nothing to copy.
      const head = d.update(ct);
      const tail = d.final();
      return tail.length > 0 ? Buffer.concat([head, tail]) : head;
    } catch {
      return undefined;
    }
  }
}

/** Keys of one direction of a TLS ≤ 1.2 session. */
export interface Tls12DirectionKeys {
  /** Cipher key. */
  key: Uint8Array;
  /** AEAD salt, or TLS 1.0 CBC initial IV. */
  iv: Uint8Array;
  /** HMAC key (CBC). */
  macKey: Uint8Array;
}

/** A decryptor for one direction of a TLS 1.0–1.2 session; `etm` when encrypt_then_mac was negotiated. */
export function tls12Decryptor(
  suite: CipherSuite,
  version: number,
  k: Tls12DirectionKeys,
  etm: boolean,
): RecordDecryptor {
  if (suite.mac) return new CbcHmac(suite, version, k.key, k.macKey, k.iv, etm);
  return new Aead12(suite.cipher, k.key, k.iv, version);
}

/** A decryptor for one TLS 1.3 traffic key. */
export function tls13Decryptor(suite: CipherSuite, key: Uint8Array, iv: Uint8Array): RecordDecryptor {
  return new Aead13(suite.cipher, key, iv);
}
