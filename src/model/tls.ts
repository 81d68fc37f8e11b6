// The `tls` record: one per TLS connection, from its handshake (after Zeek's ssl.log). It says where the
// phone connected (SNI, certificate names), how (version, cipher, ALPN), with which client software (JA4),
// and whether the handshake completed — or was refused, as a pinned app refuses an interception proxy.

import type { ConnId } from "./conn.ts";

/** One TLS connection's handshake. */
export interface TlsRecord extends ConnId {
  /** Record type tag. */
  type: "tls";
  /** Negotiated version (`TLSv1.2`, `TLSv1.3`, ...) from the ServerHello; absent when none was seen. */
  version?: string;
  /** Chosen cipher suite, IANA name (`TLS_AES_128_GCM_SHA256`) or `0x....` when unnamed; needs a ServerHello. */
  cipher?: string;
  /** Key exchange group the server chose in TLS 1.3 key_share (`x25519`, `X25519MLKEM768`, ...). */
  key_group?: string;
  /** Server name the client asked for (SNI, RFC 6066), sent in clear. */
  server_name?: string;
  /** ALPN protocols the client offered, in order (`h2`, `http/1.1`). */
  alpn?: string[];
  /** ALPN protocol the server selected. */
  alpn_selected?: string;
  /** JA4 fingerprint of the (first) ClientHello. */
  ja4?: string;
  /** Versions the client offered in supported_versions, GREASE left out (TLS 1.3 clients). */
  supported_versions?: string[];
  /** ClientHello random, hex: the key of the NSS key log line that can decrypt this connection. */
  client_random?: string;
  /** ServerHello random, hex. */
  server_random?: string;
  /** Session id the client sent (hex), when not empty. */
  session_id?: string;
  /** The session was resumed (TLS ≤ 1.2 session id echoed, or a TLS 1.3 PSK accepted). */
  resumed: boolean;
  /** The server answered with a HelloRetryRequest (TLS 1.3) before the real ServerHello. */
  hello_retry?: boolean;
  /** Leaf certificate subject CN (TLS ≤ 1.2, where certificates travel in clear). */
  cert_subject_cn?: string;
  /** Leaf certificate subject O. */
  cert_subject_o?: string;
  /** Leaf subjectAltName DNS names and IP addresses (at most 100). */
  cert_san?: string[];
  /** Leaf issuer CN. */
  cert_issuer_cn?: string;
  /** Leaf issuer O. */
  cert_issuer_o?: string;
  /** Leaf notBefore, ISO 8601 UTC. */
  cert_not_before?: string;
  /** Leaf notAfter, ISO 8601 UTC. */
  cert_not_after?: string;
  /** Leaf serial number, upper-case hex. */
  cert_serial?: string;
  /** Leaf issuer equals its subject (self-signed, or minted by an interception proxy's CA). */
  cert_self_issued?: boolean;
  /** Certificates in the server's chain. */
  cert_chain_len?: number;
  /** Subject CN of a client certificate (mutual TLS ≤ 1.2): devices sometimes carry their id here. */
  client_cert_subject_cn?: string;
  /** The handshake completed: ChangeCipherSpec both ways (≤ 1.2), or the client's encrypted Finished (1.3). */
  established: boolean;
  /** Alerts as `orig:fatal:unknown_ca` (side, level, description) or `resp:encrypted`, at most 8. */
  alerts?: string[];
  /** Application data of this connection was decrypted (needs a key log; issue 7). */
  decrypted: boolean;
  /** Why decryption did or did not happen, when a key source was consulted. */
  decrypt_note?: string;
}
