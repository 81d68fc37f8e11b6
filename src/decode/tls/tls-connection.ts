// One TLS connection: both directions' record readers, the handshake state, and the decision when to stop.
// Without keys the connection is dropped (data() returns false) as soon as the handshake is over — both
// ChangeCipherSpecs under TLS ≤ 1.2, the client's first encrypted record under TLS 1.3 — so the session
// layer stops reassembling ciphertext. With a key hook (issue 7) it reads on and hands records over, and
// reads the decrypted handshake (the TLS 1.3 Certificate and EncryptedExtensions) like a clear one.

import type { StreamConsumer, StreamContext } from "../../session/stream-consumer.ts";
import type { DecoderOutput } from "../stream-decoder.ts";
import { formatAlert, MAX_ALERTS } from "./alerts.ts";
import { parseCertificateMessage, parseX509 } from "./certificate.ts";
import { EXT, parseClientHello } from "./client-hello.ts";
import { parseEncryptedExtensions } from "./encrypted-extensions.ts";
import { ja4 } from "./ja4.ts";
import { parseServerHello } from "./server-hello.ts";
import type { TlsKeyHook } from "./tls-decrypt-hook.ts";
import { CONTENT_TYPE, HANDSHAKE_TYPE, isTls13 } from "./tls-names.ts";
import { buildTlsRecord, type TlsFacts } from "./tls-record-builder.ts";
import { HandshakeAssembler, MAX_HANDSHAKE_KEPT, type RecordEvents, TlsRecordReader } from "./tls-records.ts";
import { type HeldRecord, TlsSinkLink } from "./tls-sink-link.ts";
import { TLS_WEIRD_NAMES, type TlsWeird } from "./tls-weirds.ts";

const encoder = new TextEncoder();

/** Records a finished side may send while the other side's handshake never completes, before giving up. */
const IDLE_RECORDS = 32;

/** The StreamConsumer of one TLS connection. */
export class TlsConnection implements StreamConsumer, RecordEvents {
  /** Nothing more is wanted from this connection. */
  halted = false;
  private readonly orig: TlsRecordReader;
  private readonly resp: TlsRecordReader;
  private readonly facts: TlsFacts = {
    helloRetry: false,
    alerts: [],
    established: false,
    decrypted: false,
  };
  private clientHellos = 0;
  private certSeen = [false, false];
  private eeSeen = false;
  /** Side of the ClientHello: 0 (orig) unless the capture began after the SYN and named the server orig. */
  private clientSide = 0;
  /** Per side (0 orig, 1 resp): its handshake is over (ChangeCipherSpec ≤ 1.2, ServerHello 1.3, or app data). */
  private readonly sideDone = [false, false];
  /** Per side: records seen since the side was done, to give up on a peer that never finishes. */
  private readonly idleRecords = [0, 0];
  private readonly link: TlsSinkLink;
  private decrypted: HandshakeAssembler[] | undefined = undefined;
  private emitted = false;
  private weirdBits = 0;
  private ts = 0;
  private frame = 0;

  /** A connection's decoder; `hook` supplies keys when decryption is on. */
  constructor(
    private readonly ctx: StreamContext,
    private readonly out: DecoderOutput,
    hook?: TlsKeyHook,
  ) {
    this.orig = new TlsRecordReader(true, this);
    this.resp = new TlsRecordReader(false, this);
    this.link = new TlsSinkLink(hook, out);
  }

  /** `tls` once a hello parsed. */
  get service(): string | undefined {
    return this.facts.client || this.facts.server ? "tls" : undefined;
  }

  /** Reads the bytes; false once the handshake is over (no keys) or the stream is not TLS. */
  data(fromOrig: boolean, bytes: Uint8Array, ts: number, frame: number): boolean | undefined {
    if (this.halted) return false;
    this.ts = ts;
    this.frame = frame;
    const reader = fromOrig ? this.orig : this.resp;
    if (!reader.failed) reader.push(bytes);
    this.checkDone();
    return this.halted ? false : undefined;
  }

  /** Lost bytes: harmless inside skipped ciphertext, otherwise that side stops being read. */
  gap(fromOrig: boolean, len: number): void {
    if (this.halted) return;
    const reader = fromOrig ? this.orig : this.resp;
    if (!reader.gap(len)) this.link.gap(fromOrig);
    this.checkDone();
  }

  /** Emits the record if it was not emitted yet. */
  end(): void {
    this.halted = true;
    this.emit();
  }

  // RecordEvents (see tls-records.ts) --------------------------------------------------------------------

  /** ClientHello (twice, for a HelloRetryRequest), ServerHello, each side's first Certificate, EncryptedExtensions. */
  wantsHandshake(fromOrig: boolean, msgType: number): boolean {
    switch (msgType) {
      case HANDSHAKE_TYPE.clientHello:
        return this.clientHellos < 2;
      case HANDSHAKE_TYPE.serverHello:
        return this.facts.server === undefined;
      case HANDSHAKE_TYPE.certificate:
        return !this.certSeen[fromOrig ? 0 : 1];
      case HANDSHAKE_TYPE.encryptedExtensions:
        return !this.eeSeen;
      default:
        return false;
    }
  }

