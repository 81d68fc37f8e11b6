// Linux NFLOG (239): header, TLVs in host byte order, the payload TLV holding the IP packet.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ETHERTYPE_IPV4,
  LINK_IP,
  LINK_MALFORMED,
  LINK_NOT_IP,
  newLinkResult,
} from "../../../src/decode/link/link-result.ts";
import { LINKTYPE_NFLOG } from "../../../src/decode/link/link-types.ts";
import { decodeNflog } from "../../../src/decode/link/nflog.ts";
import { cat, decodeOnce, hex, IPV4_TCP_SYN, IPV6_UDP_PING } from "../decode-helpers.ts";

test("AF_INET: a prefix TLV, then the payload TLV (little-endian)", () => {
  const frame = cat(
    hex(`
      02 00 00 01   # family AF_INET, version 0, resource id 1
      08 00 01 00   # TLV length 8, type 1 (NFULA_PACKET_HDR)
      08 00 01 00   #   hw protocol 0x0800, hook 1, pad
      05 00 0a 00   # TLV length 5, type 10 (NFULA_PREFIX)
      61 00 00 00   #   "a\\0" padded to 4
      30 00 09 00   # TLV length 48 (4 + 44), type 9 (NFULA_PAYLOAD)
    `),
    IPV4_TCP_SYN,
  );
  const r = newLinkResult();
  assert.equal(decodeNflog(frame, 0, frame.length, r), LINK_IP);
  assert.equal(r.netOff, 24);
  assert.equal(r.etherType, ETHERTYPE_IPV4);
  assert.equal(decodeOnce(frame, LINKTYPE_NFLOG).kind, "tcp");
});

test("AF_INET6 with big-endian TLVs", () => {
  const frame = cat(
    hex("0a 00 00 01   # AF_INET6"),
    hex("00 38 00 09   # BE length 56, type 9"),
    IPV6_UDP_PING,
  );
  assert.equal(decodeOnce(frame, LINKTYPE_NFLOG).kind, "udp");
});

test("no payload TLV, other families, bad TLV lengths", () => {
  const r = newLinkResult();
  const noPayload = hex("02 00 00 01 08 00 01 00 08 00 01 00");
  assert.equal(decodeNflog(noPayload, 0, noPayload.length, r), LINK_NOT_IP);
  const arp = hex("07 00 00 01 08 00 09 00 00 00 00 00");
  assert.equal(decodeNflog(arp, 0, arp.length, r), LINK_NOT_IP);
  const bad = hex("02 00 00 01 02 00 09 00");
  assert.equal(decodeNflog(bad, 0, bad.length, r), LINK_MALFORMED);
  assert.equal(r.weird, "bad_nflog_tlv");
  assert.equal(decodeNflog(bad, 0, 3, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_nflog_header");
});
