// Where the decrypted application bytes of one TLS connection go: HTTP/2 when ALPN says `h2` or the client
// opens with the HTTP/2 preface, HTTP/1.x when the bytes look like it, and otherwise bounded `tls.app`
// payloads for the detector. Every payload that leaves here is marked `transport: "tls-decrypted"`.

import { createHttpConsumer, probeHttp } from "../decode/http/http-decoder.ts";
import { createHttp2Consumer } from "../decode/http2/http2-decoder.ts";
import { RAW_LIMIT } from "../decode/raw/raw-stream.ts";
import type { DecoderOutput } from "../decode/stream-decoder.ts";
import type { StreamConsumer, StreamContext } from "../session/stream-consumer.ts";

/** Payload layer of decrypted bytes no decoder claimed. */
export const TLS_APP_LAYER = "tls.app";

/** Server bytes held while waiting for the client's first bytes to choose a decoder. */
export const MAX_HELD = 64 * 1024;

/** The HTTP/2 client connection preface starts so (RFC 9113 §3.4). */
const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n", "latin1");

interface Held {
  fromOrig: boolean;
  data: Uint8Array;
  ts: number;
  frame: number;
}

/** `out` with every payload marked as decrypted from TLS. */
export function tlsDecryptedOutput(out: DecoderOutput): DecoderOutput {
  return {
    record: (r) => out.record(r),
    weird: out.weird,
    payload: (p, conn) => out.payload({ ...p, transport: "tls-decrypted" }, conn),
  };
}

/** Routes one connection's decrypted application data to the decoder it speaks. */
export class AppDataRouter {
  private readonly out: DecoderOutput;
  private inner: StreamConsumer | undefined = undefined;
  private raw = false;
  private done = false;
  private held: Held[] = [];
  private heldBytes = 0;
  private readonly rawSeen = [0, 0];

  /** `alpn` is the protocol the handshake selected, when known; `clientIsOrig` which side is the client. */
  constructor(
    private readonly ctx: StreamContext,
    out: DecoderOutput,
    private readonly clientIsOrig: boolean,
    private alpn?: string,
  ) {
    this.out = tlsDecryptedOutput(out);
  }

  /** The ALPN protocol learnt later (TLS 1.3 EncryptedExtensions). */
  setAlpn(alpn: string): void {
    this.alpn ??= alpn;
  }

  /** Decrypted application bytes of one direction, in order (valid during the call). */
  data(fromOrig: boolean, data: Uint8Array, ts: number, frame: number): void {
    if (this.done || data.length === 0) return;
    if (!this.inner && !this.raw && !this.choose(fromOrig, data)) {
      this.hold({ fromOrig, data: Uint8Array.from(data), ts, frame });
      return;
    }
    this.flushHeld();
    this.deliver(fromOrig, data, ts, frame);
  }

  /** The connection ended. */
  end(): void {
    if (!this.inner && !this.raw && this.held.length > 0) this.raw = true;
    this.flushHeld();
    this.done = true;
    this.inner?.end();
  }

  /** Picks the decoder from ALPN or these first bytes; false to wait for the client's first bytes. */
  private choose(fromOrig: boolean, data: Uint8Array): boolean {
    const fromClient = fromOrig === this.clientIsOrig;
    const alpn = this.alpn;
    if (alpn === "h2" || (fromClient && startsWith(data, H2_PREFACE))) {
      this.inner = createHttp2Consumer(this.ctx, this.out, { transport: "tls-decrypted" });
    } else if (alpn === "http/1.1" || alpn === "http/1.0" || probeHttp(data)) {
      this.inner = createHttpConsumer(this.ctx, this.out, { transport: "tls-decrypted" });
    } else if (fromClient) {
      this.raw = true;
    } else {
      // A server speaking first (a banner, a push channel): decide when the client speaks.
      return false;
    }
    return true;
  }

  private hold(h: Held): void {
    if (this.heldBytes + h.data.length > MAX_HELD) {
      this.raw = true;
      this.flushHeld();
      this.deliver(h.fromOrig, h.data, h.ts, h.frame);
      return;
    }
    this.held.push(h);
    this.heldBytes += h.data.length;
  }

  private flushHeld(): void {
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    this.heldBytes = 0;
    for (const h of held) this.deliver(h.fromOrig, h.data, h.ts, h.frame);
  }

  private deliver(fromOrig: boolean, data: Uint8Array, ts: number, frame: number): void {
    if (this.done) return;
    if (this.inner) {
      if (this.inner.data(fromOrig, data, ts, frame) === false) this.done = true;
      return;
    }
    const side = fromOrig ? 0 : 1;
    const room = RAW_LIMIT - this.rawSeen[side];
    if (room <= 0) return;
    const chunk = data.length > room ? data.subarray(0, room) : data;
    this.rawSeen[side] += chunk.length;
    this.out.payload({ uid: this.ctx.uid, layer: TLS_APP_LAYER, data: chunk, fromOrig, ts, frame });
  }
}

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false;
  return true;
}
