// A capture's Decryption Secrets Blocks into the key store: TLSK blocks carry NSS key log text; other
// secret types (WireGuard, ZigBee, ...) are not ours to read and are only noted.

import type { SecretsInfo } from "../capture/capture-events.ts";
import type { WeirdSink } from "../model/weird.ts";
import { DSB_TLS_KEY_LOG, type KeyStore } from "./key-log.ts";

/** Adds the secrets of one DSB to `keys`; bad lines and unknown secret types become weirds. */
export function addCaptureSecrets(keys: KeyStore, s: SecretsInfo, weird: WeirdSink): void {
  if (s.secretsType !== DSB_TLS_KEY_LOG) {
    const type = `0x${s.secretsType.toString(16).padStart(8, "0")}`;
    weird({ ts: 0, name: "dsb_unsupported_type", detail: `offset ${s.offset}: secrets type ${type}` });
    return;
  }
  const res = keys.addKeyLog(
    Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength).toString("latin1"),
  );
  if (res.bad > 0) {
    weird({
      ts: 0,
      name: "dsb_bad_key_log_line",
      detail: `offset ${s.offset}: ${res.bad} key log line(s) did not parse, first at line ${res.firstBadLine}`,
    });
  }
}
