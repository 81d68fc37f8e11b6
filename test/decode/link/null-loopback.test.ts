// BSD NULL (0) and LOOP (108): both byte orders of the family, and every AF_INET6 value in use.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  LINK_IP,
  LINK_MALFORMED,
  LINK_NOT_IP,
  newLinkResult,
} from "../../../src/decode/link/link-result.ts";
import { LINKTYPE_LOOP, LINKTYPE_NULL } from "../../../src/decode/link/link-types.ts";
import { decodeNullLoopback } from "../../../src/decode/link/null-loopback.ts";
import { cat, decodeOnce, hex, IPV4_TCP_SYN, IPV6_UDP_PING } from "../decode-helpers.ts";

function family(header: string): { status: number; etherType: number } {
  const r = newLinkResult();
  const d = cat(hex(header), IPV4_TCP_SYN);
  const status = decodeNullLoopback(d, 0, d.length, r);
  return { status, etherType: r.etherType };
}

test("AF_INET in host (little-endian) and network byte order", () => {
  assert.deepEqual(family("02 00 00 00"), { status: LINK_IP, etherType: ETHERTYPE_IPV4 });
  assert.deepEqual(family("00 00 00 02"), { status: LINK_IP, etherType: ETHERTYPE_IPV4 });
});

test("AF_INET6 as Linux (10), BSD (24), FreeBSD (28) and Darwin (30) write it, both byte orders", () => {
  for (const v of ["0a", "18", "1c", "1e"]) {
    assert.deepEqual(family(`${v} 00 00 00`), { status: LINK_IP, etherType: ETHERTYPE_IPV6 }, `LE ${v}`);
    assert.deepEqual(family(`00 00 00 ${v}`), { status: LINK_IP, etherType: ETHERTYPE_IPV6 }, `BE ${v}`);
  }
});

test("an ethertype in the family field is followed; other families are not IP", () => {
  assert.deepEqual(family("00 00 08 00"), { status: LINK_IP, etherType: ETHERTYPE_IPV4 });
  assert.equal(family("07 00 00 00").status, LINK_NOT_IP); // AF_APPLETALK-ish
  const r = newLinkResult();
  assert.equal(decodeNullLoopback(hex("02 00 00"), 0, 3, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_loopback_header");
});

test("NULL (Darwin utun, AF_INET6 = 30 LE) and LOOP (network order) end to end", () => {
  const utun = cat(hex("1e 00 00 00   # family 30, little-endian"), IPV6_UDP_PING);
  assert.equal(decodeOnce(utun, LINKTYPE_NULL).kind, "udp");
  const loop = cat(hex("00 00 00 02   # family 2, big-endian"), IPV4_TCP_SYN);
  const { kind, out } = decodeOnce(loop, LINKTYPE_LOOP);
  assert.equal(kind, "tcp");
  assert.equal(out.srcOff, 4 + 12);
});
