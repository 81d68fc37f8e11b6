// Turns what a TLS connection's handshake showed into its `tls` record (src/model/tls.ts).

import type { TlsRecord } from "../../model/tls.ts";
import type { StreamContext } from "../../session/stream-consumer.ts";
import type { CertInfo } from "./certificate.ts";
import type { ClientHello } from "./client-hello.ts";
import type { ServerHello } from "./server-hello.ts";
import { cipherName, groupName, isGrease, isTls13, versionName } from "./tls-names.ts";

/** Everything the handshake showed. */
export interface TlsFacts {
  /** The first ClientHello. */
  client?: ClientHello;
  /** Its JA4. */
  ja4?: string;
  /** The ServerHello (not a HelloRetryRequest). */
  server?: ServerHello;
  /** A HelloRetryRequest came first. */
  helloRetry: boolean;
  /** ALPN protocol a TLS 1.3 server selected in its (decrypted) EncryptedExtensions. */
  encryptedAlpn?: string;
  /** The server's leaf certificate. */
  cert?: CertInfo;
  /** Certificates in the server's chain. */
  certCount?: number;
  /** Subject CN of the client's certificate. */
  clientCertCn?: string;
  /** Alerts as formatted strings. */
  alerts: string[];
  /** Handshake completed. */
  established: boolean;
  /** Application data was decrypted. */
  decrypted: boolean;
  /** The key source's note. */
  decryptNote?: string;
}

/** The record for one connection. */
export function buildTlsRecord(ctx: StreamContext, f: TlsFacts): TlsRecord {
  const r: TlsRecord = {
    type: "tls",
    ts: ctx.ts,
    uid: ctx.uid,
    community_id: ctx.community_id,
    orig_h: ctx.orig_h,
    orig_p: ctx.orig_p,
    resp_h: ctx.resp_h,
    resp_p: ctx.resp_p,
    resumed: false,
    established: f.established,
    decrypted: f.decrypted,
  };
  if (f.server) serverFields(r, f.server, f.client);
  if (r.alpn_selected === undefined && f.encryptedAlpn !== undefined) r.alpn_selected = f.encryptedAlpn;
  if (f.client) clientFields(r, f.client, f.ja4);
  if (f.helloRetry) r.hello_retry = true;
  if (f.cert) certFields(r, f.cert, f.certCount);
  if (f.clientCertCn !== undefined) r.client_cert_subject_cn = f.clientCertCn;
  if (f.alerts.length > 0) r.alerts = f.alerts;
  if (f.decryptNote !== undefined) r.decrypt_note = f.decryptNote;
  return r;
}

function serverFields(r: TlsRecord, s: ServerHello, c: ClientHello | undefined): void {
  r.version = versionName(s.version);
  r.cipher = cipherName(s.cipherSuite);
  if (s.keyShareGroup !== undefined) r.key_group = groupName(s.keyShareGroup);
  if (s.alpn !== undefined) r.alpn_selected = s.alpn;
  r.server_random = s.random;
  // TLS 1.3 servers echo the client's session id always (RFC 8446 §4.1.3), so only ≤ 1.2 echoes mean
  // resumption (RFC 5246 §7.4.1.3); TLS 1.3 resumes through an accepted PSK.
  if (isTls13(s.version)) r.resumed = s.pskAccepted === true;
  else r.resumed = c !== undefined && c.sessionId !== "" && c.sessionId === s.sessionId;
}

function clientFields(r: TlsRecord, c: ClientHello, ja4: string | undefined): void {
  if (c.sni !== undefined) r.server_name = c.sni;
  if (c.alpn !== undefined) r.alpn = c.alpn;
  if (ja4 !== undefined) r.ja4 = ja4;
  const versions = c.supportedVersions?.filter((v) => !isGrease(v));
  if (versions && versions.length > 0) r.supported_versions = versions.map(versionName);
  r.client_random = c.random;
  if (c.sessionId !== "") r.session_id = c.sessionId;
}

function certFields(r: TlsRecord, c: CertInfo, count: number | undefined): void {
  if (c.subjectCn !== undefined) r.cert_subject_cn = c.subjectCn;
  if (c.subjectO !== undefined) r.cert_subject_o = c.subjectO;
  const san = [...c.sanDns, ...c.sanIp];
  if (san.length > 0) r.cert_san = san;
  if (c.issuerCn !== undefined) r.cert_issuer_cn = c.issuerCn;
  if (c.issuerO !== undefined) r.cert_issuer_o = c.issuerO;
  if (c.notBefore !== undefined) r.cert_not_before = c.notBefore;
  if (c.notAfter !== undefined) r.cert_not_after = c.notAfter;
  r.cert_serial = c.serial;
  r.cert_self_issued = c.selfIssued;
  if (count !== undefined) r.cert_chain_len = count;
}
