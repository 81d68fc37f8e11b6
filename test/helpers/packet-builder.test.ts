// The IP and transport builders against textbook bytes and tshark: IPv4 header checksum, TCP flags and
// options, a deliberately bad checksum that tshark must flag, IPv4/IPv6 fragments that reassemble.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  internetChecksum,
  ipv4,
  ipv4Fragments,
  ipv6Fragments,
  LINKTYPE,
  PROTO,
  parseIpv4,
  tcp,
  tcpFlags,
  tcpOptions,
  udp,
  utf8,
} from "./packet-builder.ts";
import { CHECKSUM_BAD, CHECKSUM_GOOD, NO_TSHARK, tsharkFrameFields } from "./tshark.ts";

const tsharkFields = tsharkFrameFields;
const GOOD = CHECKSUM_GOOD;
const BAD = CHECKSUM_BAD;

test("an IPv4 header equals the textbook example byte for byte", () => {
  // The classic header 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7, checksum b861.
  const pkt = ipv4({
    src: "192.168.0.1",
    dst: "192.168.0.199",
    proto: PROTO.udp,
    dontFragment: true,
    payload: new Uint8Array(0x73 - 20),
    l4Checksum: false,
  });
  assert.equal(
    Buffer.from(pkt.subarray(0, 20)).toString("hex"),
    "450000730000400040 11b861c0a80001c0a800c7".replace(" ", ""),
  );
});

test("tcpFlags and tcpOptions encode what RFC 9293 and RFC 7323 say", () => {
  assert.equal(tcpFlags("SA"), 0x12);
  assert.equal(tcpFlags("FPA"), 0x19);
  assert.throws(() => tcpFlags("X"));
  const o = tcpOptions({ mss: 1460, sackPerm: true, ts: [1, 2], wscale: 7 });
  assert.equal(
    Buffer.from(o).toString("hex"),
    "020405b404020101080a0000000100000002010303 07".replace(" ", ""),
  );
});

test("any IPv4 TCP packet's header and pseudo-header checksums verify", () => {
  const addr = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join("."));
  fc.assert(
    fc.property(
      addr,
      addr,
      fc.uint8Array({ maxLength: 200 }),
      fc.nat(0xffffffff),
      (src, dst, payload, seq) => {
        const seg = tcp({ srcPort: 1, dstPort: 2, seq, ack: 0, flags: "PA", payload });
        const pkt = ipv4({ src, dst, proto: PROTO.tcp, payload: seg });
        assert.equal(internetChecksum([pkt.subarray(0, 20)]), 0);
        const pseudo = Uint8Array.of(0, PROTO.tcp, seg.length >> 8, seg.length & 0xff);
        assert.equal(internetChecksum([parseIpv4(src), parseIpv4(dst), pseudo, pkt.subarray(20)]), 0);
      },
    ),
    { numRuns: 10000 },
  );
});

test("a corrupted checksum is reported Bad, so the Good results above mean something", {
  skip: NO_TSHARK,
}, () => {
  const pkt = ipv4({
    src: "10.0.0.2",
    dst: "10.0.0.1",
    proto: PROTO.udp,
    payload: udp({ srcPort: 1, dstPort: 2, payload: utf8("x") }),
  });
  pkt[pkt.length - 1] ^= 0xff;
  const [row] = tsharkFields([pkt], LINKTYPE.raw, ["udp.checksum.status"]);
  assert.deepEqual(row, [BAD]);
});

test("IPv4 and IPv6 fragments reassemble in tshark to a datagram with a Good checksum", {
  skip: NO_TSHARK,
}, () => {
  const data = new Uint8Array(3000).map((_, i) => i & 0xff);
  const seg = udp({ srcPort: 4000, dstPort: 5000, payload: data });
  const f4 = ipv4Fragments(
    { src: "10.0.0.2", dst: "10.0.0.9", proto: PROTO.udp, payload: seg, id: 77 },
    1400,
  );
  const f6 = ipv6Fragments(
    { src: "2001:db8::2", dst: "2001:db8::9", nextHeader: PROTO.udp, payload: seg },
    1400,
    99,
  );
  // 3008 bytes in 1400-byte pieces: 1400 + 1400 + 208.
  assert.equal(f4.length, 3);
  assert.equal(f6.length, 3);
  const rows = tsharkFields([...f4, ...f6], LINKTYPE.raw, [
    "ip.frag_offset",
    "ipv6.fraghdr.offset",
    "udp.length",
    "udp.checksum.status",
  ]);
  // Both fields are the raw header values, in 8-octet units (1400 / 8 = 175).
  assert.deepEqual(
    rows.map((r) => r[0] || r[1]),
    ["0", "175", "350", "0", "175", "350"],
  );
  // The last fragment of each carries the reassembled UDP datagram.
  assert.deepEqual(rows[2].slice(2), ["3008", GOOD]);
  assert.deepEqual(rows[5].slice(2), ["3008", GOOD]);
});
