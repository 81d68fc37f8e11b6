// Opening one protected TLS record with node:crypto: the AEAD constructions of TLS 1.2 (RFC 5288 explicit
// nonce for GCM/CCM, RFC 7905 XORed nonce for ChaCha20-Poly1305) and TLS 1.3 (RFC 8446 §5.2, §5.3), and
// AES-CBC with HMAC, MAC-then-encrypt (RFC 5246 §6.2.3.2) or encrypt-then-MAC (RFC 7366). A record that
// does not authenticate gives undefined; nothing here throws.

import { createDecipheriv, createHmac, timingSafeEqual } from "node:crypto";
import { type CipherSuite, hashLength, type RecordCipher, tagLength } from "./cipher-suites.ts";

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

/** The 64-bit big-endian sequence number (RFC 5246 §6.1). */
function seqBytes(seq: number): Uint8Array {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, Math.floor(seq / 0x100000000));
  v.setUint32(4, seq >>> 0);
  return b;
}

/** iv XOR the left-padded sequence number (RFC 8446 §5.3, RFC 7905 §2). */
function xorNonce(iv: Uint8Array, seq: number): Uint8Array {
  const nonce = Uint8Array.from(iv);
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) nonce[nonce.length - 8 + i] ^= s[i];
  return nonce;
}

/** Decrypts and verifies `data` (ciphertext then tag); undefined when the tag does not verify. */
export function aeadOpen(
  cipher: RecordCipher,
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  data: Uint8Array,
): Uint8Array | undefined {
  const tagLen = tagLength(cipher);
  if (data.length < tagLen) return undefined;
  const ct = data.subarray(0, data.length - tagLen);
  const tag = data.subarray(data.length - tagLen);
  const ccm = cipher.includes("-ccm");
  const name = (ccm ? cipher.replace("ccm8", "ccm") : cipher) as "aes-128-ccm";
  try {
    const d = createDecipheriv(name, key, nonce, { authTagLength: tagLen });
    d.setAuthTag(tag);
    // CCM needs the plaintext length before any data (its MAC covers it up front).
    d.setAAD(aad, { plaintextLength: ct.length });
    const head = d.update(ct);
    const tail = d.final();
    return tail.length > 0 ? Buffer.concat([head, tail]) : head;
  } catch {
    return undefined;
  }
}

/** TLS 1.2 AEAD records (RFC 5246 §6.2.3.3). */
class Aead12 implements RecordDecryptor {
  constructor(
    private readonly cipher: RecordCipher,
    private readonly key: Uint8Array,
    private readonly salt: Uint8Array,
    private readonly version: number,
  ) {}

  open(contentType: number, body: Uint8Array, seq: number): Uint8Array | undefined {
    // GCM and CCM send the nonce's last 8 bytes in the record (RFC 5288 §3); ChaCha20 derives it (RFC 7905).
    const chacha = this.cipher === "chacha20-poly1305";
    const explicit = chacha ? 0 : 8;
    const tagLen = tagLength(this.cipher);
    if (body.length < explicit + tagLen) return undefined;
    const nonce = chacha ? xorNonce(this.salt, seq) : Buffer.concat([this.salt, body.subarray(0, explicit)]);
    const data = body.subarray(explicit);
    const len = data.length - tagLen;
    const aad = Buffer.concat([
      seqBytes(seq),
      Uint8Array.of(contentType, this.version >> 8, this.version & 0xff, len >> 8, len & 0xff),
    ]);
    return aeadOpen(this.cipher, this.key, nonce, aad, data);
  }
}

/** TLS 1.3 records (RFC 8446 §5.2): the additional data is the record header as sent. */
class Aead13 implements RecordDecryptor {
  constructor(
    private readonly cipher: RecordCipher,
    private readonly key: Uint8Array,
    private readonly iv: Uint8Array,
  ) {}

  open(contentType: number, body: Uint8Array, seq: number): Uint8Array | undefined {
    // legacy_record_version is always 0x0303 on protected records (§5.1), so the header is rebuilt here.
    const n = body.length;
    const aad = Uint8Array.of(contentType, 0x03, 0x03, n >> 8, n & 0xff);
    return aeadOpen(this.cipher, this.key, xorNonce(this.iv, seq), aad, body);
  }
}

/** AES-CBC with HMAC, either order. TLS 1.0 chains the IV across records; 1.1+ sends it per record. */
class CbcHmac implements RecordDecryptor {
  private readonly macLen: number;
  private readonly explicitIv: boolean;

  constructor(
    private readonly suite: CipherSuite,
    private readonly version: number,
    private readonly key: Uint8Array,
    private readonly macKey: Uint8Array,
    private iv: Uint8Array,
    private readonly etm: boolean,
  ) {
    this.macLen = hashLength(suite.mac ?? "sha1");
    this.explicitIv = version >= 0x0302;
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
    const header = Uint8Array.of(type, this.version >> 8, this.version & 0xff, n >> 8, n & 0xff);
    const want = createHmac(this.suite.mac ?? "sha1", this.macKey)
      .update(seqBytes(seq))
      .update(header)
      .update(data)
      .digest();
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
      return Buffer.concat([d.update(ct), d.final()]);
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
