// Dispatch by link type: every known link type reaches IP, unknown ones say so, wrappers nest boundedly.

import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeLink } from "../../../src/decode/link/link-decoder.ts";
import { LINK_IP, LINK_UNKNOWN, newLinkResult } from "../../../src/decode/link/link-result.ts";
import { cat, hex, IPV4_TCP_SYN } from "../decode-helpers.ts";

/** One minimal frame per link type, each ending in IPV4_TCP_SYN, with the offset where IP starts. */
const FRAMES: [number, Uint8Array, number][] = [
  [0, hex("02 00 00 00"), 4],
  [1, hex("00 11 22 33 44 55 66 77 88 99 aa bb 08 00"), 14],
  [9, hex("00 21"), 2],
  [12, hex(""), 0],
  [14, hex(""), 0],
  [50, hex("ff 03 00 21"), 4],
  [51, hex("11 00 00 01 00 2e 00 21"), 8],
  [101, hex(""), 0],
  [104, hex("0f 00 08 00"), 4],
  [
    105,
    hex("08 01 00 00 00 11 22 33 44 55 66 77 88 99 aa bb 02 00 00 00 00 01 10 00 aa aa 03 00 00 00 08 00"),
    32,
  ],
  [108, hex("00 00 00 02"), 4],
  [113, hex("00 00 00 01 00 06 66 77 88 99 aa bb 00 00 08 00"), 16],
  [
    127,
    cat(
      hex("00 00 08 00 00 00 00 00"),
      hex("08 01 00 00 00 11 22 33 44 55 66 77 88 99 aa bb 02 00 00 00 00 01 10 00 aa aa 03 00 00 00 08 00"),
    ),
    40,
  ],
  [192, cat(hex("00 00 08 00 01 00 00 00"), hex("00 11 22 33 44 55 66 77 88 99 aa bb 08 00")), 22],
  [228, hex(""), 0],
  [239, hex("02 00 00 01 30 00 09 00"), 8],
  [276, hex("08 00 00 00 00 00 00 02 00 01 00 06 66 77 88 99 aa bb 00 00"), 20],
];

test("every supported link type reaches the IPv4 header at the right offset", () => {
  const r = newLinkResult();
  for (const [lt, head, netOff] of FRAMES) {
    const f = cat(head, IPV4_TCP_SYN);
    assert.equal(decodeLink(lt, f, 0, f.length, r), LINK_IP, `link type ${lt}`);
    assert.equal(r.netOff, netOff, `link type ${lt}`);
  }
  const pktap = new Uint8Array(108);
  pktap[0] = 108;
  pktap[4] = 1; // record type: packet
  pktap[8] = 101; // inner DLT: raw IP
  for (const lt of [149, 258]) {
    const f = cat(pktap, IPV4_TCP_SYN);
    assert.equal(decodeLink(lt, f, 0, f.length, r), LINK_IP);
    assert.equal(r.netOff, 108);
  }
});

test("frames start at the packet offset, not at 0", () => {
  const r = newLinkResult();
  const f = cat(hex("ee ee ee"), hex("00 11 22 33 44 55 66 77 88 99 aa bb 08 00"), IPV4_TCP_SYN);
  assert.equal(decodeLink(1, f, 3, f.length, r), LINK_IP);
  assert.equal(r.netOff, 17);
});

test("unknown link types, top level or inside a wrapper, report the type nobody decodes", () => {
  const r = newLinkResult();
  assert.equal(decodeLink(147, IPV4_TCP_SYN, 0, IPV4_TCP_SYN.length, r), LINK_UNKNOWN);
  assert.equal(r.innerLinkType, 147);
  const ppi = cat(hex("00 00 08 00 e7 03 00 00   # PPI naming DLT 999"), IPV4_TCP_SYN);
  assert.equal(decodeLink(192, ppi, 0, ppi.length, r), LINK_UNKNOWN);
  assert.equal(r.innerLinkType, 999);
});
