// Community ID v1 flow hashing (corelight community-id-spec): a direction-free string that names a flow the
// same way in phonehome, Zeek, Suricata and Wireshark, so records join across tools. Once per connection.

import { parseAddress } from "./address.ts";
import { sha1 } from "./digest.ts";

// seed(2) + two addresses (≤ 16 each) + proto(1) + pad(1) + two ports (2 each).
const scratch = new Uint8Array(2 + 32 + 2 + 4);
// "1:" + base64 of a 20-byte digest (28 characters).
const idOut = Buffer.from(`1:${" ".repeat(28)}`, "latin1");

/** True when endpoint A (address bytes at aOff, port aPort) sorts strictly before endpoint B. */
function endpointLess(
  data: Uint8Array,
  aOff: number,
  aPort: number,
  bOff: number,
  bPort: number,
  len: number,
): boolean {
  for (let i = 0; i < len; i++) {
    const d = data[aOff + i] - data[bOff + i];
    if (d !== 0) return d < 0;
  }
  return aPort < bPort;
}

/**
 * Community ID v1 of a TCP/UDP (or any port-carrying) flow whose addresses lie in `data` at `srcOff` and
 * `dstOff`, `addrLen` bytes each. Direction does not matter: the spec orders the endpoints so the smaller
 * (address, port) comes first, then hashes seed · saddr · daddr · proto · 0 · sport · dport with SHA-1
 * (all big-endian) and prefixes the base64 digest with `1:`.
 */
export function communityId(
  data: Uint8Array,
  srcOff: number,
  dstOff: number,
  addrLen: 4 | 16,
  proto: number,
  srcPort: number,
  dstPort: number,
  seed = 0,
): string {
  const swap = !endpointLess(data, srcOff, srcPort, dstOff, dstPort, addrLen);
  const aOff = swap ? dstOff : srcOff;
  const bOff = swap ? srcOff : dstOff;
  const aPort = swap ? dstPort : srcPort;
  const bPort = swap ? srcPort : dstPort;
  const b = scratch;
  b[0] = (seed >>> 8) & 0xff;
  b[1] = seed & 0xff;
  let o = 2;
  for (let i = 0; i < addrLen; i++) b[o++] = data[aOff + i];
  for (let i = 0; i < addrLen; i++) b[o++] = data[bOff + i];
  b[o++] = proto & 0xff;
  b[o++] = 0;
  b[o++] = (aPort >>> 8) & 0xff;
  b[o++] = aPort & 0xff;
  b[o++] = (bPort >>> 8) & 0xff;
  b[o++] = bPort & 0xff;
  // Written into one buffer so the result is a single flat string (not "1:" joined to the digest text).
  const len = 2 + idOut.write(sha1(b.subarray(0, o)).toString("base64"), 2, "latin1");
  return idOut.toString("latin1", 0, len);
}

/**
 * Community ID v1 from address text (as tshark or Zeek print it). Returns undefined when an address does not
 * parse or the two are of different families.
 */
export function communityIdFromText(
  saddr: string,
  daddr: string,
  proto: number,
  sport: number,
  dport: number,
  seed = 0,
): string | undefined {
  const s = parseAddress(saddr);
  const d = parseAddress(daddr);
  if (!s || !d || s.length !== d.length) return undefined;
  const both = new Uint8Array(s.length * 2);
  both.set(s, 0);
  both.set(d, s.length);
  return communityId(both, 0, s.length, s.length as 4 | 16, proto, sport, dport, seed);
}
