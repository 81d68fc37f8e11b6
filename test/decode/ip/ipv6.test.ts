// IPv6 headers: the extension header chain (hop-by-hop, routing, destination options, AH, fragment),
// ESP and no-next-header, jumbograms, and refusals as weirds.

import assert from "node:assert/strict";
import { test } from "node:test";
import { IP_FRAGMENT, IP_MALFORMED, IP_OK, newIpResult } from "../../../src/decode/ip/ip-result.ts";
import { decodeIpv6 } from "../../../src/decode/ip/ipv6.ts";
import { LINKTYPE_RAW } from "../../../src/decode/link/link-types.ts";
import { newPacketLayers } from "../../../src/model/layers.ts";
import { cat, decodeOnce, hex, IPV6_UDP_PING, payloadText } from "../decode-helpers.ts";

const ADDRS = hex(`
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # source 2001:db8::1
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # destination 2001:db8::2
`);
const UDP_PING = hex('9c 40 01 bb 00 0c 00 00 70 69 6e 67   # UDP 40000 → 443, length 12, "ping"');

/** A fixed header with the given payload length and next header. */
function fixed(payloadLen: number, nh: number): Uint8Array {
  return cat(hex("60 00 00 00"), Uint8Array.of(payloadLen >> 8, payloadLen & 0xff, nh, 64), ADDRS);
}

function v6(d: Uint8Array, wire = d.length) {
  const out = newPacketLayers();
  const r = newIpResult();
  const status = decodeIpv6(d, 0, d.length, wire, out, r);
  return { status, out, r };
}

test("the plain header: addresses, next header, lengths", () => {
  const { status, out, r } = v6(IPV6_UDP_PING);
  assert.equal(status, IP_OK);
  assert.equal(out.addrLen, 16);
  assert.equal(out.srcOff, 8);
  assert.equal(out.dstOff, 24);
  assert.equal(out.ipProto, 17);
  assert.equal(out.ipTotalLen, 52);
  assert.equal(r.l4Off, 40);
  assert.equal(r.l4WireLen, 12);
});

test("hop-by-hop, routing, destination options and AH before UDP", () => {
  const chain = hex(`
    2b 00 01 04 00 00 00 00   # hop-by-hop: next 43 (routing), 8 bytes, PadN
    3c 02 00 01 00 00 00 00   # routing: next 60 (dest opts), length 2 (24 bytes), type 0, segments left 1
    00 00 00 00 00 00 00 00   #   (reserved)
    00 00 00 00 00 00 00 00   #   (a 2001:db8::-ish address half)
    33 00 01 04 00 00 00 00   # destination options: next 51 (AH), 8 bytes, PadN
    11 04 00 00 00 00 10 00   # AH: next 17 (UDP), length 4 → (4+2)*4 = 24 bytes, SPI 0x1000
    00 00 00 01 00 00 00 00   #   sequence 1, ICV...
    00 00 00 00 00 00 00 00   #   ...ICV
  `);
  const d = cat(fixed(chain.length + 12, 0), chain, UDP_PING);
  const { status, out, r } = v6(d);
  assert.equal(status, IP_OK);
  assert.equal(out.ipProto, 17);
  assert.equal(r.l4Off, 40 + chain.length);
  const dec = decodeOnce(d, LINKTYPE_RAW);
  assert.equal(dec.kind, "udp");
  assert.equal(payloadText(dec.out), "ping");
});

test("ESP and no-next-header end the chain as other-ip", () => {
  const esp = cat(fixed(16, 50), hex("00 00 10 00 00 00 00 01 de ad be ef de ad be ef"));
  assert.equal(v6(esp).out.ipProto, 50);
  assert.equal(decodeOnce(esp, LINKTYPE_RAW).kind, "other-ip");
  const none = cat(fixed(8, 0), hex("3b 00 01 04 00 00 00 00   # hop-by-hop, next 59"));
  assert.equal(decodeOnce(none, LINKTYPE_RAW).kind, "other-ip");
});

test("a fragment header: fields, and data after it", () => {
  const frag = hex(`
    11 00         # next header 17, reserved
    05 a9         # offset 181 (*8 = 1448), res 0, M 1
    de ad be ef   # identification
  `);
  const d = cat(fixed(8 + 12, 44), frag, UDP_PING);
  const { status, out, r } = v6(d);
  assert.equal(status, IP_FRAGMENT);
  assert.equal(r.fragOffset, 1448);
  assert.equal(r.fragMore, true);
  assert.equal(r.fragId, 0xdeadbeef);
  assert.equal(r.fragProto, 17);
  assert.equal(out.ipProto, 17);
  assert.equal(r.l4Off, 48);
  assert.equal(r.l4End, 60);
});

test("an atomic fragment (offset 0, M 0; RFC 6946) is read through", () => {
  const d = cat(fixed(8 + 12, 44), hex("11 00 00 00 00 00 00 07"), UDP_PING);
  assert.equal(v6(d).status, IP_OK);
  assert.equal(decodeOnce(d, LINKTYPE_RAW).kind, "udp");
});

test("jumbogram: payload length 0 and the hop-by-hop Jumbo Payload option (RFC 2675)", () => {
  const body = new Uint8Array(70000);
  body.set(hex("9c 40 01 bb 00 00 00 00"), 0); // UDP length 0: see the IP length (RFC 2675 4)
  const hbh = hex(`
    11 00         # next 17, 8 bytes
    c2 04         # Jumbo Payload option, 4 bytes
    00 01 11 78   # 70008 = 8 (this header) + 70000
  `);
  const d = cat(fixed(0, 0), hbh, body);
  const { status, out } = v6(d);
  assert.equal(status, IP_OK);
  assert.equal(out.ipTotalLen, 40 + 70008);
  const dec = decodeOnce(d, LINKTYPE_RAW);
  assert.equal(dec.kind, "udp");
  assert.equal(dec.out.payloadLen, 70000 - 8);
  const missing = cat(fixed(0, 0), hex("11 00 01 04 00 00 00 00"), body.subarray(0, 100));
  assert.equal(v6(missing).r.weird, "ipv6_missing_jumbo_payload");
});

test("refusals: short, wrong version, truncated extension header, length beyond the frame", () => {
  assert.equal(v6(IPV6_UDP_PING.subarray(0, 39)).r.weird, "truncated_ip_header");
  const v4ish = IPV6_UDP_PING.slice();
  v4ish[0] = 0x45;
  assert.equal(v6(v4ish).r.weird, "bad_ip_version");
  const cutExt = cat(fixed(16, 43), hex("11 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00"));
  const e = v6(cutExt);
  assert.equal(e.status, IP_MALFORMED);
  assert.equal(e.r.weird, "ipv6_ext_header_truncated");
  const long = v6(cat(fixed(100, 17), UDP_PING));
  assert.equal(long.r.weird, "ip_total_length_mismatch");
  const snap = v6(cat(fixed(100, 17), UDP_PING), 140);
  assert.equal(snap.status, IP_OK);
  assert.equal(snap.r.l4WireLen, 100);
});
