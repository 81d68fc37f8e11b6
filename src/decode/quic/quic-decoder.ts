// The QUIC decoder: walks each UDP datagram's coalesced packets, decrypts Initial packets in both directions
// with keys any observer can derive from the client's first DCID (RFC 9001 §5.2, RFC 9369 §3.3), reassembles
// the CRYPTO stream and hands the ClientHello to the TLS decoder's parser for SNI and ALPN. Without keys,
// 1-RTT packets (short header) are only counted: one byte test each. With a key log holding the connection's
// client random, Handshake and 1-RTT packets are opened and their streams decoded (quic-decrypt.ts, HTTP/3).
// Records follow Zeek's quic.log.

import type { KeyStore } from "../../decrypt/key-log.ts";
import type { StreamConsumer, StreamContext } from "../../session/stream-consumer.ts";
import type { DecoderOutput, StreamDecoderDefinition } from "../stream-decoder.ts";
import { parseClientHello } from "../tls/client-hello.ts";
import { ja4 } from "../tls/ja4.ts";
import { parseServerHello } from "../tls/server-hello.ts";
import { CryptoStream } from "./crypto-stream.ts";
import { QuicDecryptor, type QuicStreamApp } from "./quic-decrypt.ts";
import { type FrameWalk, walkInitialFrames } from "./quic-frames.ts";
import {
  hexOf,
  isKnownVersion,
  type LongHeader,
  looksLikeQuic,
  newLongHeader,
  parseLongHeader,
  readU32,
  versionName,
} from "./quic-header.ts";
import { copyOf, InitialOpener, initialKeys } from "./quic-initial.ts";
import { HISTORY_LETTERS as L, QuicSession } from "./quic-session.ts";
import { quicStreamApp } from "./quic-stream-app.ts";
import { QUIC_WEIRD_NAMES, type QuicWeird } from "./quic-weirds.ts";

export { QUIC_WEIRD_NAMES, type QuicWeird };

/** Most quic records one UDP connection may produce (each Retry or CONNECTION_CLOSE starts a new one). */
export const MAX_QUIC_RECORDS = 8;

/** TLS handshake types (RFC 8446 §4). */
const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;

/** Per-connection state: crypto context shared by the handshakes of one UDP connection. */
class QuicConnection implements StreamConsumer {
  readonly service = "quic";
  private readonly h: LongHeader = newLongHeader();
  private session: QuicSession | undefined;
  private records = 0;
  /** DCID of the client's first Initial: the input of both directions' keys (until a Retry). */
  private initialDcid: Uint8Array | undefined;
  private readonly openers: (InitialOpener | undefined)[] = [undefined, undefined];
  private readonly openerVersion = [0, 0];
  private readonly crypto: (CryptoStream | undefined)[] = [undefined, undefined];
  private readonly finished = [false, false];
  private totalDecrypted = 0;
  private readonly shortTotal = [0, 0];
  private readonly shortNext = [1, 1];
  private weirdBits = 0;
  private ts = 0;
  private frame = 0;
  private fromOrig = true;
  private closedInPacket = false;

  /** Opens Handshake and 1-RTT packets when the decoder was given keys. */
  private readonly dec: QuicDecryptor | undefined;

  constructor(
    private readonly ctx: StreamContext,
    private readonly out: DecoderOutput,
    opts: QuicDecoderOptions,
  ) {
    const weird = (name: QuicWeird, detail: string) => this.weird(name, detail);
    const app = opts.streams ?? quicStreamApp;
    this.dec = opts.keys && new QuicDecryptor(opts.keys, (alpn) => app(ctx, out, alpn), weird);
  }

  data(fromOrig: boolean, bytes: Uint8Array, ts: number, frame: number): boolean | undefined {
    this.ts = ts;
    this.frame = frame;
    this.fromOrig = fromOrig;
    const end = bytes.length;
    let off = 0;
    while (off < end) {
      const b0 = bytes[off];
      // RFC 9000 §17.2: a clear fixed bit is not a QUIC packet of these versions (often zero padding),
      // unless the peers agreed to grease it (RFC 9287).
      if ((b0 & 0x40) === 0 && !this.greased(bytes, off, end)) {
        if (this.totalDecrypted > 0) this.letter(L.discarded);
        break;
      }
      if ((b0 & 0x80) === 0) {
        this.shortPacket(fromOrig ? 0 : 1);
        this.dec?.shortPacket(bytes, off, end, fromOrig ? 0 : 1, ts, frame);
        break; // a short header has no length: it runs to the end of the datagram (§12.2)
      }
      const problem = parseLongHeader(bytes, off, end, this.h);
      if (problem !== undefined) {
        this.weird("quic_bad_header", `offset ${off}: ${problem}`);
        break;
      }
      if (!this.longPacket(bytes) || this.h.truncated) break;
      off = this.h.end;
    }
    return !this.saturated();
  }

  gap(): void {}

