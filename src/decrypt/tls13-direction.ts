// One direction of a TLS 1.3 connection being decrypted (RFC 8446 §7): which traffic key is in force and
// when it changes. A sender's records are protected with its early secret (0-RTT, client only) until its
// EndOfEarlyData, then its handshake secret until its Finished, then its application secret, replaced by
// "traffic upd" at each KeyUpdate it sends. Key changes take effect at record boundaries (§5.1), so they
// are applied after the record that carried the message.

import type { TlsPlaintext } from "../decode/tls/tls-decrypt-hook.ts";
import { CONTENT_TYPE, HANDSHAKE_TYPE } from "../decode/tls/tls-names.ts";
import { HandshakeAssembler, type RecordEvents } from "../decode/tls/tls-records.ts";
import type { CipherSuite } from "./cipher-suites.ts";
import { type RecordDecryptor, tls13Decryptor } from "./record-decrypt.ts";
import { nextTrafficSecret, trafficKeys } from "./tls13-keys.ts";

/** Records that no key opens which may be skipped (0-RTT without its secret; handshake without its secret). */
export const MAX_SKIPPED = 64;

/** The traffic secrets of one sender, as logged. */
export interface Tls13Secrets {
  /** client_early_traffic_secret (client only). */
  early?: Uint8Array;
  /** [sender]_handshake_traffic_secret. */
  handshake?: Uint8Array;
  /** [sender]_application_traffic_secret_0. */
  app?: Uint8Array;
}

/** What opening one record gave. */
export type Opened =
  | { kind: "ok"; pt: TlsPlaintext }
  /** Not decryptable but expected so (unreadable 0-RTT, handshake records without their secret). */
  | { kind: "skip" }
  /** Authenticated, but the plaintext breaks the protocol. */
  | { kind: "bad"; detail: string }
  /** Did not authenticate. */
  | { kind: "fail" };

/** A direction's record opener; TLS 1.2 directions implement it too. */
export interface DirectionOpener {
  /** Opens the next protected record of this direction. */
  open(contentType: number, body: Uint8Array): Opened;
  /** Set when the direction cannot go on for want of a secret (a note for the record). */
  readonly missing?: string;
}

type Phase = "early" | "handshake" | "app";

const NONE = new Uint8Array(0);

/** A TLS 1.3 sender's key state. */
export class Tls13Direction implements DirectionOpener {
  /** Why the direction stopped for want of a secret. */
  missing: string | undefined = undefined;
  /** Called with each decrypted EncryptedExtensions body (the server's), for the ALPN. */
  onEncryptedExtensions: ((body: Uint8Array) => void) | undefined = undefined;
  private phase: Phase;
  private current: RecordDecryptor | undefined;
  private seq = 0;
  private appSecret: Uint8Array | undefined;
  /** Failures are skips until a record opens (app keys tried on handshake records). */
  private trial = false;
  private skipped = 0;
  private readonly walker: HandshakeAssembler;
  private pending = { eoed: false, finished: false, keyUpdate: false };

  /** A sender using `suite` with these logged secrets; `early` when its ClientHello offered 0-RTT. */
  constructor(
    private readonly suite: CipherSuite,
    private readonly secrets: Tls13Secrets,
    early: boolean,
    private readonly sender: string,
  ) {
    this.appSecret = secrets.app;
    this.walker = new HandshakeAssembler(true, this.walkerEvents());
    this.phase = early ? "early" : "handshake";
    this.current = early ? this.key(secrets.early) : this.key(secrets.handshake);
    if (!early && !this.current) this.enterApp(true);
  }

  open(contentType: number, body: Uint8Array): Opened {
    if (this.phase === "early") return this.openEarly(contentType, body);
    const pt = this.current?.open(contentType, body, this.seq);
    if (!pt) return this.skipOrFail();
    this.trial = false;
    this.seq++;
    return this.inner(pt);
  }

