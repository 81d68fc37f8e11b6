// UDP headers: ports and the payload per the UDP length, jumbogram length 0, refusals and oddities.

import assert from "node:assert/strict";
import { test } from "node:test";
import { newIpResult } from "../../../src/decode/ip/ip-result.ts";
import { TRANSPORT_MALFORMED, TRANSPORT_ODD, TRANSPORT_OK } from "../../../src/decode/transport/tcp.ts";
import { decodeUdp } from "../../../src/decode/transport/udp.ts";
import { newPacketLayers } from "../../../src/model/layers.ts";
import { cat, hex } from "../decode-helpers.ts";

const DATAGRAM = hex(`
  00 35 e1 10   # source port 53, destination port 57616
  00 0d 12 34   # length 13, checksum
  68 65 6c 6c 6f   # "hello"
`);

function udp(d: Uint8Array, end = d.length, wire = d.length) {
  const out = newPacketLayers();
  out.tcpSeq = 99; // left over from an earlier TCP packet
  const p = newIpResult();
  const status = decodeUdp(d, 0, end, wire, out, p);
  return { status, out, p };
}

test("ports and payload; TCP fields cleared", () => {
  const { status, out } = udp(DATAGRAM);
  assert.equal(status, TRANSPORT_OK);
  assert.equal(out.srcPort, 53);
  assert.equal(out.dstPort, 57616);
  assert.equal(out.payloadOff, 8);
  assert.equal(out.payloadLen, 5);
  assert.equal(out.payloadWireLen, 5);
  assert.equal(out.tcpSeq, 0);
});

test("snaplen-cut payload", () => {
  const { status, out } = udp(DATAGRAM, 10, 13);
  assert.equal(status, TRANSPORT_OK);
  assert.equal(out.payloadLen, 2);
  assert.equal(out.payloadWireLen, 5);
});

test("a UDP length shorter than the IP payload: the datagram ends there, with a weird", () => {
  const { status, out, p } = udp(cat(DATAGRAM, hex("00 00 00")));
  assert.equal(status, TRANSPORT_ODD);
  assert.equal(p.weird, "udp_length_mismatch");
  assert.equal(out.payloadLen, 5);
});

test("length 0 stands for the IP length only above 65535 (RFC 2675)", () => {
  const big = new Uint8Array(70000);
  big.set(hex("00 35 e1 10 00 00 00 00"));
  const j = udp(big);
  assert.equal(j.status, TRANSPORT_OK);
  assert.equal(j.out.payloadWireLen, 70000 - 8);
  const zero = DATAGRAM.slice();
  zero[5] = 0;
  assert.equal(udp(zero).p.weird, "bad_udp_length");
});

test("refusals: short header, length below 8 or above the IP payload", () => {
  assert.equal(udp(DATAGRAM, 7, 7).p.weird, "truncated_udp_header");
  const seven = DATAGRAM.slice();
  seven[5] = 7;
  assert.equal(udp(seven).status, TRANSPORT_MALFORMED);
  const long = DATAGRAM.slice();
  long[5] = 14;
  assert.equal(udp(long).p.weird, "bad_udp_length");
});
