// The contract between the session layer and the protocol decoders (issue 3): the session layer hands each
// connection's in-order bytes to a consumer; decoders never see packets, sockets or files.

import type { ConnId, ConnProto } from "../model/conn.ts";

/** What a decoder knows about the connection it is given. */
export interface StreamContext extends ConnId {
  /** Transport protocol. */
  proto: ConnProto;
}

/**
 * Receives one connection's payload. For TCP the bytes of each direction arrive in sequence order,
 * reassembled; for UDP one call per datagram. `bytes` is only valid during the call: copy what you keep.
 */
export interface StreamConsumer {
  /** Application protocol recognised so far (`dns`, `http`, `tls`, ...); the conn record's `service`. */
  readonly service?: string;
  /**
   * Payload bytes; `fromOrig` is true for originator → responder. Returning `false` says the consumer needs
   * no more bytes of this connection (e.g. TLS ciphertext without keys): the session layer may stop
   * reassembling it and only count.
   */
  data(fromOrig: boolean, bytes: Uint8Array, ts: number, frame: number): boolean | undefined;
  /** `len` bytes of this direction were never seen (capture loss, or a buffer bound cut them). */
  gap(fromOrig: boolean, len: number): void;
  /** The connection ended (FIN/RST, timeout, or end of input). Called once. */
  end(): void;
}

/** Chooses a consumer for a new connection, or none (then the session layer skips reassembly for it). */
export type ConsumerFactory = (ctx: StreamContext) => StreamConsumer | undefined;
