// Ethernet II, 802.1Q/QinQ tags, 802.3 + LLC/SNAP, PPPoE and MPLS, from hand-written frames.

import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeEthernet, ETHERNET_WEIRDS, resolveEtherType } from "../../../src/decode/link/ethernet.ts";
import {
  ETHERTYPE_BY_VERSION,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  LINK_IP,
  LINK_MALFORMED,
  LINK_NOT_IP,
  newLinkResult,
} from "../../../src/decode/link/link-result.ts";
import { LINKTYPE_ETHERNET } from "../../../src/decode/link/link-types.ts";
import { addr, cat, decodeOnce, hex, IPV4_TCP_SYN, IPV6_UDP_PING } from "../decode-helpers.ts";

const MACS = hex(`
  00 11 22 33 44 55   # destination MAC
  66 77 88 99 aa bb   # source MAC
`);

test("Ethernet + 802.1Q + IPv4 + TCP SYN decodes to the planted header fields", () => {
  const frame = cat(
    MACS,
    hex(`
      81 00         # TPID 802.1Q
      00 64         # PCP 0, DEI 0, VLAN 100
      08 00         # ethertype IPv4
    `),
    IPV4_TCP_SYN,
  );
  const r = newLinkResult();
  assert.equal(decodeEthernet(frame, 0, frame.length, r), LINK_IP);
  assert.equal(r.netOff, 18);
  assert.equal(r.etherType, ETHERTYPE_IPV4);
  const { kind, out, weirds } = decodeOnce(frame, LINKTYPE_ETHERNET);
  assert.equal(kind, "tcp");
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  assert.equal(addr(out, out.srcOff), "192.168.1.2");
  assert.equal(addr(out, out.dstOff), "93.184.216.34");
  assert.equal(out.srcPort, 50000);
  assert.equal(out.dstPort, 443);
  assert.equal(out.tcpSeq, 1000);
  assert.equal(out.tcpFlags, 0x02);
  assert.equal(out.tcpWindow, 65535);
  assert.equal(out.payloadOff, 18 + 20 + 24);
  assert.equal(out.payloadLen, 0);
});

test("QinQ: 802.1ad, 0x9100 and 802.1Q tags stacked", () => {
  const frame = cat(
    MACS,
    hex(`
      88 a8 00 0a   # 802.1ad service tag, VLAN 10
      91 00 00 0b   # pre-standard QinQ tag, VLAN 11
      81 00 00 0c   # 802.1Q customer tag, VLAN 12
      86 dd         # ethertype IPv6
    `),
    IPV6_UDP_PING,
  );
  const r = newLinkResult();
  assert.equal(decodeEthernet(frame, 0, frame.length, r), LINK_IP);
  assert.equal(r.netOff, 12 + 12 + 2);
  assert.equal(r.etherType, ETHERTYPE_IPV6);
  const { kind, out } = decodeOnce(frame, LINKTYPE_ETHERNET);
  assert.equal(kind, "udp");
  assert.equal(out.dstPort, 443);
});

test("802.3 length + LLC/SNAP carries an ethertype; plain LLC (STP) is not IP", () => {
  const snap = cat(
    MACS,
    hex(`
      00 2c         # 802.3 length 44 (<= 1500, so not an ethertype)
      aa aa 03      # LLC DSAP SNAP, SSAP SNAP, control UI
      00 00 00      # OUI 00-00-00 (RFC 1042)
      08 00         # ethertype IPv4
    `),
    IPV4_TCP_SYN,
  );
  assert.equal(decodeOnce(snap, LINKTYPE_ETHERNET).kind, "tcp");
  const stp = cat(MACS, hex("00 26  42 42 03  00 00 00 00"));
  assert.equal(decodeOnce(stp, LINKTYPE_ETHERNET).kind, "not-ip");
});

