// Per-Packet Information (192): a little-endian wrapper naming the inner DLT.

import assert from "node:assert/strict";
import { test } from "node:test";
import { LINK_MALFORMED, LINK_NESTED, newLinkResult } from "../../../src/decode/link/link-result.ts";
import { LINKTYPE_PPI } from "../../../src/decode/link/link-types.ts";
import { decodePpi } from "../../../src/decode/link/ppi.ts";
import { cat, decodeOnce, hex, IPV4_TCP_SYN } from "../decode-helpers.ts";

const PPI_80211 = hex(`
  00            # version 0
  00            # flags
  14 00         # header length 20
  69 00 00 00   # DLT 105 (802.11)
  02 00 08 00   # field: 802.11-Common, 8 bytes (content irrelevant here)
  00 00 00 00 00 00 00 00
`);

test("PPI + 802.11 data + LLC/SNAP + IPv4", () => {
  const wlan = hex(`
    08 01 00 00                                            # data, ToDS
    00 11 22 33 44 55 66 77 88 99 aa bb 02 00 00 00 00 01  # addresses
    10 00                                                  # sequence
    aa aa 03 00 00 00 08 00                                # LLC/SNAP IPv4
  `);
  const frame = cat(PPI_80211, wlan, IPV4_TCP_SYN);
  const r = newLinkResult();
  assert.equal(decodePpi(frame, 0, frame.length, r), LINK_NESTED);
  assert.equal(r.innerLinkType, 105);
  assert.equal(r.netOff, 20);
  assert.equal(decodeOnce(frame, LINKTYPE_PPI).kind, "tcp");
});

test("bad version, short and oversized lengths are weirds", () => {
  const r = newLinkResult();
  assert.equal(decodePpi(hex("01 00 08 00 01 00 00 00"), 0, 8, r), LINK_MALFORMED);
  assert.equal(r.weird, "bad_ppi_header");
  assert.equal(decodePpi(hex("00 00 04 00 01 00 00 00"), 0, 8, r), LINK_MALFORMED);
  assert.equal(r.weird, "bad_ppi_header");
  assert.equal(decodePpi(hex("00 00 40 00 01 00 00 00"), 0, 8, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_ppi_header");
});
