// The `quic` record: one per QUIC handshake seen on a UDP connection (after Zeek's quic.log), with the server
// name and ALPN read from the ClientHello that the client's Initial packets carry (decrypted with the
// well-known Initial keys, RFC 9001 §5.2 / RFC 9369 §3.3.1).

import type { ConnId } from "./conn.ts";

/** One QUIC handshake. */
export interface QuicRecord extends ConnId {
  /** Record type tag. */
  type: "quic";
  /**
   * QUIC version of the first long-header packet: `1`, `quicv2` (0x6b3343cf), `draft-29` ... for IETF drafts,
   * otherwise `unknown-<hex>` (as Zeek's quic.log writes it).
   */
  version: string;
  /** Destination Connection ID of the client's first Initial, hex: the input of the Initial keys. */
  client_initial_dcid?: string;
  /** Source Connection ID of the client's latest long-header packet, hex (empty string when zero-length). */
  client_scid?: string;
  /** Source Connection ID of the server's latest long-header packet, hex (the ID the client then uses). */
  server_scid?: string;
  /** Server name (SNI, RFC 6066 §3) from the decrypted ClientHello. */
  server_name?: string;
  /** First ALPN protocol the client offered (RFC 7301), as Zeek's quic.log shows it, e.g. `h3`. */
  client_protocol?: string;
  /** Every ALPN protocol the client offered, in order. */
  alpn?: string[];
  /**
   * Zeek's quic.log history letters, upper case client, lower case server: I Initial, H Handshake, Z 0-RTT,
   * R Retry, C CONNECTION_CLOSE, S Client/ServerHello, U unhandled version, X datagram tail discarded after
   * a decryption, O short-header packets at counts 1, 2, 4, 8 ... (at most 100 letters).
   */
  history: string;
  /** Whether at least one Initial packet of this handshake was decrypted (authentication tag verified). */
  decrypted_initial: boolean;
  /**
   * Whether Handshake or 1-RTT packets were decrypted with secrets from a key log (a pcapng Decryption Secrets
   * Block or `--keylog`), so the streams inside (HTTP/3) could be read.
   */
  decrypted: boolean;
  /**
   * Why decryption did or did not happen, when a key source was consulted: `no key log entry for this client
   * random`, `no ServerHello seen (cipher suite unknown)`, `authentication failed ...`, `decrypted (<suite>)`.
   */
  decrypt_note?: string;
  /** JA4 fingerprint of the ClientHello, QUIC form (`q` prefix), e.g. `q13d0310h3_55b375c5d22e_cd85d2d88918`. */
  ja4?: string;
}
