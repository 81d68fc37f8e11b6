// Linux cooked capture v2 (276) from hand-written headers.

import assert from "node:assert/strict";
import { test } from "node:test";
import { LINK_IP, LINK_MALFORMED, newLinkResult } from "../../../src/decode/link/link-result.ts";
import { LINKTYPE_LINUX_SLL2 } from "../../../src/decode/link/link-types.ts";
import { decodeSll2 } from "../../../src/decode/link/sll2.ts";
import { addr, cat, decodeOnce, hex, payloadText } from "../decode-helpers.ts";

test("SLL2 + IPv6 + hop-by-hop + UDP", () => {
  const frame = hex(`
    86 dd                     # SLL2 protocol IPv6
    00 00                     # reserved
    00 00 00 02               # interface index 2
    00 01                     # ARPHRD_ETHER
    04                        # packet type: outgoing
    06                        # address length 6
    66 77 88 99 aa bb 00 00   # address, padded to 8
    60 00 00 00               # IPv6, traffic class 0, flow 0
    00 18 00 40               # payload length 24, next header 0 (hop-by-hop), hop limit 64
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # source 2001:db8::1
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # destination 2001:db8::2
    11 00                     # hop-by-hop: next header 17 (UDP), length 0 (8 bytes)
    01 04 00 00 00 00         # PadN option, 4 bytes of padding
    d4 31 00 35               # UDP 54321 → 53
    00 10 00 00               # UDP length 16, checksum
    61 62 63 64 65 66 67 68   # "abcdefgh"
  `);
  const r = newLinkResult();
  assert.equal(decodeSll2(frame, 0, frame.length, r), LINK_IP);
  assert.equal(r.netOff, 20);
  const { kind, out, weirds } = decodeOnce(frame, LINKTYPE_LINUX_SLL2);
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  assert.equal(kind, "udp");
  assert.equal(out.ipVersion, 6);
  assert.equal(out.ipProto, 17);
  assert.equal(addr(out, out.srcOff), "2001:db8:0:0:0:0:0:1");
  assert.equal(addr(out, out.dstOff), "2001:db8:0:0:0:0:0:2");
  assert.equal(out.srcPort, 54321);
  assert.equal(out.dstPort, 53);
  assert.equal(payloadText(out), "abcdefgh");
  assert.equal(out.ipTotalLen, 64);
});

test("a short SLL2 header is a weird", () => {
  const r = newLinkResult();
  const d = cat(hex("08 00 00 00 00 00 00 02 00 01 00 06"), new Uint8Array(7));
  assert.equal(decodeSll2(d, 0, d.length, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_sll2_header");
});
