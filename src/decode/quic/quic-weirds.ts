// The weird names of the QUIC decoder in one list (docs/records.md describes them); each is reported at most
// once per connection, so the list stays under 32 names (one bit each).

/** Weird names the QUIC decoder emits. */
export const QUIC_WEIRD_NAMES = [
  "quic_bad_header",
  "quic_truncated_packet",
  "quic_initial_decrypt_failed",
  "quic_crypto_gap",
  "quic_crypto_too_large",
  "quic_bad_frame",
  "quic_unexpected_frame",
  "quic_client_hello_unparsed",
  "quic_unknown_version",
  "quic_decrypt_failed",
  "quic_stream_too_large",
  "quic_too_many_streams",
] as const;
export type QuicWeird = (typeof QUIC_WEIRD_NAMES)[number];

/** Where the QUIC decoder's parts report a weird (the connection adds time, frame and uid). */
export type QuicWeirdSink = (name: QuicWeird, detail: string) => void;
