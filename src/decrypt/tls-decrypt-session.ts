// One TLS connection being decrypted: the TlsProtectedSink the TLS decoder hands protected records to. Each
// direction opens its records with its own key state; application data goes on to the AppDataRouter (HTTP/1,
// HTTP/2, or raw payloads), handshake plaintext and alerts back to the decoder. A record that does not
// authenticate, or a gap, stops that direction for good (the sequence numbers are lost) and says so.

import type { DecoderOutput } from "../decode/stream-decoder.ts";
import type { TlsPlaintext, TlsProtectedSink, TlsSessionInfo } from "../decode/tls/tls-decrypt-hook.ts";
import { CONTENT_TYPE } from "../decode/tls/tls-names.ts";
import { AppDataRouter } from "./app-data-router.ts";
import { TLS_DECRYPT_WEIRD_NAMES, type TlsDecryptWeird } from "./decrypt-weirds.ts";
import type { RecordDecryptor } from "./record-decrypt.ts";
import type { DirectionOpener, Opened } from "./tls13-direction.ts";

/** Largest plaintext of a record: 2^14 (RFC 5246 §6.2.1), +1 for the TLS 1.3 inner type (RFC 8446 §5.2). */
export const MAX_PLAINTEXT = 16384 + 1;

/** A TLS ≤ 1.2 direction: one key from the first protected record (the Finished) on. */
export class Tls12Direction implements DirectionOpener {
  private seq = 0;

  /** Opens records with `d`. */
  constructor(private readonly d: RecordDecryptor) {}

  open(contentType: number, body: Uint8Array): Opened {
    const data = this.d.open(contentType, body, this.seq);
    if (!data) return { kind: "fail" };
    this.seq++;
    return { kind: "ok", pt: { contentType, data } };
  }
}

/** The sink of one connection whose keys were found. */
export class TlsDecryptSession implements TlsProtectedSink {
  private readonly router: AppDataRouter;
  private readonly dirs: (DirectionOpener | undefined)[];
  private readonly stopped = [false, false];
  private readonly counts = [0, 0];
  private readonly notes: string[] = [];
  private opened = 0;
  private weirdBits = 0;
  private lastTs = 0;

  /** Decrypts `info`'s connection with a client and a server direction (undefined: no keys for it). */
  constructor(
    private readonly info: TlsSessionInfo,
    private readonly out: DecoderOutput,
    client: DirectionOpener | undefined,
    server: DirectionOpener | undefined,
  ) {
    this.router = new AppDataRouter(info.ctx, out, info.clientIsOrig, info.alpn);
    this.dirs = info.clientIsOrig ? [client, server] : [server, client];
    for (const side of [0, 1]) {
      const d = this.dirs[side];
      if (!d) this.stop(side, `no keys for the ${this.who(side)}`);
      else if (d.missing) this.stop(side, d.missing);
    }
  }

  /** The ALPN protocol a TLS 1.3 server selected, from its decrypted EncryptedExtensions. */
  setAlpn(alpn: string): void {
    this.router.setAlpn(alpn);
  }

  record(fromOrig: boolean, contentType: number, body: Uint8Array, ts: number, frame: number) {
    const side = fromOrig ? 0 : 1;
    const dir = this.dirs[side];
    if (this.stopped[side] || !dir) return undefined;
    const n = ++this.counts[side];
    this.lastTs = ts;
    const r = dir.open(contentType, body);
    if (dir.missing) this.stop(side, dir.missing);
    switch (r.kind) {
      case "ok":
        this.opened++;
        return this.plaintext(fromOrig, r.pt, ts, frame);
      case "skip":
        this.weird(
          "tls_decrypt_skipped",
          ts,
          frame,
          `${this.who(side)} record ${n} opened with no logged key`,
        );
        return undefined;
      case "bad":
        this.weird("tls_decrypt_bad_plaintext", ts, frame, r.detail);
        return undefined;
      default: {
        const note = `authentication failed at record ${n} (${this.who(side)}): stopped`;
        this.weird("tls_decrypt_failed", ts, frame, note);
        this.stop(side, note);
        return undefined;
      }
    }
  }

  gap(fromOrig: boolean): void {
    const side = fromOrig ? 0 : 1;
    if (this.stopped[side]) return;
    const note = `gap in the ${this.who(side)}'s bytes after record ${this.counts[side]}: stopped`;
    this.weird("tls_decrypt_gap", this.lastTs, undefined, note);
    this.stop(side, note);
  }

  close(): { decrypted: boolean; note?: string } {
    this.router.end();
    return this.notes.length > 0
      ? { decrypted: this.opened > 0, note: this.notes.join("; ") }
      : { decrypted: this.opened > 0 };
  }

  wantsMore(): boolean {
    return !(this.stopped[0] && this.stopped[1]);
  }

  private plaintext(
    fromOrig: boolean,
    pt: TlsPlaintext,
    ts: number,
    frame: number,
  ): TlsPlaintext | undefined {
    if (pt.data.length > MAX_PLAINTEXT) {
      this.weird("tls_decrypt_bad_plaintext", ts, frame, `${pt.data.length}-byte plaintext exceeds 2^14`);
      return undefined;
    }
    if (pt.contentType === CONTENT_TYPE.applicationData) this.router.data(fromOrig, pt.data, ts, frame);
    return pt;
  }

  private stop(side: number, note: string): void {
    this.stopped[side] = true;
    this.notes.push(note);
  }

  private who(side: number): string {
    return (side === 0) === this.info.clientIsOrig ? "client" : "server";
  }

  private weird(name: TlsDecryptWeird, ts: number, frame: number | undefined, detail: string): void {
    const bit = 1 << TLS_DECRYPT_WEIRD_NAMES.indexOf(name);
    if (this.weirdBits & bit) return;
    this.weirdBits |= bit;
    this.out.weird({ ts, name, uid: this.info.uid, ...(frame !== undefined ? { frame } : {}), detail });
  }
}
