// The hook through which TLS decryption (issue 7: key logs from a pcapng Decryption Secrets Block, an
// SSLKEYLOGFILE, or the live proxy) plugs into the TLS decoder. Without a hook the decoder stops reading a
// connection at the end of its handshake, so the session layer spends nothing on ciphertext.

import type { StreamContext } from "../../session/stream-consumer.ts";
import type { DecoderOutput } from "../stream-decoder.ts";

/** What a key source needs to find this connection's secrets. */
export interface TlsSessionInfo {
  /** Connection uid. */
  uid: string;
  /** ClientHello random, hex: NSS key log lines are keyed by it. */
  clientRandom: string;
  /** ServerHello random, hex (TLS ≤ 1.2 key derivation needs it). */
  serverRandom: string;
  /** Negotiated version (0x0303, 0x0304, ...). */
  version: number;
  /** Chosen cipher suite. */
  cipherSuite: number;
  /** The connection (for the records of what the decrypted bytes carry). */
  ctx: StreamContext;
  /** The originator sent the ClientHello (false when the capture named the server orig). */
  clientIsOrig: boolean;
  /** ALPN protocol the ServerHello selected (TLS ≤ 1.2; TLS 1.3 selects it in EncryptedExtensions). */
  alpn?: string;
  /** The ServerHello carried encrypt_then_mac (RFC 7366): CBC records are MACed after encryption. */
  encryptThenMac: boolean;
  /** The chosen compression method (0 = null). */
  compressionMethod: number;
  /** The ClientHello offered early_data (TLS 1.3 0-RTT, RFC 8446 §4.2.10). */
  earlyDataOffered: boolean;
  /** ServerHello session id, hex ("" when empty). */
  sessionId: string;
  /** TLS ≤ 1.2 abbreviated handshake: the server echoed the client's session id. */
  resumed: boolean;
}

/** A decrypted record. */
export interface TlsPlaintext {
  /** Inner content type (TLS 1.3 TLSInnerPlaintext.type, or the outer type for ≤ 1.2). */
  contentType: number;
  /** Plaintext bytes (valid during the call). */
  data: Uint8Array;
}

/** Receives one connection's protected records once keys were found for it. */
export interface TlsProtectedSink {
  /**
   * One whole protected record as sent (outer content type, body without the 5-byte header), in order per
   * direction. Returning the plaintext lets the TLS decoder read decrypted handshake messages (the TLS 1.3
   * Certificate) and alerts; application data is the sink's to hand on (to the HTTP decoder, say).
   */
  record(
    fromOrig: boolean,
    contentType: number,
    body: Uint8Array,
    ts: number,
    frame: number,
  ): TlsPlaintext | undefined;
  /** A direction lost bytes: records after it cannot be decrypted in sequence. */
  gap?(fromOrig: boolean): void;
  /** The connection ended; what to put in the record's `decrypted` and `decrypt_note`. */
  close(): { decrypted: boolean; note?: string };
  /**
   * False once the sink wants no more records (no usable key, or every direction stopped): the decoder then
   * stops reading the connection as it would without a sink. Absent means always true.
   */
  wantsMore?(): boolean;
}

/** A source of TLS keys. */
export interface TlsKeyHook {
  /**
   * Called once per connection when both hellos are known. Return a sink to receive the protected records,
   * or undefined when no keys exist for it (the decoder then stops at the end of the handshake).
   */
  open(info: TlsSessionInfo, out: DecoderOutput): TlsProtectedSink | undefined;
  /**
   * The `decrypt_note` of a connection no sink was opened for (no ServerHello seen, or `open` declined),
   * given its client random when a ClientHello was seen; undefined for no note.
   */
  unopened?(clientRandom: string | undefined): string | undefined;
}