  /**
   * A packet whose QUIC bit was cleared on purpose (RFC 9287 grease_quic_bit, which ngtcp2 and others use):
   * a long header of a version we know, or, while 1-RTT keys are in use, a short header that is not zero
   * padding.
   */
  private greased(b: Uint8Array, off: number, end: number): boolean {
    if (b[off] & 0x80) return end - off >= 5 && isKnownVersion(readU32(b, off + 1));
    if (!this.dec?.active) return false;
    return b.subarray(off, end).some((x) => x !== 0);
  }

  end(): void {
    this.dec?.end();
    for (const side of [0, 1]) {
      const cs = this.crypto[side];
      if (cs?.started() && !this.finished[side]) {
        const missing = cs.missing();
        const what = side === 0 ? "client" : "server";
        const detail = missing < 0 ? "handshake header never arrived" : `${missing} bytes never arrived`;
        this.weird("quic_crypto_gap", `${what} Initial CRYPTO stream incomplete: ${detail}`);
      }
    }
    this.finishRecord();
  }

  /** One long-header packet; false when the rest of the datagram cannot be walked. */
  private longPacket(b: Uint8Array): boolean {
    const h = this.h;
    const t = h.packetType;
    if (t === undefined || t === "version_negotiation") {
      if (t === undefined) this.weird("quic_unknown_version", `version 0x${h.version.toString(16)}`);
      if (this.session || this.openSession(b, false)) this.letter(L.unknownVersion);
      this.finishRecord();
      return false;
    }
    if (t === "retry") {
      // A Retry makes the client start over with a new DCID (RFC 9000 §17.2.5): Zeek logs and resets.
      if (this.session || this.openSession(b, false)) this.letter(L.retry);
      this.finishRecord();
      this.resetCrypto();
      return false;
    }
    this.openSession(b, true);
    const side = this.fromOrig ? 0 : 1;
    // The other side addresses this one by the Source Connection ID it announces (RFC 9000 §7.2).
    this.dec?.cidLength(1 - side, h.scidLen);
    if (t === "initial") {
      this.letter(L.initial);
      this.initial(b);
    } else if (t === "handshake") {
      this.letter(L.handshake);
      this.dec?.handshakePacket(b, h, side, this.ts, this.frame);
    } else this.letter(L.zeroRtt);
    return true;
  }

  /** Starts (or updates, when `update`) the current handshake record from the header; false when capped. */
  private openSession(b: Uint8Array, update: boolean): boolean {
    const h = this.h;
    let s = this.session;
    if (!s) {
      if (this.records >= MAX_QUIC_RECORDS) return false;
      s = this.session = new QuicSession(this.ts, versionName(h.version));
    } else if (!update) return true;
    if (this.fromOrig && h.dcidLen > 0 && s.clientInitialDcid === undefined) {
      s.clientInitialDcid = hexOf(b, h.dcidOff, h.dcidLen);
    }
    if (this.fromOrig) s.clientScid = hexOf(b, h.scidOff, h.scidLen);
    else s.serverScid = hexOf(b, h.scidOff, h.scidLen);
    return true;
  }

  /** Decrypts an Initial packet and feeds its frames, while its direction's first message is incomplete. */
  private initial(b: Uint8Array): void {
    const h = this.h;
    const side = this.fromOrig ? 0 : 1;
    if (this.finished[side]) return;
    if (this.fromOrig && !this.initialDcid) this.initialDcid = copyOf(b, h.dcidOff, h.dcidOff + h.dcidLen);
    if (h.truncated) {
      // Its DCID still keys the other side's Initials, but AEAD needs every byte of this one.
      this.weird("quic_truncated_packet", `Initial Length ${h.length}, ${b.length - h.pnOff} bytes captured`);
      return;
    }
    const opener = this.opener(side, h.version);
    if (!opener) return;
    const r = opener.open(b, h);
    if (!r.ok) {
      this.weird("quic_initial_decrypt_failed", `${side === 0 ? "client" : "server"} Initial: ${r.why}`);
      return;
    }
    this.totalDecrypted++;
    if (this.session) this.session.decrypted = true;
    this.closedInPacket = false;
    const walk = walkInitialFrames(r.payload, {
      crypto: (offset, data) => this.cryptoData(side, offset, data),
      close: () => {
        this.closedInPacket = true;
        this.letter(L.close);
        this.finishRecord();
      },
    });
    this.frameProblem(walk);
  }

  /** The Initial opener of one side, derived once per version from the client's first DCID. */
  private opener(side: number, version: number): InitialOpener | undefined {
    if (!this.initialDcid || !isKnownVersion(version)) return undefined;
    if (this.openers[side] === undefined || this.openerVersion[side] !== version) {
      const keys = initialKeys(version, this.initialDcid, side === 1);
      this.openers[side] = keys && new InitialOpener(keys);
      this.openerVersion[side] = version;
    }
    return this.openers[side];
  }

