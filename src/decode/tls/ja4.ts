// JA4, the TLS client fingerprint of FoxIO's JA4+ suite (technical_details/JA4.md in FoxIO-LLC/ja4): names
// the client software behind a ClientHello (an app's own TLS stack, a tracking SDK, the OS) independent of
// the server it talks to. Format: `t13d1516h2_8daaf6152771_e5627efa2ab1`.

import { digest } from "../../session/digest.ts";
import type { ClientHello } from "./client-hello.ts";
import { EXT } from "./client-hello.ts";
import { hex4 } from "./tls-bytes.ts";
import { isGrease } from "./tls-names.ts";

/** Transport letter: TLS over TCP, QUIC, DTLS. */
export const JA4_TRANSPORTS = ["t", "q", "d"] as const;
export type Ja4Transport = (typeof JA4_TRANSPORTS)[number];

const VERSION_CODES: ReadonlyMap<number, string> = new Map([
  [0x0304, "13"],
  [0x0303, "12"],
  [0x0302, "11"],
  [0x0301, "10"],
  [0x0300, "s3"],
  [0x0002, "s2"],
  [0xfeff, "d1"],
  [0xfefd, "d2"],
  [0xfefc, "d3"],
]);

/** The JA4 fingerprint (sorted lists, hashed). */
export function ja4(hello: ClientHello, transport: Ja4Transport = "t"): string {
  const p = parts(hello, transport, false);
  return `${p.a}_${hash12(p.b)}_${hash12(p.c)}`;
}

/** JA4_o: as `ja4` but lists in the order sent, SNI and ALPN kept. */
export function ja4Original(hello: ClientHello, transport: Ja4Transport = "t"): string {
  const p = parts(hello, transport, true);
  return `${p.a}_${hash12(p.b)}_${hash12(p.c)}`;
}

/** JA4_r (or JA4_ro with `original`): the unhashed lists, for checking a fingerprint by eye. */
export function ja4Raw(hello: ClientHello, transport: Ja4Transport = "t", original = false): string {
  const p = parts(hello, transport, original);
  return `${p.a}_${p.b}_${p.c}`;
}

interface Ja4Parts {
  a: string;
  b: string;
  c: string;
}

function parts(h: ClientHello, transport: Ja4Transport, original: boolean): Ja4Parts {
  const ciphers = h.cipherSuites.filter((v) => !isGrease(v));
  const exts = h.extensions.filter((v) => !isGrease(v));
  const a =
    transport +
    versionCode(h) +
    (h.extensions.includes(EXT.serverName) ? "d" : "i") +
    count2(ciphers.length) +
    count2(exts.length) +
    alpnCode(h.alpn?.[0]);
  const cipherList = (original ? ciphers : [...ciphers].sort((x, y) => x - y)).map(hex4).join(",");
  // The sorted form drops SNI and ALPN: they are already in part a (JA4.md, "Extension hash").
  const extList = (
    original ? exts : exts.filter((v) => v !== EXT.serverName && v !== EXT.alpn).sort((x, y) => x - y)
  )
    .map(hex4)
    .join(",");
  const sigs = (h.signatureAlgorithms ?? []).filter((v) => !isGrease(v)).map(hex4);
  const c = extList === "" ? "" : sigs.length > 0 ? `${extList}_${sigs.join(",")}` : extList;
  return { a, b: cipherList, c };
}

/** The highest non-GREASE supported_versions entry, else legacy_version; `00` when unknown. */
function versionCode(h: ClientHello): string {
  let v = h.legacyVersion;
  const list = h.supportedVersions?.filter((x) => !isGrease(x));
  if (list && list.length > 0) v = Math.max(...list);
  return VERSION_CODES.get(v) ?? "00";
}

function count2(n: number): string {
  return n > 99 ? "99" : n.toString().padStart(2, "0");
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** First and last character of the first ALPN value; its hex's first and last when either is not alphanumeric. */
function alpnCode(first: string | undefined): string {
  if (!first) return "00";
  const c0 = first.charCodeAt(0);
  const c1 = first.charCodeAt(first.length - 1);
  if (isAlnum(c0) && isAlnum(c1)) return first[0] + first[first.length - 1];
  let hex = "";
  for (let i = 0; i < first.length; i++) hex += first.charCodeAt(i).toString(16).padStart(2, "0");
  return hex[0] + hex[hex.length - 1];
}

/** First 12 hex digits of SHA-256, or twelve zeros for an empty list (JA4+ general rule 1). */
function hash12(s: string): string {
  if (s === "") return "000000000000";
  return digest("sha256", s).toString("hex", 0, 6);
}
