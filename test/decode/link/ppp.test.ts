// PPP (9), PPP in HDLC-like framing (50), Cisco HDLC (104) and PPPoE (51) from hand-written headers.

import assert from "node:assert/strict";
import { test } from "node:test";
import { LINK_IP, LINK_MALFORMED, LINK_NOT_IP, newLinkResult } from "../../../src/decode/link/link-result.ts";
import {
  LINKTYPE_C_HDLC,
  LINKTYPE_PPP,
  LINKTYPE_PPP_ETHER,
  LINKTYPE_PPP_HDLC,
} from "../../../src/decode/link/link-types.ts";
import { decodePpp, decodePppHdlc } from "../../../src/decode/link/ppp.ts";
import { cat, decodeOnce, hex, IPV4_TCP_SYN, IPV6_UDP_PING } from "../decode-helpers.ts";

function netOff(f: Uint8Array): number {
  const r = newLinkResult();
  assert.equal(decodePpp(f, 0, f.length, r), LINK_IP);
  return r.netOff;
}

test("PPP protocol field: plain, behind FF 03, and compressed to one byte", () => {
  assert.equal(netOff(cat(hex("00 21   # IPv4"), IPV4_TCP_SYN)), 2);
  assert.equal(netOff(cat(hex("ff 03 00 21   # address, control, IPv4"), IPV4_TCP_SYN)), 4);
  assert.equal(netOff(cat(hex("21   # compressed protocol IPv4"), IPV4_TCP_SYN)), 1);
  assert.equal(netOff(cat(hex("ff 03 00 57   # IPv6"), IPV6_UDP_PING)), 4);
  assert.equal(decodeOnce(cat(hex("ff 03 00 21"), IPV4_TCP_SYN), LINKTYPE_PPP).kind, "tcp");
});

test("PPP MPLS (0x0281) down to IPv4", () => {
  const f = cat(
    hex("ff 03 02 81   # MPLS unicast"),
    hex("00 01 11 40   # label 17, bottom of stack"),
    IPV4_TCP_SYN,
  );
  assert.equal(netOff(f), 8);
});

test("LCP and other control protocols are not IP; an empty frame is a weird", () => {
  const r = newLinkResult();
  const lcp = hex("ff 03 c0 21 01 01 00 04");
  assert.equal(decodePpp(lcp, 0, lcp.length, r), LINK_NOT_IP);
  assert.equal(decodePpp(lcp, 0, 2, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_ppp_header");
  assert.equal(decodePpp(hex("00"), 0, 1, r), LINK_MALFORMED);
});

test("PPP_HDLC: RFC 1662 framing and Cisco HDLC both", () => {
  assert.equal(decodeOnce(cat(hex("ff 03 00 21"), IPV4_TCP_SYN), LINKTYPE_PPP_HDLC).kind, "tcp");
  const chdlc = cat(hex("0f 00 08 00   # Cisco HDLC unicast, control 0, ethertype IPv4"), IPV4_TCP_SYN);
  const r = newLinkResult();
  assert.equal(decodePppHdlc(chdlc, 0, chdlc.length, r), LINK_IP);
  assert.equal(r.netOff, 4);
  assert.equal(decodeOnce(chdlc, LINKTYPE_PPP_HDLC).kind, "tcp");
  const multicast = cat(hex("8f 00 86 dd"), IPV6_UDP_PING);
  assert.equal(decodeOnce(multicast, LINKTYPE_C_HDLC).kind, "udp");
  const short = decodeOnce(hex("0f 00 08"), LINKTYPE_C_HDLC);
  assert.equal(short.weirds[0].name, "truncated_chdlc_header");
});

test("PPP_ETHER: the PPPoE header then PPP", () => {
  const f = cat(hex("11 00 00 07 00 2e   # PPPoE v1 t1, session 7, length 46"), hex("00 21"), IPV4_TCP_SYN);
  assert.equal(decodeOnce(f, LINKTYPE_PPP_ETHER).kind, "tcp");
  assert.equal(decodeOnce(hex("11 00 00"), LINKTYPE_PPP_ETHER).weirds[0].name, "truncated_pppoe_header");
});
