// Which name stands for a connection's receiver, best evidence first (issue 5): the HTTP Host of the request,
// the TLS/QUIC SNI, the DNS answers the phone received before the connection, the certificate's names, and
// otherwise the bare IP. Evidence is gathered per connection from the records as they pass.

import type { HostSource } from "../model/destination.ts";

/** What the records told about one connection's receiver. */
export interface ConnEvidence {
  /** Host of the first HTTP request on it (port stripped). */
  http?: string;
  /** SNI of its TLS or QUIC handshake. */
  sni?: string;
  /** Certificate subject CN / first DNS SAN. */
  cert?: string;
  /** The TLS record said the application data was decrypted. */
  decrypted?: boolean;
  /** The connection carried TLS (or QUIC) at all. */
  tls?: boolean;
  /** The connection carried QUIC. */
  quic?: boolean;
}

/** A name with where it came from. */
export interface HostChoice {
  /** The name (or the IP). */
  host: string;
  /** Its source. */
  source: HostSource;
}

/** The best name for a receiver from the evidence and the DNS names valid for its IP. */
export function chooseHost(
  ip: string,
  ev: ConnEvidence | undefined,
  dnsNames: readonly string[],
): HostChoice {
  if (ev?.http) return { host: ev.http, source: "http" };
  if (ev?.sni) return { host: ev.sni, source: "sni" };
  if (dnsNames.length > 0) return { host: dnsNames[0], source: "dns" };
  if (ev?.cert) return { host: ev.cert, source: "cert" };
  return { host: ip, source: "ip" };
}

/** A Host header value without port, brackets or trailing dot, lower case; undefined when empty or an IP. */
export function hostFromHeader(value: string, respIp: string): string | undefined {
  let h = value.trim().toLowerCase();
  if (h.startsWith("[")) return undefined;
  const colon = h.lastIndexOf(":");
  if (colon > 0 && h.indexOf(":") === colon) h = h.slice(0, colon);
  if (h.endsWith(".")) h = h.slice(0, -1);
  if (h === "" || h === respIp || /^\d+\.\d+\.\d+\.\d+$/.test(h)) return undefined;
  return h;
}

/** A certificate name usable as a host: not a wildcard's star, not an IP. */
export function certHost(cn: string | undefined, san: readonly string[] | undefined): string | undefined {
  const names = [...(san ?? []), ...(cn !== undefined ? [cn] : [])];
  for (const n of names) {
    const h = n.toLowerCase().replace(/^\*\./, "");
    if (h.includes(".") && !/^[\d.]+$/.test(h) && !h.includes(":")) return h;
  }
  return undefined;
}
