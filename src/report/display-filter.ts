// A Wireshark display filter that shows the packets behind a finding: the connection's addresses and ports
// and the frames that carried the value. Values come from the traffic, so only addresses (checked) and
// numbers are written into the filter.

import { isIP } from "node:net";
import type { FindingRecord } from "../model/finding.ts";

/** Layers carried over UDP (the rest of phonehome's payload layers ride on TCP). */
const UDP_LAYERS = ["dns.", "quic.", "http3."];

/** The filter, or undefined for findings with no packets (HAR, proxy). */
export function displayFilter(f: FindingRecord): string | undefined {
  return connectionFilter([f]);
}

/**
 * One filter for several findings of one connection (same uid): its addresses and ports and the set of
 * frames that carried them, e.g. `... && frame.number in {10, 12}` (Wireshark 4 set syntax).
 */
export function connectionFilter(findings: readonly FindingRecord[]): string | undefined {
  const f = findings[0];
  if (!f) return undefined;
  const a = f.orig_h;
  const b = f.resp_h;
  const ipv = isIP(a);
  if (ipv === 0 || isIP(b) !== ipv || f.frames[0] <= 0) return undefined;
  const ip = ipv === 6 ? "ipv6.addr" : "ip.addr";
  const layer = f.chain[0] ?? "";
  const proto = UDP_LAYERS.some((l) => layer.startsWith(l)) ? "udp" : "tcp";
  const frames = framesClause(findings);
  return `${ip} == ${a} && ${ip} == ${b} && ${proto}.port == ${f.orig_p} && ${proto}.port == ${f.resp_p} && ${frames}`;
}

function framesClause(findings: readonly FindingRecord[]): string {
  if (findings.length === 1) {
    const [first, last] = findings[0].frames;
    return first === last
      ? `frame.number == ${first}`
      : `frame.number >= ${first} && frame.number <= ${last}`;
  }
  const set = [...new Set(findings.map((x) => x.frames[1] || x.frames[0]))].sort((a, b) => a - b);
  return `frame.number in {${set.join(", ")}}`;
}
