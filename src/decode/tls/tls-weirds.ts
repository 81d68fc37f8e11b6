// The weird names the TLS decoder emits (each at most once per connection); docs/records.md explains them.

/** Weird names of the TLS decoder. */
export const TLS_WEIRD_NAMES = [
  "tls_bad_record",
  "tls_handshake_too_long",
  "tls_bad_client_hello",
  "tls_bad_server_hello",
  "tls_bad_extension",
  "tls_bad_certificate",
] as const;
export type TlsWeird = (typeof TLS_WEIRD_NAMES)[number];