  /** 0-RTT phase: the early key, else the client moved on (or the server rejected 0-RTT) to its next key. */
  private openEarly(contentType: number, body: Uint8Array): Opened {
    const pt = this.current?.open(contentType, body, this.seq);
    if (pt) {
      this.seq++;
      return this.inner(pt);
    }
    const next = this.key(this.secrets.handshake) ?? this.key(this.appSecret);
    const opened = next?.open(contentType, body, 0);
    if (!opened) return this.skipOrFail(true);
    this.phase = this.secrets.handshake ? "handshake" : "app";
    this.current = next;
    this.seq = 1;
    return this.inner(opened);
  }

  private skipOrFail(early = false): Opened {
    if ((early || this.trial) && this.skipped < MAX_SKIPPED) {
      this.skipped++;
      return { kind: "skip" };
    }
    return { kind: "fail" };
  }

  /** TLSInnerPlaintext: content, the real type, then zero padding (RFC 8446 §5.2). */
  private inner(pt: Uint8Array): Opened {
    let i = pt.length - 1;
    while (i >= 0 && pt[i] === 0) i--;
    if (i < 0) return { kind: "bad", detail: `${this.sender} record is all padding (no content type)` };
    const out: TlsPlaintext = { contentType: pt[i], data: pt.subarray(0, i) };
    if (out.contentType === CONTENT_TYPE.handshake) {
      this.walker.push(out.data, 0, out.data.length);
      this.applyPending();
    }
    return { kind: "ok", pt: out };
  }

  private applyPending(): void {
    const p = this.pending;
    if (p.eoed && this.phase === "early") {
      this.phase = "handshake";
      this.current = this.key(this.secrets.handshake);
      this.seq = 0;
      if (!this.current) this.enterApp(true);
    }
    if (p.finished && this.phase !== "app") this.enterApp(false);
    if (p.keyUpdate && this.phase === "app" && this.appSecret) {
      this.appSecret = nextTrafficSecret(this.suite, this.appSecret);
      this.current = this.key(this.appSecret);
      this.seq = 0;
    }
    this.pending = { eoed: false, finished: false, keyUpdate: false };
  }

  /** Switches to the application secret; `trial` when the handshake records could not be told apart. */
  private enterApp(trial: boolean): void {
    this.phase = "app";
    this.seq = 0;
    this.trial = trial;
    this.current = this.key(this.appSecret);
    if (!this.current) {
      const had = this.secrets.handshake || this.secrets.early;
      this.missing = had
        ? `no application traffic secret for the ${this.sender}`
        : `no traffic secret for the ${this.sender}`;
    }
  }

  private key(secret: Uint8Array | undefined): RecordDecryptor | undefined {
    if (!secret || secret.length === 0) return undefined;
    const k = trafficKeys(this.suite, secret);
    return tls13Decryptor(this.suite, k.key, k.iv);
  }

  /** The handshake messages that move the key state (RFC 8446 §4.5, §4.4.4, §4.6.3). */
  private walkerEvents(): RecordEvents {
    const wanted: readonly number[] = [
      HANDSHAKE_TYPE.endOfEarlyData,
      HANDSHAKE_TYPE.encryptedExtensions,
      HANDSHAKE_TYPE.finished,
      HANDSHAKE_TYPE.keyUpdate,
    ];
    const noop = () => {};
    return {
      halted: false,
      wantsHandshake: (_o, type) => wanted.includes(type),
      handshake: (_o, type, body) => {
        if (type === HANDSHAKE_TYPE.endOfEarlyData) this.pending.eoed = true;
        else if (type === HANDSHAKE_TYPE.finished) this.pending.finished = true;
        else if (type === HANDSHAKE_TYPE.keyUpdate) this.pending.keyUpdate = true;
        else this.onEncryptedExtensions?.(body ?? NONE);
      },
      record: noop,
      changeCipherSpec: noop,
      alert: noop,
      protectedRecord: noop,
      bad: noop,
    };
  }
}
