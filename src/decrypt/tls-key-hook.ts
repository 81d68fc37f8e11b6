// The TLS decoder's key hook over a KeyStore: for each connection whose hellos were seen, finds its secrets
// by client random (or, for a TLS ≤ 1.2 resumption, by session id), derives the record keys, and opens a
// decrypting sink. When it cannot, it still answers with a sink that only carries the reason, so the `tls`
// record says why the connection stayed closed ("no key for this client random", "unsupported cipher
// suite 0x....").

import type { DecoderOutput } from "../decode/stream-decoder.ts";
import { parseEncryptedExtensions } from "../decode/tls/encrypted-extensions.ts";
import { hex4 } from "../decode/tls/tls-bytes.ts";
import type { TlsKeyHook, TlsProtectedSink, TlsSessionInfo } from "../decode/tls/tls-decrypt-hook.ts";
import { versionName } from "../decode/tls/tls-names.ts";
import { type CipherSuite, cipherSuite, hashLength } from "./cipher-suites.ts";
import type { KeyLogLabel, KeyStore } from "./key-log.ts";
import { tls12Decryptor } from "./record-decrypt.ts";
import { Tls12Direction, TlsDecryptSession } from "./tls-decrypt-session.ts";
import { keyBlock } from "./tls-prf.ts";
import { Tls13Direction, type Tls13Secrets } from "./tls13-direction.ts";

/** Length of a TLS ≤ 1.2 master secret (RFC 5246 §8.1). */
const MASTER_SECRET_LENGTH = 48;

/** A TlsKeyHook that decrypts connections whose secrets `keys` holds. */
export function tlsKeyHook(keys: KeyStore): TlsKeyHook {
  return {
    open: (info, out) => (keys.empty ? undefined : openSession(keys, info, out)),
    unopened(clientRandom) {
      if (keys.empty || clientRandom === undefined) return undefined;
      return keys.has(clientRandom) ? "missing handshake" : "no key for this client random";
    },
  };
}

/** A sink that decrypts nothing and only tells why. */
function noteSink(note: string): TlsProtectedSink {
  return { record: () => undefined, close: () => ({ decrypted: false, note }), wantsMore: () => false };
}

function openSession(keys: KeyStore, info: TlsSessionInfo, out: DecoderOutput): TlsProtectedSink {
  const tls13 = info.version === 0x0304;
  const logged = keys.has(info.clientRandom);
  const resumed = !tls13 && info.resumed ? keys.resumedMaster(info.sessionId) : undefined;
  if (!logged && !resumed) return noteSink("no key for this client random");
  if (!tls13 && (info.version < 0x0301 || info.version > 0x0303)) {
    return noteSink(`unsupported version ${versionName(info.version)}`);
  }
  const suite = cipherSuite(info.cipherSuite);
  if (!suite || suite.tls13 !== tls13)
    return noteSink(`unsupported cipher suite 0x${hex4(info.cipherSuite)}`);
  return tls13 ? open13(keys, suite, info, out) : open12(keys, suite, info, out, resumed);
}

function open12(
  keys: KeyStore,
  suite: CipherSuite,
  info: TlsSessionInfo,
  out: DecoderOutput,
  resumed: Uint8Array | undefined,
): TlsProtectedSink {
  if (info.compressionMethod !== 0)
    return noteSink(`unsupported compression method ${info.compressionMethod}`);
  const master = keys.get(info.clientRandom, "CLIENT_RANDOM") ?? resumed;
  if (!master) return noteSink("no CLIENT_RANDOM master secret for this client random");
  if (master.length !== MASTER_SECRET_LENGTH)
    return noteSink(`master secret of ${master.length} bytes, not 48`);
  keys.rememberSession(info.sessionId, master);
  const kb = keyBlock(
    suite,
    info.version,
    master,
    Buffer.from(info.clientRandom, "hex"),
    Buffer.from(info.serverRandom, "hex"),
  );
  // encrypt_then_mac changes only block-cipher records (RFC 7366 §2); AEAD suites ignore it.
  const etm = info.encryptThenMac;
  const client = new Tls12Direction(tls12Decryptor(suite, info.version, kb.client, etm));
  const server = new Tls12Direction(tls12Decryptor(suite, info.version, kb.server, etm));
  return new TlsDecryptSession(info, out, client, server);
}

function open13(
  keys: KeyStore,
  suite: CipherSuite,
  info: TlsSessionInfo,
  out: DecoderOutput,
): TlsProtectedSink {
  // A secret of the wrong length for the suite's hash cannot be this connection's: treat it as absent.
  const get = (...labels: KeyLogLabel[]): Uint8Array | undefined => {
    for (const l of labels) {
      const s = keys.get(info.clientRandom, l);
      if (s && s.length === hashLength(suite.hash)) return s;
    }
    return undefined;
  };
  const client: Tls13Secrets = {
    early: get("CLIENT_EARLY_TRAFFIC_SECRET", "EARLY_TRAFFIC_SECRET"),
    handshake: get("CLIENT_HANDSHAKE_TRAFFIC_SECRET"),
    app: get("CLIENT_TRAFFIC_SECRET_0"),
  };
  const server: Tls13Secrets = {
    handshake: get("SERVER_HANDSHAKE_TRAFFIC_SECRET"),
    app: get("SERVER_TRAFFIC_SECRET_0"),
  };
  if (!client.handshake && !client.app && !server.handshake && !server.app) {
    return noteSink("no TLS 1.3 traffic secrets for this client random");
  }
  const c = new Tls13Direction(suite, client, info.earlyDataOffered, "client");
  const s = new Tls13Direction(suite, server, false, "server");
  const session = new TlsDecryptSession(info, out, c, s);
  s.onEncryptedExtensions = (body) => {
    const alpn = parseEncryptedExtensions(body).alpn;
    if (alpn !== undefined) session.setAlpn(alpn);
  };
  return session;
}
