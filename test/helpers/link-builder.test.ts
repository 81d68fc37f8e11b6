// Every link layer the builders make, read back by tshark: Ethernet (padded, 802.1Q, QinQ, 802.1ad), Linux
// SLL and SLL2, raw IP; the IPv4/IPv6 TCP/UDP packets inside must come out intact with Good checksums.

import assert from "node:assert/strict";
import { test } from "node:test";
import { ETHERTYPE, ethernet, LINKTYPE, rawIp, sll, sll2 } from "./link-builder.ts";
import { ipv4, ipv6, PROTO, tcp, tcpOptions, udp, utf8 } from "./packet-builder.ts";
import { CHECKSUM_GOOD, NO_TSHARK, tsharkFrameFields } from "./tshark.ts";

const tsharkFields = tsharkFrameFields;
const GOOD = CHECKSUM_GOOD;

/** One IPv4/TCP, one IPv4/UDP, one IPv6/TCP and one IPv6/UDP packet. */
function sampleIp(): { packets: Uint8Array[]; expect: string[][] } {
  const payload = utf8("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
  const seg = tcp({
    srcPort: 40000,
    dstPort: 80,
    seq: 1000,
    ack: 2000,
    flags: "PA",
    payload,
    options: tcpOptions({ ts: [5, 6] }),
  });
  const dgram = udp({ srcPort: 5353, dstPort: 53, payload: utf8("odd-length!") });
  const rr = Uint8Array.of(0x07, 0x07, 0x04, 0, 0, 0, 0); // Record Route with room for one address
  const v4t = ipv4({
    src: "10.0.0.2",
    dst: "93.184.216.34",
    proto: PROTO.tcp,
    payload: seg,
    id: 7,
    options: rr,
  });
  const v4u = ipv4({ src: "10.0.0.2", dst: "10.0.0.1", proto: PROTO.udp, payload: dgram });
  const v6t = ipv6({ src: "2001:db8::2", dst: "2001:db8::80", nextHeader: PROTO.tcp, payload: seg });
  const hbh = { type: PROTO.hopopts, data: Uint8Array.of(5, 2, 0, 0) }; // Router Alert (RFC 2711)
  const v6u = ipv6({
    src: "2001:db8::2",
    dst: "2001:db8::1",
    nextHeader: PROTO.udp,
    payload: dgram,
    extHeaders: [hbh, { type: PROTO.dstopts }],
  });
  // Fields: ip.src, ipv6.src, tcp.srcport, udp.srcport, tcp.len, ip.checksum.status, tcp.checksum.status,
  // udp.checksum.status.
  return {
    packets: [v4t, v4u, v6t, v6u],
    expect: [
      ["10.0.0.2", "", "40000", "", String(payload.length), GOOD, GOOD, ""],
      ["10.0.0.2", "", "", "5353", "", GOOD, "", GOOD],
      ["", "2001:db8::2", "40000", "", String(payload.length), "", GOOD, ""],
      ["", "2001:db8::2", "", "5353", "", "", "", GOOD],
    ],
  };
}

const IP_FIELDS = [
  "ip.src",
  "ipv6.src",
  "tcp.srcport",
  "udp.srcport",
  "tcp.len",
  "ip.checksum.status",
  "tcp.checksum.status",
  "udp.checksum.status",
];

test("every link layer carries the IP packets intact, with Good checksums", { skip: NO_TSHARK }, () => {
  const { packets, expect } = sampleIp();
  const type = (p: Uint8Array) => (p[0] >> 4 === 6 ? ETHERTYPE.ipv6 : ETHERTYPE.ipv4);
  const cases: [string, number, (p: Uint8Array) => Uint8Array, string, string][] = [
    [
      "ethernet",
      LINKTYPE.ethernet,
      (p) => ethernet({ type: type(p), payload: p, pad: true }),
      "eth.type",
      "",
    ],
    [
      "802.1Q",
      LINKTYPE.ethernet,
      (p) => ethernet({ type: type(p), payload: p, vlan: [100] }),
      "vlan.id",
      "100",
    ],
    [
      "QinQ",
      LINKTYPE.ethernet,
      (p) => ethernet({ type: type(p), payload: p, vlan: [100, 200], outerTpid: 0x8100 }),
      "vlan.id",
      "100,200",
    ],
    [
      "802.1ad",
      LINKTYPE.ethernet,
      (p) => ethernet({ type: type(p), payload: p, vlan: [100, 200] }),
      "ieee8021ad.id",
      "100",
    ],
    ["sll", LINKTYPE.sll, (p) => sll({ proto: type(p), payload: p }), "sll.pkttype", "4"],
    ["sll2", LINKTYPE.sll2, (p) => sll2({ proto: type(p), payload: p, ifindex: 3 }), "sll.ifindex", "3"],
    ["raw", LINKTYPE.raw, rawIp, "raw", ""],
  ];
  for (const [name, lt, wrap, field, want] of cases) {
    const rows = tsharkFields(packets.map(wrap), lt, [...IP_FIELDS, field]);
    assert.equal(rows.length, packets.length, name);
    rows.forEach((row, i) => {
      assert.deepEqual(row.slice(0, IP_FIELDS.length), expect[i], `${name} frame ${i + 1}`);
      if (want) assert.equal(row[IP_FIELDS.length], want, `${name} frame ${i + 1} ${field}`);
    });
  }
});

test("Ethernet padding reaches the 60-byte minimum only when asked", () => {
  const tiny = Uint8Array.of(1, 2, 3);
  assert.equal(ethernet({ type: ETHERTYPE.ipv4, payload: tiny }).length, 17);
  assert.equal(ethernet({ type: ETHERTYPE.ipv4, payload: tiny, pad: true }).length, 60);
});
