// The TLS decoder's side of decryption: opens the key hook's sink once both hellos are known, holds the
// client's 0-RTT records that arrive before the ServerHello (bounded) so they can be decrypted once keys
// are found, and asks the hook for a note when no sink was ever opened.

import type { StreamContext } from "../../session/stream-consumer.ts";
import type { DecoderOutput } from "../stream-decoder.ts";
import { type ClientHello, EXT } from "./client-hello.ts";
import type { ServerHello } from "./server-hello.ts";
import type { TlsKeyHook, TlsPlaintext, TlsProtectedSink, TlsSessionInfo } from "./tls-decrypt-hook.ts";
import { isTls13 } from "./tls-names.ts";

/** Bytes of early (0-RTT) records held while the ServerHello is awaited; OpenSSL's default cap is 16 KiB. */
export const MAX_EARLY_HELD = 64 * 1024;

/** A protected record held for later. */
export interface HeldRecord {
  /** Sent by the originator. */
  fromOrig: boolean;
  /** Outer content type. */
  contentType: number;
  /** The record body (a copy). */
  body: Uint8Array;
  /** Time of the packet that completed it. */
  ts: number;
  /** Its frame number. */
  frame: number;
}

/** One connection's link to its key hook. */
export class TlsSinkLink {
  /** The open sink, if any. */
  sink: TlsProtectedSink | undefined = undefined;
  private held: HeldRecord[] | undefined = undefined;
  private heldBytes = 0;

  /** Links a connection to `hook` (none: decryption off). */
  constructor(
    private readonly hook: TlsKeyHook | undefined,
    private readonly out: DecoderOutput,
  ) {}

  /** A hook is there to ask. */
  get enabled(): boolean {
    return this.hook !== undefined;
  }

  /** A sink is open and still wants records. */
  get active(): boolean {
    return this.sink !== undefined && this.sink.wantsMore?.() !== false;
  }

  /** True while records should be collected for a sink that is not open yet (0-RTT before ServerHello). */
  get holding(): boolean {
    return this.held !== undefined;
  }

  /** The ClientHello offered early data: hold the client's protected records until the ServerHello. */
  holdEarly(): void {
    if (this.hook && !this.sink) this.held ??= [];
  }

  /** Opens the sink; held records are then replayed through `replay`. True when the sink wants records. */
  open(
    ctx: StreamContext,
    client: ClientHello,
    server: ServerHello,
    clientIsOrig: boolean,
    replay: (r: HeldRecord) => void,
  ): boolean {
    if (!this.hook || this.sink) return this.active;
    this.sink = this.hook.open(sessionInfo(ctx, client, server, clientIsOrig), this.out);
    const held = this.held ?? [];
    this.held = undefined;
    this.heldBytes = 0;
    if (!this.active) return false;
    for (const r of held) replay(r);
    return true;
  }

  /** A protected record: to the sink, or held when early data is awaited; the sink's plaintext. */
  record(fromOrig: boolean, contentType: number, body: Uint8Array, ts: number, frame: number) {
    if (this.sink) return this.sink.record(fromOrig, contentType, body, ts, frame);
    if (this.held && this.heldBytes + body.length <= MAX_EARLY_HELD) {
      this.held.push({ fromOrig, contentType, body: Uint8Array.from(body), ts, frame });
      this.heldBytes += body.length;
    }
    return undefined as TlsPlaintext | undefined;
  }

  /** A direction lost bytes. */
  gap(fromOrig: boolean): void {
    this.sink?.gap?.(fromOrig);
  }

  /** The `decrypted` and `decrypt_note` of the record, when a hook was consulted. */
  close(clientRandom: string | undefined): { decrypted: boolean; note?: string } | undefined {
    this.held = undefined;
    const sink = this.sink;
    // The sink's decoders and keys are done with; the connection object may outlive them a while.
    this.sink = undefined;
    if (sink) return sink.close();
    const note = this.hook?.unopened?.(clientRandom);
    return note === undefined ? undefined : { decrypted: false, note };
  }
}

function sessionInfo(
  ctx: StreamContext,
  client: ClientHello,
  server: ServerHello,
  clientIsOrig: boolean,
): TlsSessionInfo {
  const tls13 = isTls13(server.version);
  return {
    uid: ctx.uid,
    clientRandom: client.random,
    serverRandom: server.random,
    version: server.version,
    cipherSuite: server.cipherSuite,
    ctx,
    clientIsOrig,
    ...(server.alpn !== undefined ? { alpn: server.alpn } : {}),
    encryptThenMac: server.extensions.includes(EXT.encryptThenMac),
    compressionMethod: server.compressionMethod,
    earlyDataOffered: client.extensions.includes(EXT.earlyData),
    sessionId: server.sessionId,
    // TLS 1.3 servers echo the session id always (RFC 8446 §4.1.3); only ≤ 1.2 echoes mean resumption.
    resumed: !tls13 && client.sessionId !== "" && client.sessionId === server.sessionId,
  };
}
