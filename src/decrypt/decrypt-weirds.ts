// The weird names TLS decryption emits (each at most once per connection); docs/records.md explains them.

/** Weird names of TLS decryption. */
export const TLS_DECRYPT_WEIRD_NAMES = [
  /** A record did not authenticate under the logged keys: that direction is no longer decrypted. */
  "tls_decrypt_failed",
  /** Bytes of a direction were lost: records after the gap cannot be decrypted in sequence. */
  "tls_decrypt_gap",
  /** A record authenticated but its plaintext breaks the protocol (TLS 1.3 inner plaintext all padding). */
  "tls_decrypt_bad_plaintext",
  /** Records that no logged key opened were skipped (0-RTT data without its secret, or rejected by the server). */
  "tls_decrypt_skipped",
] as const;
export type TlsDecryptWeird = (typeof TLS_DECRYPT_WEIRD_NAMES)[number];
