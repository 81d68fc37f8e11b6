// The contract every protocol decoder implements (one folder per protocol under src/decode/, one line in
// registry.ts). Decoders are sans-IO: they receive a connection's bytes through StreamConsumer and emit
// records, weirds and payloads for the leak detector through DecoderOutput. They never see files or sockets.

import type { ConnId, ConnProto } from "../model/conn.ts";
import type { Transport } from "../model/destination.ts";
import type { WeirdSink } from "../model/weird.ts";
import type { StreamConsumer, StreamContext } from "../session/stream-consumer.ts";

/** A record a decoder emits (dns, http, tls, quic ...): a `type` tag plus the connection fields. */
export interface DecodedRecord {
  /** Record type tag, equal to the log's name. */
  type: string;
}

/** Bytes the leak detector (issue 4) should search, with where they came from. */
export interface PayloadChunk {
  /** Connection uid. */
  uid: string;
  /** Which layer the bytes are, e.g. `http.uri`, `http.header`, `http.body`, `dns.query`, `raw.stream`. */
  layer: string;
  /** The bytes (valid during the call only; copy to keep). */
  data: Uint8Array;
  /** Originator → responder. */
  fromOrig: boolean;
  /** Time of the packet that completed the bytes. */
  ts: number;
  /** Frame number of that packet, when known. */
  frame?: number;
  /** Index of the HTTP exchange / DNS message within the connection, when there is one. */
  index?: number;
  /**
   * How the bytes travelled when not in clear on the wire: `tls-decrypted` for bytes decrypted from TLS or
   * QUIC, `har` for a HAR file, `proxy` for the live proxy. Absent means cleartext.
   */
  transport?: Transport;
}

/** Where a decoder sends what it finds. */
export interface DecoderOutput {
  /** A finished record. */
  record(r: DecodedRecord): void;
  /** Malformed or surprising input. */
  weird: WeirdSink;
  /**
   * Decoded bytes for the detector. Decoders pass only `p`; the dispatcher adds the connection the payload
   * belongs to before it reaches the detector.
   */
  payload(p: PayloadChunk, conn?: ConnId): void;
}

/** A protocol decoder's registration. */
export interface StreamDecoderDefinition {
  /** Service name (`dns`, `http`, `tls`, `quic`), also the conn record's `service`. */
  name: string;
  /** Transports it runs on. */
  protos: readonly ConnProto[];
  /**
   * Whether the first payload bytes of a direction look like this protocol (content, not ports, decides, so
   * TLS on 5228 or DNS on 5353 are found). Must be cheap and must not throw; sees at most the first segment.
   */
  probe(bytes: Uint8Array, fromOrig: boolean, ctx: StreamContext): boolean;
  /** A decoder instance for one connection; it receives the bytes from the first payload on. */
  create(ctx: StreamContext, out: DecoderOutput): StreamConsumer;
}
