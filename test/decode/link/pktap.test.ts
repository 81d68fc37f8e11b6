// Apple PKTAP (258, and USER2 149): header length, record type, then the inner DLT (layout as tshark
// dissects it: "Header length", "Record type", "DLT").

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  LINK_MALFORMED,
  LINK_NESTED,
  LINK_NOT_IP,
  newLinkResult,
} from "../../../src/decode/link/link-result.ts";
import { LINKTYPE_PKTAP, LINKTYPE_USER2 } from "../../../src/decode/link/link-types.ts";
import { decodePktap } from "../../../src/decode/link/pktap.ts";
import { cat, decodeOnce, hex, IPV4_TCP_SYN, IPV6_UDP_PING } from "../decode-helpers.ts";

/** A 108-byte pktap_header v1 (little-endian) naming the inner DLT. */
function pktapHeader(innerDlt: number, len = 108): Uint8Array {
  const h = new Uint8Array(len);
  h.set(
    hex(`
    6c 00 00 00   # pth_length 108
    01 00 00 00   # pth_type_next: 1, a packet follows
    00 00 00 00   # pth_dlt: inner DLT (set below)
  `),
  );
  h[0] = len & 0xff;
  h[1] = len >> 8;
  h[8] = innerDlt & 0xff;
  h[9] = innerDlt >> 8;
  h.set(new TextEncoder().encode("en0"), 12); // pth_ifname
  return h;
}

test("PKTAP with an inner Ethernet frame", () => {
  const eth = cat(hex("00 11 22 33 44 55 66 77 88 99 aa bb 08 00"), IPV4_TCP_SYN);
  const frame = cat(pktapHeader(1), eth);
  const r = newLinkResult();
  assert.equal(decodePktap(frame, 0, frame.length, r), LINK_NESTED);
  assert.equal(r.netOff, 108);
  assert.equal(r.innerLinkType, 1);
  const { kind, out } = decodeOnce(frame, LINKTYPE_PKTAP);
  assert.equal(kind, "tcp");
  assert.equal(out.srcOff, 108 + 14 + 12);
});

test("PKTAP under USER2 with an inner NULL (utun) frame, and a longer header", () => {
  const frame = cat(pktapHeader(0, 156), hex("1e 00 00 00"), IPV6_UDP_PING);
  const { kind, out } = decodeOnce(frame, LINKTYPE_USER2);
  assert.equal(kind, "udp");
  assert.equal(out.srcOff, 156 + 4 + 8);
});

test("record types other than a packet carry no frame", () => {
  const h = pktapHeader(1);
  h[4] = 0; // PTH_TYPE_NONE
  const r = newLinkResult();
  assert.equal(decodePktap(h, 0, h.length, r), LINK_NOT_IP);
});

test("short or oversized header lengths are weirds", () => {
  const r = newLinkResult();
  const zero = cat(hex("00 00 00 00 01 00 00 00 01 00 00 00"), new Uint8Array(80));
  assert.equal(decodePktap(zero, 0, zero.length, r), LINK_MALFORMED);
  assert.equal(r.weird, "bad_pktap_header_length");
  const big = cat(hex("00 04 00 00 01 00 00 00 01 00 00 00"), new Uint8Array(200));
  assert.equal(decodePktap(big, 0, big.length, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_pktap_header");
  assert.equal(decodePktap(big, 0, 11, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_pktap_header");
});

test("a PKTAP header naming PKTAP again and again stops at the nesting bound", () => {
  let frame = cat(hex("00 11 22 33 44 55 66 77 88 99 aa bb 08 00"), IPV4_TCP_SYN);
  frame = cat(pktapHeader(1), frame);
  for (let i = 0; i < 8; i++) frame = cat(pktapHeader(258), frame);
  const { kind, weirds } = decodeOnce(frame, LINKTYPE_PKTAP);
  assert.equal(kind, "malformed");
  assert.equal(weirds[0].name, "link_nesting_too_deep");
});