  /** Counts records and notes application data, which only follows a side's Finished. */
  record(fromOrig: boolean, contentType: number): void {
    const side = fromOrig ? 0 : 1;
    if (this.sideDone[side]) this.idleRecords[side]++;
    if (contentType !== CONTENT_TYPE.applicationData) return;
    this.markDone(side);
    // TLS 1.3: the client's first protected record after the ServerHello is its Finished (RFC 8446 §2).
    const s = this.facts.server;
    if (side === this.clientSide && s && isTls13(s.version)) this.facts.established = true;
  }

  /** A wanted handshake message. */
  handshake(fromOrig: boolean, msgType: number, body: Uint8Array, truncated: boolean): void {
    if (msgType === HANDSHAKE_TYPE.clientHello) this.clientHello(fromOrig, body, truncated);
    else if (msgType === HANDSHAKE_TYPE.serverHello) this.serverHello(fromOrig, body, truncated);
    else if (msgType === HANDSHAKE_TYPE.certificate) this.certificate(fromOrig, body, truncated);
    else if (msgType === HANDSHAKE_TYPE.encryptedExtensions) this.encryptedExtensions(body);
  }

  /** Under TLS ≤ 1.2 the side's next records are encrypted and its handshake is over. */
  changeCipherSpec(fromOrig: boolean): void {
    // Under TLS 1.3 ChangeCipherSpec is a no-op kept for middleboxes (RFC 8446 §D.4); it may even precede
    // the second ClientHello after a HelloRetryRequest.
    if (this.tls13()) return;
    const reader = fromOrig ? this.orig : this.resp;
    reader.encrypted = true;
    reader.handshakes.reset();
    this.markDone(fromOrig ? 0 : 1);
  }

  /** Keeps the first MAX_ALERTS alerts. */
  alert(fromOrig: boolean, level: number, description: number): void {
    if (this.facts.alerts.length < MAX_ALERTS)
      this.facts.alerts.push(formatAlert(fromOrig, level, description));
  }

  /** Hands a protected record to the key sink; reads what it decrypted. */
  protectedRecord(fromOrig: boolean, contentType: number, body: Uint8Array): void {
    this.readPlaintext(fromOrig, contentType, body, this.ts, this.frame);
  }

  private readPlaintext(fromOrig: boolean, type: number, body: Uint8Array, ts: number, frame: number): void {
    const pt = this.link.record(fromOrig, type, body, ts, frame);
    if (!pt) return;
    if (pt.contentType === CONTENT_TYPE.handshake) {
      this.decrypted ??= [new HandshakeAssembler(true, this), new HandshakeAssembler(false, this)];
      this.decrypted[fromOrig ? 0 : 1].push(pt.data, 0, pt.data.length);
    } else if (pt.contentType === CONTENT_TYPE.alert && pt.data.length >= 2) {
      this.alert(fromOrig, pt.data[0], pt.data[1]);
    }
  }

  /** The record layer's complaint, as a weird. */
  bad(fromOrig: boolean, name: string, detail: string): void {
    this.weird(name as TlsWeird, `${fromOrig ? "orig" : "resp"}: ${detail}`);
  }

  // Handshake messages ---------------------------------------------------------------------------------

  private clientHello(fromOrig: boolean, body: Uint8Array, truncated: boolean): void {
    this.clientHellos++;
    if (truncated) {
      this.weird("tls_handshake_too_long", `ClientHello longer than ${MAX_HANDSHAKE_KEPT} bytes`);
      return;
    }
    const h = parseClientHello(body);
    if (!h) {
      this.weird("tls_bad_client_hello", `${body.length}-byte ClientHello lacks its fixed fields`);
      return;
    }
    if (h.malformed) this.weird("tls_bad_extension", `ClientHello ${h.malformed}`);
    // A second ClientHello (after a HelloRetryRequest) repeats the first one's names; keep the first.
    if (this.facts.client) return;
    this.facts.client = h;
    this.clientSide = fromOrig ? 0 : 1;
    this.facts.ja4 = ja4(h, "t");
    if (h.sni) this.payload("tls.sni", h.sni, fromOrig);
    // 0-RTT records follow the ClientHello before any ServerHello: keep them until keys can be looked up.
    if (this.link.enabled && h.extensions.includes(EXT.earlyData)) {
      this.link.holdEarly();
      (fromOrig ? this.orig : this.resp).collect = true;
    }
  }

  private serverHello(fromOrig: boolean, body: Uint8Array, truncated: boolean): void {
    const h = truncated ? undefined : parseServerHello(body);
    if (!h) {
      this.weird("tls_bad_server_hello", `${truncated ? "over-long" : `${body.length}-byte`} ServerHello`);
      return;
    }
    if (h.malformed) this.weird("tls_bad_extension", `ServerHello ${h.malformed}`);
    if (h.helloRetryRequest) {
      this.facts.helloRetry = true;
      return;
    }
    this.facts.server = h;
    // After a TLS 1.3 ServerHello everything the server sends is encrypted (RFC 8446 §2).
    if (isTls13(h.version)) {
      (fromOrig ? this.orig : this.resp).encrypted = true;
      this.markDone(fromOrig ? 0 : 1);
    }
    this.openSink();
  }

