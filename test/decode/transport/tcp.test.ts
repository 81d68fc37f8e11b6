// TCP headers: every field at its place, options skipped, snaplen-cut options tolerated, refusals.

import assert from "node:assert/strict";
import { test } from "node:test";
import { newIpResult } from "../../../src/decode/ip/ip-result.ts";
import {
  decodeTcp,
  TCP_WEIRDS,
  TRANSPORT_MALFORMED,
  TRANSPORT_OK,
} from "../../../src/decode/transport/tcp.ts";
import { newPacketLayers } from "../../../src/model/layers.ts";
import { hex } from "../decode-helpers.ts";

const SEGMENT = hex(`
  01 bb d4 31   # source port 443, destination port 54321
  89 ab cd ef   # sequence 0x89abcdef (above 2^31: must stay unsigned)
  fe dc ba 98   # acknowledgement 0xfedcba98
  80 18 01 f5   # data offset 8 (32 bytes), flags PSH+ACK, window 501
  00 00 00 00   # checksum, urgent pointer
  01 01 08 0a   # NOP, NOP, timestamps option...
  00 00 00 01 00 00 00 02   # ...TSval 1, TSecr 2
  47 45 54 20 2f   # payload "GET /"
`);

function tcp(d: Uint8Array, end = d.length, wire = d.length) {
  const out = newPacketLayers();
  const p = newIpResult();
  const status = decodeTcp(d, 0, end, wire, out, p);
  return { status, out, p };
}

test("ports, sequence numbers, flags, window and the payload after the options", () => {
  const { status, out } = tcp(SEGMENT);
  assert.equal(status, TRANSPORT_OK);
  assert.equal(out.srcPort, 443);
  assert.equal(out.dstPort, 54321);
  assert.equal(out.tcpSeq, 0x89abcdef);
  assert.equal(out.tcpAck, 0xfedcba98);
  assert.equal(out.tcpFlags, 0x18);
  assert.equal(out.tcpWindow, 501);
  assert.equal(out.payloadOff, 32);
  assert.equal(out.payloadLen, 5);
  assert.equal(out.payloadWireLen, 5);
});

test("a snaplen cut: payload partly captured, or options cut (the fixed part still decodes)", () => {
  const part = tcp(SEGMENT, 34, SEGMENT.length);
  assert.equal(part.status, TRANSPORT_OK);
  assert.equal(part.out.payloadLen, 2);
  assert.equal(part.out.payloadWireLen, 5);
  const opts = tcp(SEGMENT, 24, SEGMENT.length);
  assert.equal(opts.status, TRANSPORT_OK);
  assert.equal(opts.out.tcpSeq, 0x89abcdef);
  assert.equal(opts.out.payloadLen, 0);
  assert.equal(opts.out.payloadWireLen, 5);
});

test("refusals: fewer than 20 bytes, data offset below 5 or beyond the segment", () => {
  const short = tcp(SEGMENT, 19, 19);
  assert.equal(short.status, TRANSPORT_MALFORMED);
  assert.equal(short.p.weird, "truncated_tcp_header");
  const low = SEGMENT.slice();
  low[12] = 0x40;
  assert.equal(tcp(low).p.weird, "bad_tcp_header_length");
  const high = SEGMENT.slice(0, 24);
  high[12] = 0xf0; // 60 bytes in a 24-byte segment
  assert.equal(tcp(high).p.weird, "bad_tcp_header_length");
  assert.deepEqual([...TCP_WEIRDS].sort(), ["bad_tcp_header_length", "truncated_tcp_header"]);
});
