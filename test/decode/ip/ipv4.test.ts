// IPv4 headers: addresses and protocol, options, the true datagram extent, TSO, fragments, and every
// refusal as a weird.

import assert from "node:assert/strict";
import { test } from "node:test";
import { IP_FRAGMENT, IP_MALFORMED, IP_OK, newIpResult } from "../../../src/decode/ip/ip-result.ts";
import { decodeIpv4, IPV4_WEIRDS } from "../../../src/decode/ip/ipv4.ts";
import { LINKTYPE_RAW } from "../../../src/decode/link/link-types.ts";
import { newPacketLayers } from "../../../src/model/layers.ts";
import { addr, cat, decodeOnce, hex, IPV4_TCP_SYN, IPV4_UDP_HELLO } from "../decode-helpers.ts";

function v4(d: Uint8Array, wire = d.length) {
  const out = newPacketLayers();
  const r = newIpResult();
  const status = decodeIpv4(d, 0, d.length, wire, out, r);
  return { status, out, r };
}

test("addresses, protocol, lengths and the transport offset", () => {
  const { status, out, r } = v4(IPV4_TCP_SYN);
  assert.equal(status, IP_OK);
  assert.equal(out.ipVersion, 4);
  assert.equal(addr(out, out.srcOff), "192.168.1.2");
  assert.equal(addr(out, out.dstOff), "93.184.216.34");
  assert.equal(out.ipProto, 6);
  assert.equal(out.ipTotalLen, 44);
  assert.equal(r.l4Off, 20);
  assert.equal(r.l4End, 44);
  assert.equal(r.l4WireLen, 24);
});

test("options are skipped by the header length", () => {
  const d = hex(`
    46 00 00 25   # IHL 6 (24 bytes), total length 37
    00 02 00 00 40 11 00 00 0a 00 00 01 0a 00 00 02
    94 04 00 00   # option: router alert (RFC 2113)
    14 e9 00 35 00 0d 00 00 68 65 6c 6c 6f   # UDP, "hello"
  `);
  const { status, r } = v4(d);
  assert.equal(status, IP_OK);
  assert.equal(r.l4Off, 24);
  const { kind, out } = decodeOnce(d, LINKTYPE_RAW);
  assert.equal(kind, "udp");
  assert.equal(out.payloadOff, 32);
  assert.equal(out.payloadLen, 5);
});

test("trailing bytes beyond the total length are not the datagram's", () => {
  const { r } = v4(cat(IPV4_UDP_HELLO, hex("00 00 00 00 00 00 de ad be ef")));
  assert.equal(r.l4End, 33);
});

test("snaplen: a datagram longer than the capture is fine when the wire had it", () => {
  const cut = IPV4_TCP_SYN.subarray(0, 40);
  const ok = v4(cut, 44);
  assert.equal(ok.status, IP_OK);
  assert.equal(ok.r.l4End, 40);
  assert.equal(ok.r.l4WireLen, 24);
  const bad = v4(cut, 40);
  assert.equal(bad.status, IP_MALFORMED);
  assert.equal(bad.r.weird, "ip_total_length_mismatch");
});

test("total length 0 (TSO super-packet) takes the frame's length, as Wireshark presumes", () => {
  const d = IPV4_TCP_SYN.slice();
  d[2] = 0;
  d[3] = 0;
  const { status, out, r } = v4(cat(d, new Uint8Array(100)));
  assert.equal(status, IP_OK);
  assert.equal(out.ipTotalLen, 144);
  assert.equal(r.l4WireLen, 124);
});

test("refusals: short, wrong version, bad header length, total below header length", () => {
  const cases: [Uint8Array, string][] = [
    [IPV4_TCP_SYN.subarray(0, 19), "truncated_ip_header"],
    [hex("65 00 00 14 00 00 00 00 40 06 00 00 01 02 03 04 05 06 07 08"), "bad_ip_version"],
    [hex("44 00 00 14 00 00 00 00 40 06 00 00 01 02 03 04 05 06 07 08"), "bad_ipv4_header_length"],
    [hex("4f 00 00 3c 00 00 00 00 40 06 00 00 01 02 03 04 05 06 07 08"), "truncated_ip_header"],
    [hex("45 00 00 10 00 00 00 00 40 06 00 00 01 02 03 04 05 06 07 08"), "bad_ipv4_total_length"],
  ];
  for (const [d, name] of cases) {
    const { status, r } = v4(d);
    assert.equal(status, IP_MALFORMED, name);
    assert.equal(r.weird, name);
    assert.ok((IPV4_WEIRDS as readonly string[]).includes(name));
  }
});

test("fragment fields: MF with offset 0, and a last fragment at offset 1480", () => {
  const first = IPV4_UDP_HELLO.slice();
  first[6] = 0x20; // MF
  const a = v4(first);
  assert.equal(a.status, IP_FRAGMENT);
  assert.equal(a.r.fragId, 1);
  assert.equal(a.r.fragOffset, 0);
  assert.equal(a.r.fragMore, true);
  assert.equal(a.r.fragProto, 17);
  const last = IPV4_UDP_HELLO.slice();
  last[6] = 0x00;
  last[7] = 185; // 185 * 8 = 1480
  const b = v4(last);
  assert.equal(b.status, IP_FRAGMENT);
  assert.equal(b.r.fragOffset, 1480);
  assert.equal(b.r.fragMore, false);
  const df = v4(IPV4_TCP_SYN); // DF alone is not a fragment
  assert.equal(df.status, IP_OK);
});
