// Raw IP link types: 101 and the old DLT_RAW 12/14 by version nibble, 228/229 by link type.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ETHERTYPE_BY_VERSION,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  LINK_IP,
  LINK_MALFORMED,
  newLinkResult,
} from "../../../src/decode/link/link-result.ts";
import {
  DLT_RAW_12,
  DLT_RAW_14,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_RAW,
} from "../../../src/decode/link/link-types.ts";
import { decodeRawIp } from "../../../src/decode/link/raw-ip.ts";
import { decodeOnce, IPV4_TCP_SYN, IPV6_UDP_PING } from "../decode-helpers.ts";

test("the network layer starts at the frame start", () => {
  const r = newLinkResult();
  assert.equal(decodeRawIp(LINKTYPE_RAW, 7, 30, r), LINK_IP);
  assert.equal(r.netOff, 7);
  assert.equal(r.etherType, ETHERTYPE_BY_VERSION);
  decodeRawIp(LINKTYPE_IPV4, 0, 1, r);
  assert.equal(r.etherType, ETHERTYPE_IPV4);
  decodeRawIp(LINKTYPE_IPV6, 0, 1, r);
  assert.equal(r.etherType, ETHERTYPE_IPV6);
  assert.equal(decodeRawIp(LINKTYPE_RAW, 5, 5, r), LINK_MALFORMED);
  assert.equal(r.weird, "empty_raw_ip_frame");
});

test("IPv4 and IPv6 under 101, 12 and 14 by version nibble", () => {
  for (const lt of [LINKTYPE_RAW, DLT_RAW_12, DLT_RAW_14]) {
    assert.equal(decodeOnce(IPV4_TCP_SYN, lt).kind, "tcp", `v4 under ${lt}`);
    assert.equal(decodeOnce(IPV6_UDP_PING, lt).kind, "udp", `v6 under ${lt}`);
  }
});

test("228 and 229 fix the version: a mismatch is bad_ip_version", () => {
  assert.equal(decodeOnce(IPV4_TCP_SYN, LINKTYPE_IPV4).kind, "tcp");
  assert.equal(decodeOnce(IPV6_UDP_PING, LINKTYPE_IPV6).kind, "udp");
  const bad = decodeOnce(IPV6_UDP_PING, LINKTYPE_IPV4);
  assert.equal(bad.kind, "malformed");
  assert.equal(bad.weirds[0].name, "bad_ip_version");
  const nibble = decodeOnce(Uint8Array.of(0x55, 0, 0, 0), LINKTYPE_RAW);
  assert.equal(nibble.kind, "malformed");
  assert.equal(nibble.weirds[0].name, "bad_ip_version");
});