  private certificate(fromOrig: boolean, body: Uint8Array, truncated: boolean): void {
    this.certSeen[fromOrig ? 0 : 1] = true;
    const list = parseCertificateMessage(body, this.tls13());
    if (!list || (!list.consistent && !truncated)) {
      this.weird("tls_bad_certificate", `Certificate message of ${body.length} bytes has bad lengths`);
    }
    if (!list?.leaf) {
      if (truncated)
        this.weird("tls_handshake_too_long", `leaf certificate beyond ${MAX_HANDSHAKE_KEPT} bytes`);
      return;
    }
    const info = parseX509(list.leaf);
    if (!info) {
      this.weird(
        "tls_bad_certificate",
        `leaf certificate (${list.leaf.length} bytes) does not parse as X.509`,
      );
      return;
    }
    const names = [...(info.subjectCn !== undefined ? [info.subjectCn] : []), ...info.sanDns];
    for (const name of names) this.payload("tls.cert", name, fromOrig);
    if ((fromOrig ? 0 : 1) === this.clientSide) {
      if (info.subjectCn !== undefined) this.facts.clientCertCn = info.subjectCn;
      return;
    }
    this.facts.cert = info;
    this.facts.certCount = list.count;
  }

  /** TLS 1.3: the ALPN protocol is chosen in EncryptedExtensions, which only decryption shows. */
  private encryptedExtensions(body: Uint8Array): void {
    this.eeSeen = true;
    const ee = parseEncryptedExtensions(body);
    if (ee.malformed) this.weird("tls_bad_extension", `EncryptedExtensions ${ee.malformed}`);
    if (ee.alpn !== undefined) this.facts.encryptedAlpn = ee.alpn;
  }

  // Helpers --------------------------------------------------------------------------------------------

  private tls13(): boolean {
    const f = this.facts;
    return (f.server !== undefined && isTls13(f.server.version)) || (f.server === undefined && f.helloRetry);
  }

  private openSink(): void {
    const { client, server } = this.facts;
    if (!this.link.enabled || !client || !server) return;
    const replay = (r: HeldRecord) => this.readPlaintext(r.fromOrig, r.contentType, r.body, r.ts, r.frame);
    const on = this.link.open(this.ctx, client, server, this.clientSide === 0, replay);
    this.orig.collect = on;
    this.resp.collect = on;
  }

  /** A side finished its handshake; under TLS ≤ 1.2 both sides finishing is the handshake completing. */
  private markDone(side: number): void {
    this.sideDone[side] = true;
    const s = this.facts.server;
    if (this.sideDone[0] && this.sideDone[1] && !(s && isTls13(s.version))) this.facts.established = true;
  }

  /**
   * Stops when the bytes are not TLS, or (without a sink) when nothing more can be learnt: both sides done,
   * or one done while the other failed or stalled for IDLE_RECORDS records (a capture that missed a side).
   */
  private checkDone(): void {
    if (this.halted) return;
    const known = this.facts.client !== undefined || this.facts.server !== undefined;
    const [o, r] = [this.orig, this.resp];
    const [od, rd] = this.sideDone;
    const stalled = this.idleRecords[0] > IDLE_RECORDS || this.idleRecords[1] > IDLE_RECORDS;
    const over = (od && rd) || (od && r.failed) || (rd && o.failed) || stalled;
    const done = (over && !this.link.active) || (o.failed && r.failed);
    if (done || ((o.failed || r.failed) && !known)) {
      this.halted = true;
      this.emit();
    }
  }

  private emit(): void {
    if (this.emitted) return;
    this.emitted = true;
    // Nothing is read after this: let the buffers go now, not when the session layer drops the connection.
    this.orig.release();
    this.resp.release();
    this.decrypted = undefined;
    const res = this.link.close(this.facts.client?.random);
    if (res) {
      this.facts.decrypted = res.decrypted;
      this.facts.decryptNote = res.note;
    }
    if (!this.facts.client && !this.facts.server) return;
    this.out.record(buildTlsRecord(this.ctx, this.facts));
  }

  private payload(layer: string, text: string, fromOrig: boolean): void {
    const data = encoder.encode(text);
    this.out.payload({ uid: this.ctx.uid, layer, data, fromOrig, ts: this.ts, frame: this.frame });
  }

  private weird(name: TlsWeird, detail: string): void {
    const bit = 1 << TLS_WEIRD_NAMES.indexOf(name);
    if (this.weirdBits & bit) return;
    this.weirdBits |= bit;
    this.out.weird({ ts: this.ts, name, uid: this.ctx.uid, frame: this.frame, detail });
  }
}
