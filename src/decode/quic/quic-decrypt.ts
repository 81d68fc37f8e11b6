// Reading inside a QUIC connection with keys from a key log (a pcapng DSB or --keylog): once the ClientHello
// (client random) and the ServerHello (cipher suite) are known, the Handshake and 1-RTT packets of both
// directions are opened, the 1-RTT frames walked, STREAM data reassembled per stream and handed to the
// application decoder (HTTP/3, or raw streams for other ALPNs). It also says why nothing was decrypted.

import type { KeyLogLabel, KeyStore } from "../../decrypt/key-log.ts";
import type { ClientHello } from "../tls/client-hello.ts";
import { cipherName } from "../tls/tls-names.ts";
import { walkAppFrames } from "./app-frames.ts";
import { QUIC_SUITES, type QuicSuite } from "./packet-keys.ts";
import { PacketOpener, type ProtectedOpen } from "./packet-protection.ts";
import { type FrameWalk, walkInitialFrames } from "./quic-frames.ts";
import type { LongHeader } from "./quic-header.ts";
import type { QuicWeirdSink } from "./quic-weirds.ts";
import { StreamReassembler, type StreamWriteResult } from "./stream-reassembly.ts";

/** What the application layer over QUIC streams receives (side 0 is the client). */
export interface QuicStreamApp {
  /** In-order bytes of stream `id` sent by the client (`fromClient`) or the server. */
  data(fromClient: boolean, id: number, bytes: Uint8Array, ts: number, frame: number): void;
  /** The sender finished stream `id`. */
  fin(fromClient: boolean, id: number, ts: number, frame: number): void;
  /** The sender reset stream `id`. */
  reset(fromClient: boolean, id: number, ts: number, frame: number): void;
  /** The connection ended. */
  end(): void;
}

/** Makes the application decoder for the ALPN protocols the client offered. */
export type QuicAppFactory = (alpn: readonly string[]) => QuicStreamApp;

/** The `decrypted` and `decrypt_note` of a quic record. */
export interface DecryptStatus {
  /** Some Handshake or 1-RTT packet was opened. */
  decrypted: boolean;
  /** Why decryption did or did not happen. */
  note?: string;
}

/** Consecutive failures after which a direction that did decrypt before is given up. */
const MAX_FAILURES = 8;
/** Connection ID lengths tried on a short header (RFC 9000 §17.3: the receiver knows it, we guess). */
const MAX_CID_LENGTHS = 4;

const SIDE = ["client", "server"] as const;
const SECRETS: readonly (readonly [KeyLogLabel, KeyLogLabel])[] = [
  ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0"],
  ["SERVER_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0"],
];

/** One direction's openers and state. */
class Direction {
  handshake: PacketOpener | undefined;
  app: PacketOpener | undefined;
  opened = 0;
  failures = 0;
  dead = false;
  /** Candidate lengths of the Destination Connection ID this side's short headers carry. */
  readonly cidLens: number[] = [];
  streams: StreamReassembler | undefined;
}

/** Decryption state of one QUIC connection. */
export class QuicDecryptor {
  private random: string | undefined;
  private alpn: readonly string[] = [];
  private suite: QuicSuite | undefined;
  private suiteCode = -1;
  private version = 0;
  private setupNote: string | undefined;
  private failNote: string | undefined;
  private readonly dirs = [new Direction(), new Direction()];
  private app: QuicStreamApp | undefined;
  private shortSeen = 0;
  private ts = 0;
  private frame = 0;

  /** A decryptor looking secrets up in `keys`. */
  constructor(
    private readonly keys: KeyStore,
    private readonly makeApp: QuicAppFactory,
    private readonly weird: QuicWeirdSink,
  ) {}

  /** The ClientHello of the connection (its random keys the key log lookup). */
  clientHello(hello: ClientHello): void {
    if (this.random !== undefined) return; // a ClientHello again after a Retry has the same random
    this.random = hello.random;
    this.alpn = hello.alpn ?? [];
    this.setup();
  }

  /** The ServerHello's cipher suite and the version of the packet that carried it. */
  serverHello(cipherSuite: number, version: number): void {
    if (this.suiteCode >= 0) return;
    this.suiteCode = cipherSuite;
    this.version = version;
    this.suite = QUIC_SUITES.get(cipherSuite);
    this.setup();
  }

  /** A connection ID of `length` bytes that `side`'s short headers may carry as their DCID. */
  cidLength(side: number, length: number): void {
    const lens = this.dirs[side].cidLens;
    if (!lens.includes(length) && lens.length < MAX_CID_LENGTHS) lens.push(length);
  }

  /** True when 1-RTT packets of some direction can be opened. */
  get active(): boolean {
    return this.dirs.some((d) => d.app !== undefined && !d.dead);
  }

  /** A Handshake packet of `side` (RFC 9000 §17.2.4). */
  handshakePacket(b: Uint8Array, h: LongHeader, side: number, ts: number, frame: number): void {
    const d = this.dirs[side];
    if (!d.handshake || d.dead || h.truncated) return;
    this.ts = ts;
    this.frame = frame;
    const r = d.handshake.open(b, h.start, h.pnOff, h.end, false);
    if (!this.opened(d, side, "Handshake", r)) return;
    // CRYPTO here is the encrypted rest of the handshake (certificates): not needed to read the streams.
    this.frameProblem(walkInitialFrames(r.payload, { crypto() {}, close() {} }), "Handshake");
  }