test("ARP and LLDP are not IP and raise no weird", () => {
  const arp = cat(MACS, hex("08 06  00 01 08 00 06 04 00 01"));
  const lldp = cat(MACS, hex("88 cc  02 07 04 00 11 22 33 44 55"));
  for (const f of [arp, lldp]) {
    const { kind, weirds } = decodeOnce(f, LINKTYPE_ETHERNET);
    assert.equal(kind, "not-ip");
    assert.equal(weirds.length, 0, JSON.stringify(weirds));
  }
});

test("PPPoE session carrying IPv4", () => {
  const frame = cat(
    MACS,
    hex(`
      88 64         # ethertype PPPoE session
      11 00 12 34   # version 1, type 1, code 0 (session data), session id 0x1234
      00 2e         # PPPoE length 46 = PPP protocol (2) + IP (44)
      00 21         # PPP protocol IPv4
    `),
    IPV4_TCP_SYN,
  );
  const r = newLinkResult();
  assert.equal(decodeEthernet(frame, 0, frame.length, r), LINK_IP);
  assert.equal(r.netOff, 22);
  assert.equal(decodeOnce(frame, LINKTYPE_ETHERNET).kind, "tcp");
  const lcp = cat(MACS, hex("88 64  11 00 12 34 00 06  c0 21 01 01 00 04"));
  assert.equal(decodeOnce(lcp, LINKTYPE_ETHERNET).kind, "not-ip");
});

test("MPLS label stack down to IPv4", () => {
  const frame = cat(
    MACS,
    hex(`
      88 47         # ethertype MPLS unicast
      00 01 00 40   # label 16, TC 0, S 0, TTL 64
      00 01 11 40   # label 17, TC 0, S 1 (bottom of stack), TTL 64
    `),
    IPV4_TCP_SYN,
  );
  const r = newLinkResult();
  assert.equal(decodeEthernet(frame, 0, frame.length, r), LINK_IP);
  assert.equal(r.netOff, 22);
  assert.equal(r.etherType, ETHERTYPE_BY_VERSION);
  assert.equal(decodeOnce(frame, LINKTYPE_ETHERNET).kind, "tcp");
});

test("short headers are weirds named in ETHERNET_WEIRDS", () => {
  const r = newLinkResult();
  assert.equal(decodeEthernet(MACS, 0, 12, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_ethernet_header");
  const tag = cat(MACS, hex("81 00 00"));
  assert.equal(decodeEthernet(tag, 0, tag.length, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_vlan_tag");
  const d = hex("aa aa 03 00");
  assert.equal(resolveEtherType(d, 0, d.length, 0x20, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_llc_header");
  const ppp = hex("11 00 00 01 00 02 00");
  assert.equal(resolveEtherType(ppp, 0, ppp.length, 0x8864, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_pppoe_header");
  const mpls = hex("00 01 00 40");
  assert.equal(resolveEtherType(mpls, 0, mpls.length, 0x8847, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_mpls_header");
  for (const w of ["truncated_ethernet_header", "truncated_vlan_tag", "truncated_llc_header"]) {
    assert.ok((ETHERNET_WEIRDS as readonly string[]).includes(w));
  }
  assert.equal(resolveEtherType(hex("00"), 0, 1, 0x0806, r), LINK_NOT_IP);
});

test("Ethernet padding is not payload: the IP total length bounds it", () => {
  // 60-byte minimum frame: 14 + 33-byte IPv4/UDP + 13 bytes of padding, plus a 4-byte FCS.
  const ip = hex(`
    45 00 00 21 00 01 00 00 40 11 00 00 0a 00 00 01 0a 00 00 02   # IPv4, total length 33
    14 e9 00 35 00 0d 00 00 68 65 6c 6c 6f                         # UDP length 13, "hello"
  `);
  const frame = cat(MACS, hex("08 00"), ip, new Uint8Array(13), hex("de ad be ef"));
  const { kind, out } = decodeOnce(frame, LINKTYPE_ETHERNET);
  assert.equal(kind, "udp");
  assert.equal(out.payloadLen, 5);
  assert.equal(out.ipTotalLen, 33);
});
