// Address parsing and classes, checked against the IANA special-purpose registries (RFC 6890 and the RFCs
// named per range) and an independent octet-by-octet classifier for IPv4.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { classifyIp, fromBytes, parseIp } from "../../../src/attribute/geo/ip-address.ts";
import type { IpClass } from "../../../src/model/destination.ts";

function classOf(text: string): IpClass {
  const p = parseIp(text);
  assert.ok(p, `${text} should parse`);
  return classifyIp(p).ip_class;
}

test("parseIp: the integer of an address is its bytes read big-endian", () => {
  assert.equal(parseIp("8.8.8.8")?.value, 8n * 2n ** 24n + 8n * 2n ** 16n + 8n * 2n ** 8n + 8n);
  assert.equal(parseIp("255.255.255.255")?.value, 2n ** 32n - 1n);
  // 2001:4860:4860::8888 = 0x2001_4860_4860_0000_0000_0000_0000_8888
  assert.equal(parseIp("2001:4860:4860::8888")?.value, 0x20014860486000000000000000008888n);
  assert.equal(parseIp("2001:4860:4860::8888")?.family, 6);
  assert.equal(parseIp("8.8.8.8")?.family, 4);
});

test("parseIp: canonical text (RFC 5952), brackets and zone index accepted", () => {
  assert.equal(parseIp("2001:0DB8:0000:0000:0000:0000:0000:0001")?.text, "2001:db8::1");
  assert.equal(parseIp("[fe80::1%eth0]")?.text, "fe80::1");
  assert.equal(parseIp(" 10.0.0.1 ")?.text, "10.0.0.1");
});

test("parseIp: not an address → undefined", () => {
  for (const t of ["", "1.2.3", "256.1.1.1", "1.2.3.4.5", "::1::", "abc", "1.2.3.4%eth0", "12345::", ":::"]) {
    assert.equal(parseIp(t), undefined, t);
  }
});

test("IPv4 classes at the edges of each special-purpose range", () => {
  const cases: [string, IpClass][] = [
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "reserved"], // RFC 791 "this network"
    ["9.255.255.255", "public"],
    ["10.0.0.1", "private"], // RFC 1918
    ["10.255.255.255", "private"],
    ["11.0.0.0", "public"],
    ["100.63.255.255", "public"],
    ["100.64.1.1", "cgnat"], // RFC 6598
    ["100.127.255.255", "cgnat"],
    ["100.128.0.0", "public"],
    ["127.0.0.1", "loopback"],
    ["169.254.1.1", "link-local"], // RFC 3927
    ["172.15.255.255", "public"],
    ["172.16.0.0", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.0", "public"],
    ["192.0.2.1", "documentation"], // RFC 5737
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["203.0.112.255", "public"],
    ["192.168.1.1", "private"],
    ["198.18.0.1", "reserved"], // RFC 2544
    ["224.0.0.251", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.254", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["8.8.8.8", "public"],
  ];
  for (const [ip, c] of cases) assert.equal(classOf(ip), c, ip);
});

test("IPv6 classes (RFC 4291, 4193, 3849)", () => {
  const cases: [string, IpClass][] = [
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["fe80::1", "link-local"],
    ["febf::1", "link-local"],
    ["fec0::1", "reserved"], // deprecated site-local (RFC 3879)
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
    ["2001:4860:4860::8888", "public"],
    ["2a00:1450:4001::1", "public"],
    ["100::1", "reserved"], // RFC 6666 discard-only
    ["4000::1", "reserved"], // outside 2000::/3
  ];
  for (const [ip, c] of cases) assert.equal(classOf(ip), c, ip);
});

test("IPv4-mapped and NAT64 addresses are the IPv4 address: classed and looked up as IPv4", () => {
  for (const ip of ["::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "::ffff:808:808"]) {
    const c = classifyIp(parseIp(ip)!);
    assert.equal(c.ip_class, "public", ip);
    assert.equal(c.lookup?.family, 4, ip);
    assert.equal(c.lookup?.text, "8.8.8.8", ip);
  }
  assert.equal(classOf("::ffff:10.0.0.1"), "private");
  assert.equal(classOf("64:ff9b::192.168.1.1"), "private");
});

/** RFC 6890 IPv4 table, written octet by octet (a different technique from the code's prefix masks). */
function referenceV4(o: number[]): IpClass {
  const [a, b, c, d] = o;
  if (a === 0) return b === 0 && c === 0 && d === 0 ? "unspecified" : "reserved";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b >= 64 && b <= 127) return "cgnat";
  if (a === 127) return "loopback";
  if (a === 169 && b === 254) return "link-local";
  if (a === 192 && b === 0 && c === 2) return "documentation";
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return "documentation";
  if ((a === 192 && b === 0 && c === 0) || (a === 192 && b === 88 && c === 99)) return "reserved";
  if (a === 198 && (b === 18 || b === 19)) return "reserved";
  if (a >= 224 && a <= 239) return "multicast";
  if (a === 255 && b === 255 && c === 255 && d === 255) return "broadcast";
  if (a >= 240) return "reserved";
  return "public";
}

// Octets biased towards the edges of the special ranges, so each range is hit many times.
const EDGES = [
  0, 2, 10, 15, 16, 17, 18, 19, 20, 31, 32, 51, 63, 64, 88, 99, 100, 113, 127, 128, 168, 169, 172,
];
const octet = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(...EDGES, 191, 192, 193, 197, 198, 203, 223, 224, 239, 240, 254, 255),
);

test("property: every IPv4 address is classed as the octet-by-octet reference says", () => {
  fc.assert(
    fc.property(fc.array(octet, { minLength: 4, maxLength: 4 }), (o) => {
      const c = classifyIp(fromBytes(new Uint8Array(o)));
      assert.equal(c.ip_class, referenceV4(o), o.join("."));
      assert.equal(c.lookup !== undefined, c.ip_class === "public");
    }),
    { numRuns: 10000 },
  );
});

test("property: parseIp never throws; whatever parses round-trips through its canonical text", () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f:.%[\]]{0,45}$/)), (s) => {
      const p = parseIp(s);
      if (p) assert.equal(parseIp(p.text)?.value, p.value);
    }),
    { numRuns: 10000 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      const p = fromBytes(b);
      assert.equal(parseIp(p.text)?.value, p.value);
      const c = classifyIp(p);
      assert.equal(c.lookup !== undefined, c.ip_class === "public");
    }),
    { numRuns: 10000 },
  );
});