  /** A short-header (1-RTT) packet of `side` running from `off` to the end of the datagram (§17.3.1). */
  shortPacket(b: Uint8Array, off: number, end: number, side: number, ts: number, frame: number): void {
    this.shortSeen++;
    const d = this.dirs[side];
    if (!d.app || d.dead) return;
    this.ts = ts;
    this.frame = frame;
    const lens = d.cidLens.length > 0 ? d.cidLens : [0];
    let r: ProtectedOpen = { ok: false, why: "no connection ID length" };
    for (let i = 0; i < lens.length; i++) {
      r = d.app.open(b, off, off + 1 + lens[i], end, true);
      if (r.ok) {
        if (i > 0) lens.unshift(...lens.splice(i, 1));
        break;
      }
    }
    if (!this.opened(d, side, "1-RTT", r)) return;
    this.appFrames(d, side, r.payload);
  }

  /** The record's decrypted flag and note. */
  status(): DecryptStatus {
    const opened = this.dirs[0].opened + this.dirs[1].opened;
    if (opened > 0) {
      const updates = Math.max(this.dirs[0].app?.updates ?? 0, this.dirs[1].app?.updates ?? 0);
      let note = `decrypted (${this.suite!.name}`;
      if (updates > 0) note += `, ${updates} key update${updates > 1 ? "s" : ""}`;
      note += ")";
      if (this.failNote) note += `; ${this.failNote}`;
      return { decrypted: true, note };
    }
    const note = this.failNote ?? this.whyNot();
    return note === undefined ? { decrypted: false } : { decrypted: false, note };
  }

  /** The connection ended: the application layer flushes what it holds. */
  end(): void {
    this.app?.end();
  }

  /** Why nothing was opened; nothing to say when the run had no keys at all (no key source consulted). */
  private whyNot(): string | undefined {
    if (this.keys.size === 0) return undefined;
    if (this.random === undefined) return "no ClientHello seen";
    if (!this.keys.has(this.random)) return "no key log entry for this client random";
    if (this.suiteCode < 0) return "no ServerHello seen (cipher suite unknown)";
    if (this.setupNote) return this.setupNote;
    return this.shortSeen === 0 ? "no Handshake or 1-RTT packets seen" : "nothing decrypted";
  }

  /** Builds the openers once both hellos are known and the key log has the secrets. */
  private setup(): void {
    const random = this.random;
    if (random === undefined || this.suiteCode < 0 || !this.keys.has(random)) return;
    const suite = this.suite;
    if (!suite) {
      this.setupNote = `cipher suite ${cipherName(this.suiteCode)} cannot protect QUIC packets`;
      return;
    }
    for (const side of [0, 1]) {
      const [hs, app] = SECRETS[side];
      const hsSecret = this.keys.get(random, hs);
      const appSecret = this.keys.get(random, app);
      const d = this.dirs[side];
      if (hsSecret) d.handshake = new PacketOpener(suite, hsSecret, this.version, false);
      if (appSecret) {
        d.app = new PacketOpener(suite, appSecret, this.version, true);
        d.streams = this.reassembler(side === 0);
      }
    }
    if (!this.dirs[0].app && !this.dirs[1].app) {
      this.setupNote =
        "key log has no CLIENT_TRAFFIC_SECRET_0 or SERVER_TRAFFIC_SECRET_0 for this client random";
    }
  }

  private reassembler(fromClient: boolean): StreamReassembler {
    return new StreamReassembler({
      data: (id, bytes) => this.appLayer().data(fromClient, id, bytes, this.ts, this.frame),
      fin: (id) => this.appLayer().fin(fromClient, id, this.ts, this.frame),
      reset: (id) => this.appLayer().reset(fromClient, id, this.ts, this.frame),
    });
  }

  private appLayer(): QuicStreamApp {
    this.app ??= this.makeApp(this.alpn);
    return this.app;
  }

  /** Counts an open; a failure is a weird, and gives the direction up when its keys look wrong. */
  private opened(
    d: Direction,
    side: number,
    space: string,
    r: ProtectedOpen,
  ): r is ProtectedOpen & { ok: true } {
    if (r.ok) {
      d.opened++;
      d.failures = 0;
      return true;
    }
    const what = `${SIDE[side]} ${space} packet: ${r.why}`;
    this.weird("quic_decrypt_failed", what);
    d.failures++;
    // Never opened anything: the keys are wrong (or not this connection's); stop, as TLS does.
    if (d.opened === 0 || d.failures >= MAX_FAILURES) {
      d.dead = true;
      this.failNote ??= `authentication failed, ${SIDE[side]} stopped: ${what}`;
    }
    return false;
  }

  private appFrames(d: Direction, side: number, payload: Uint8Array): void {
    const streams = d.streams!;
    const walk = walkAppFrames(payload, {
      stream: (id, offset, data, fin) => this.streamResult(streams.write(id, offset, data, fin), id, offset),
      resetStream: (id) => streams.reset(id),
      crypto() {},
      close() {},
      // A CID this side issues is the DCID of the other side's short headers.
      newConnectionId: (len) => this.cidLength(1 - side, len),
    });
    this.frameProblem(walk, "1-RTT");
  }

  private streamResult(res: StreamWriteResult, id: number, offset: number): void {
    if (res === "too_large")
      this.weird("quic_stream_too_large", `stream ${id} offset ${offset}: buffer bound`);
    else if (res === "too_many_streams")
      this.weird("quic_too_many_streams", `stream ${id}: too many streams`);
  }

  private frameProblem(walk: FrameWalk, space: string): void {
    if (walk.status === "ok") return;
    const at = `frame type 0x${walk.frameType.toString(16)} at payload offset ${walk.at} of a ${space} packet`;
    if (walk.status === "truncated") this.weird("quic_bad_frame", `truncated ${at}`);
    else this.weird("quic_unexpected_frame", `${at}: not allowed or unknown`);
  }
}