  /** CRYPTO frame bytes of one side; completes the first handshake message when they close its last gap. */
  private cryptoData(side: number, offset: number, data: Uint8Array): void {
    if (this.finished[side]) return;
    let cs = this.crypto[side];
    if (!cs) cs = this.crypto[side] = new CryptoStream();
    const res = cs.write(offset, data);
    if (res !== "ok") {
      this.weird("quic_crypto_too_large", `${res}: CRYPTO offset ${offset} length ${data.length}`);
      this.finishCrypto(side);
      return;
    }
    const msg = cs.message();
    if (msg) {
      this.handshakeMessage(side, msg);
      this.finishCrypto(side);
    }
  }

  /** The first handshake message of a side: the ClientHello gives SNI and ALPN; a ServerHello a letter. */
  private handshakeMessage(side: number, msg: Uint8Array): void {
    if (side === 1) {
      if (msg[0] !== SERVER_HELLO) return;
      this.letter(L.hello);
      // A HelloRetryRequest names the suite the real ServerHello must repeat (RFC 8446 §4.1.4).
      const sh = this.dec && parseServerHello(msg.subarray(4));
      if (sh) this.dec?.serverHello(sh.cipherSuite, this.h.version);
      return;
    }
    const hello = msg[0] === CLIENT_HELLO ? parseClientHello(msg.subarray(4)) : undefined;
    if (!hello) {
      this.weird(
        "quic_client_hello_unparsed",
        `first client handshake message type ${msg[0]}, ${msg.length} bytes`,
      );
      return;
    }
    this.dec?.clientHello(hello);
    const s = this.session;
    if (s) {
      if (hello.sni !== undefined) s.serverName = hello.sni;
      if (hello.alpn !== undefined) s.alpn = hello.alpn;
      s.ja4 = ja4(hello, "q");
    }
    this.letter(L.hello);
  }

  private finishCrypto(side: number): void {
    this.finished[side] = true;
    this.crypto[side] = undefined;
  }

  private frameProblem(walk: FrameWalk): void {
    if (walk.status === "ok" || this.closedInPacket) return;
    const at = `frame type 0x${walk.frameType.toString(16)} at payload offset ${walk.at}`;
    if (walk.status === "truncated") this.weird("quic_bad_frame", `truncated ${at}`);
    else this.weird("quic_unexpected_frame", `${at} is not allowed in an Initial packet`);
  }

  /** Counts a 1-RTT packet; a letter when the count reaches 1, 2, 4, 8 ... (as Zeek does). */
  private shortPacket(side: number): void {
    if (++this.shortTotal[side] === this.shortNext[side]) {
      this.shortNext[side] *= 2;
      this.letter(L.short);
    }
  }

  private letter(l: string): void {
    this.session?.add(l, this.fromOrig);
  }

  /** Zeek resets the decryption context on Retry: the next client Initial brings the DCID to use. */
  private resetCrypto(): void {
    this.initialDcid = undefined;
    this.openers[0] = this.openers[1] = undefined;
    this.crypto[0] = this.crypto[1] = undefined;
    this.finished[0] = this.finished[1] = false;
  }

  private finishRecord(): void {
    const s = this.session;
    if (!s) return;
    this.session = undefined;
    this.records++;
    if (this.dec) s.decryption = this.dec.status();
    this.out.record(s.toRecord(this.ctx));
  }

  /** Nothing left to learn: both first messages done and no room for letters (or no record possible). */
  private saturated(): boolean {
    if (this.records >= MAX_QUIC_RECORDS) return true;
    if (this.dec?.active) return false;
    return this.finished[0] && this.finished[1] && this.session?.historyFull() === true;
  }

  private weird(name: QuicWeird, detail: string): void {
    const bit = 1 << QUIC_WEIRD_NAMES.indexOf(name);
    if (this.weirdBits & bit) return;
    this.weirdBits |= bit;
    this.out.weird({ ts: this.ts, name, uid: this.ctx.uid, frame: this.frame, detail });
  }
}

/** Options of a QUIC decoder. */
export interface QuicDecoderOptions {
  /** TLS secrets by client random (issue 7): with them, 1-RTT packets are decrypted. */
  keys?: KeyStore;
  /** What reads the decrypted streams (default: HTTP/3 for an `h3` ALPN, else raw streams). */
  streams?: (ctx: StreamContext, out: DecoderOutput, alpn: readonly string[]) => QuicStreamApp;
}

/** A QUIC decoder definition with options (the registry's `quicDecoder` has none). */
export function makeQuicDecoder(opts: QuicDecoderOptions = {}): StreamDecoderDefinition {
  return {
    name: "quic",
    protos: ["udp"],
    probe: (bytes) => looksLikeQuic(bytes),
    create: (ctx, out) => new QuicConnection(ctx, out, opts),
  };
}

/** QUIC over UDP on any port, found by its long header. */
export const quicDecoder: StreamDecoderDefinition = makeQuicDecoder();
