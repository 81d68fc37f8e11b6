// The encrypting side of the TLS benchmark capture: per connection, secrets drawn from the seeded PRNG and
// logged as NSS key log lines, record keys derived from them exactly as a decryptor must (TLS 1.3
// HKDF-Expand-Label, TLS 1.2 PRF key block; both from src/decrypt/), and records sealed with node:crypto.

import { createCipheriv } from "node:crypto";
import { type CipherSuite, cipherSuite, hashLength } from "../src/decrypt/cipher-suites.ts";
import { keyBlock } from "../src/decrypt/tls-prf.ts";
import { trafficKeys } from "../src/decrypt/tls13-keys.ts";
import type { Prng } from "../test/helpers/traffic-synth.ts";

/** Record content types (RFC 8446 §5.1). */
export const CT = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;

/** Most plaintext one record carries (RFC 8446 §5.1, RFC 5246 §6.2.1). */
export const MAX_FRAGMENT = 16384;

/** The suites a connection may use, with their share of connections (a phone's HTTPS mix). */
export const BENCH_SUITES = [
  { id: 0x1301, name: "TLS_AES_128_GCM_SHA256", share: 0.6 },
  { id: 0x1302, name: "TLS_AES_256_GCM_SHA384", share: 0.1 },
  { id: 0x1303, name: "TLS_CHACHA20_POLY1305_SHA256", share: 0.1 },
  { id: 0xc02b, name: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", share: 0.12 },
  { id: 0xc02c, name: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", share: 0.08 },
] as const;
/** A suite's IANA name. */
export type BenchSuiteName = (typeof BENCH_SUITES)[number]["name"];

/** Draws a suite by its share. */
export function pickSuite(rng: Prng): (typeof BENCH_SUITES)[number] {
  let r = rng.float();
  for (const s of BENCH_SUITES) {
    r -= s.share;
    if (r < 0) return s;
  }
  return BENCH_SUITES[0];
}

/** The 64-bit big-endian sequence number (RFC 5246 §6.1). */
function seqBytes(seq: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(Math.floor(seq / 0x100000000), 0);
  b.writeUInt32BE(seq >>> 0, 4);
  return b;
}

/** iv XOR the left-padded sequence number (RFC 8446 §5.3, RFC 7905 §2). */
function xorNonce(iv: Uint8Array, seq: number): Buffer {
  const nonce = Buffer.from(iv);
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) nonce[nonce.length - 8 + i] ^= s[i];
  return nonce;
}

/** Seals one direction's records under one key, counting its sequence numbers. */
export class RecordSealer {
  private seq = 0;
  /** Bytes before a record's first plaintext byte: header (5), plus the explicit nonce of TLS 1.2 GCM (8). */
  readonly head: number;
  /** Bytes a record adds to its plaintext: head, tag (16), and TLS 1.3's inner content type (1). */
  readonly overhead: number;

  /** A sealer for `suite`; `tls13` seals TLSInnerPlaintext, else TLS 1.2 AEAD records. */
  constructor(
    private readonly suite: CipherSuite,
    private readonly tls13: boolean,
    private readonly key: Uint8Array,
    private readonly iv: Uint8Array,
  ) {
    const explicit = !tls13 && suite.cipher !== "chacha20-poly1305" ? 8 : 0;
    this.head = 5 + explicit;
    this.overhead = this.head + 16 + (tls13 ? 1 : 0);
  }

  /** One record of `type` carrying the concatenation of `parts` (at most MAX_FRAGMENT bytes). */
  seal(type: number, parts: readonly Uint8Array[], len: number): Buffer {
    const seq = this.seq++;
    const out = Buffer.allocUnsafe(len + this.overhead);
    const bodyLen = out.length - 5;
    // TLS 1.3 hides the type inside (§5.2): the outer type is application_data and the AAD is the header.
    out[0] = this.tls13 ? CT.applicationData : type;
    out.writeUInt16BE(0x0303, 1);
    out.writeUInt16BE(bodyLen, 3);
    let nonce: Buffer;
    let aad: Buffer;
    if (this.tls13) {
      nonce = xorNonce(this.iv, seq);
      aad = out.subarray(0, 5);
    } else {
      // TLS 1.2 AEAD (RFC 5246 §6.2.3.3): AAD = seq_num + type + version + plaintext length. GCM sends the
      // nonce's last 8 bytes in the record, here the sequence number as most stacks do (RFC 5288 §3).
      const sb = seqBytes(seq);
      aad = Buffer.concat([sb, Uint8Array.of(type, 3, 3, len >> 8, len & 0xff)]);
      if (this.head === 13) {
        sb.copy(out, 5);
        nonce = Buffer.concat([this.iv, sb]);
      } else nonce = xorNonce(this.iv, seq);
    }
    const c = createCipheriv(this.suite.cipher as "aes-128-gcm", this.key, nonce, { authTagLength: 16 });
    c.setAAD(aad);
    let off = this.head;
    for (const p of parts) off += c.update(p).copy(out, off);
    if (this.tls13) off += c.update(Uint8Array.of(type)).copy(out, off);
    off += c.final().copy(out, off);
    c.getAuthTag().copy(out, off);
    return out;
  }

  /** Where plaintext byte `at` of a message sealed in MAX_FRAGMENT pieces lands in the record bytes. */
  cipherOffset(at: number): number {
    const k = Math.floor(at / MAX_FRAGMENT);
    return k * (MAX_FRAGMENT + this.overhead) + this.head + (at - k * MAX_FRAGMENT);
  }
}

/** One connection's keys: what it logs, and a sealer per direction and phase. */
export interface TlsSession {
  /** The negotiated suite. */
  suite: (typeof BENCH_SUITES)[number];
  /** 0x0304 or 0x0303. */
  version: number;
  /** ClientHello.random, the key log's key. */
  clientRandom: Uint8Array;
  /** ServerHello.random (TLS 1.2's key block needs it). */
  serverRandom: Uint8Array;
  /** NSS key log lines for this connection, newline-terminated. */
  keyLog: string;
  /** TLS 1.3 handshake-phase sealers (client Finished, server EncryptedExtensions..Finished). */
  clientHs?: RecordSealer;
  /** See clientHs. */
  serverHs?: RecordSealer;
  /** Application-phase sealers (TLS 1.2: from the Finished on). */
  client: RecordSealer;
  /** See client. */
  server: RecordSealer;
}

/** A new connection's randoms and secrets for `choice`, from the PRNG. */
export function newSession(rng: Prng, choice: (typeof BENCH_SUITES)[number]): TlsSession {
  const suite = cipherSuite(choice.id)!;
  const clientRandom = rng.bytes(32);
  const serverRandom = rng.bytes(32);
  const cr = Buffer.from(clientRandom).toString("hex");
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  if (!suite.tls13) {
    const master = rng.bytes(48);
    const kb = keyBlock(suite, 0x0303, master, clientRandom, serverRandom);
    return {
      suite: choice,
      version: 0x0303,
      clientRandom,
      serverRandom,
      keyLog: `CLIENT_RANDOM ${cr} ${hex(master)}\n`,
      client: new RecordSealer(suite, false, kb.client.key, kb.client.iv),
      server: new RecordSealer(suite, false, kb.server.key, kb.server.iv),
    };
  }
  const n = hashLength(suite.hash);
  const [chs, shs, cap, sap, exp] = [1, 2, 3, 4, 5].map(() => rng.bytes(n));
  const sealer = (secret: Uint8Array) => {
    const k = trafficKeys(suite, secret);
    return new RecordSealer(suite, true, k.key, k.iv);
  };
  const keyLog = [
    `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${cr} ${hex(chs)}`,
    `SERVER_HANDSHAKE_TRAFFIC_SECRET ${cr} ${hex(shs)}`,
    `CLIENT_TRAFFIC_SECRET_0 ${cr} ${hex(cap)}`,
    `SERVER_TRAFFIC_SECRET_0 ${cr} ${hex(sap)}`,
    `EXPORTER_SECRET ${cr} ${hex(exp)}`,
    "",
  ].join("\n");
  return {
    suite: choice,
    version: 0x0304,
    clientRandom,
    serverRandom,
    keyLog,
    clientHs: sealer(chs),
    serverHs: sealer(shs),
    client: sealer(cap),
    server: sealer(sap),
  };
}
