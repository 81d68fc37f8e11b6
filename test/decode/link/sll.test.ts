// Linux cooked capture v1 (113) from hand-written headers.

import assert from "node:assert/strict";
import { test } from "node:test";
import { LINK_IP, LINK_MALFORMED, LINK_NOT_IP, newLinkResult } from "../../../src/decode/link/link-result.ts";
import { LINKTYPE_LINUX_SLL } from "../../../src/decode/link/link-types.ts";
import { decodeSll } from "../../../src/decode/link/sll.ts";
import { cat, decodeOnce, hex, IPV4_TCP_SYN, IPV6_UDP_PING } from "../decode-helpers.ts";

const SLL_IPV4 = hex(`
  00 04                     # packet type 4: sent by us
  00 01                     # ARPHRD_ETHER
  00 06                     # address length 6
  66 77 88 99 aa bb 00 00   # address, padded to 8
  08 00                     # protocol IPv4
`);

test("SLL + IPv4 + TCP", () => {
  const frame = cat(SLL_IPV4, IPV4_TCP_SYN);
  const r = newLinkResult();
  assert.equal(decodeSll(frame, 0, frame.length, r), LINK_IP);
  assert.equal(r.netOff, 16);
  const { kind, out } = decodeOnce(frame, LINKTYPE_LINUX_SLL);
  assert.equal(kind, "tcp");
  assert.equal(out.dstPort, 443);
});

test("SLL + 802.1Q tag + IPv6", () => {
  const frame = cat(
    hex("00 00 00 01 00 06 66 77 88 99 aa bb 00 00"),
    hex(`
      81 00         # protocol 802.1Q
      00 07 86 dd   # VLAN 7, then IPv6
    `),
    IPV6_UDP_PING,
  );
  assert.equal(decodeOnce(frame, LINKTYPE_LINUX_SLL).kind, "udp");
});

test("SLL protocol 0x0004 is an 802.2 LLC frame; SNAP carries IPv4", () => {
  const frame = cat(
    hex("00 00 03 20 00 00 00 00 00 00 00 00 00 00"),
    hex("00 04"), // protocol: 802.2 LLC
    hex("aa aa 03 00 00 00 08 00"), // SNAP, ethertype IPv4
    IPV4_TCP_SYN,
  );
  assert.equal(decodeOnce(frame, LINKTYPE_LINUX_SLL).kind, "tcp");
});

test("netlink frames and ARP are not IP; a short header is a weird", () => {
  const r = newLinkResult();
  const netlink = hex("00 04 03 38 00 00 00 00 00 00 00 00 00 00 00 00  10 00 00 00"); // ARPHRD_NETLINK 824
  assert.equal(decodeSll(netlink, 0, netlink.length, r), LINK_NOT_IP);
  const arp = hex("00 00 00 01 00 06 66 77 88 99 aa bb 00 00 08 06 00 01");
  assert.equal(decodeSll(arp, 0, arp.length, r), LINK_NOT_IP);
  assert.equal(decodeSll(SLL_IPV4, 0, 15, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_sll_header");
});
