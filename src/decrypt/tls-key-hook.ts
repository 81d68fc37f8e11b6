// The TLS decoder's key hook over a KeyStore: opens a decrypting sink for each connection whose client random
// the store knows. (Issue 7 fills in the record decryption; this stub finds no keys.)

import type { TlsKeyHook } from "../decode/tls/tls-decrypt-hook.ts";
import type { KeyStore } from "./key-log.ts";

/** A TlsKeyHook that decrypts connections whose secrets `keys` holds. */
export function tlsKeyHook(_keys: KeyStore): TlsKeyHook {
  return { open: () => undefined };
}
