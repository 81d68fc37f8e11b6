// The hook through which TLS decryption (issue 7: key logs from a pcapng Decryption Secrets Block, an
// SSLKEYLOGFILE, or the live proxy) plugs into the TLS decoder. Without a hook the decoder stops reading a
// connection at the end of its handshake, so the session layer spends nothing on ciphertext.

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
}

/** A source of TLS keys. */
export interface TlsKeyHook {
  /**
   * Called once per connection when both hellos are known. Return a sink to receive the protected records,
   * or undefined when no keys exist for it (the decoder then stops at the end of the handshake).
   */
  open(info: TlsSessionInfo, out: DecoderOutput): TlsProtectedSink | undefined;
}
