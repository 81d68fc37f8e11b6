// Byte helpers against their RFCs: address text forms (RFC 4291), the Internet checksum (RFC 1071) including
// sums split at odd offsets, and MAC parsing.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { concat, internetChecksum, parseIpv4, parseIpv6, parseMac } from "./net-bytes.ts";

test("parseIpv4 and parseIpv6 follow the RFC 4291 text forms", () => {
  assert.deepEqual([...parseIpv4("192.0.2.33")], [192, 0, 2, 33]);
  const v6 = (s: string) => Buffer.from(parseIpv6(s)).toString("hex");
  assert.equal(v6("2001:db8::1"), "20010db8000000000000000000000001");
  assert.equal(v6("::"), "0".repeat(32));
  assert.equal(v6("fe80::"), `fe80${"0".repeat(28)}`);
  assert.equal(v6("::ffff:192.0.2.1"), "00000000000000000000ffffc0000201");
  assert.equal(v6("2001:db8:0:0:1:0:0:1"), "20010db8000000000001000000000001");
  for (const bad of ["1.2.3", "1.2.3.256", "1:2:3", "1::2::3", "1:2:3:4:5:6:7:8::", "g::1"]) {
    assert.throws(() => (bad.includes(":") ? parseIpv6(bad) : parseIpv4(bad)), bad);
  }
});

test("internetChecksum reproduces RFC 1071 §3's worked example", () => {
  // Words 0001 f203 f4f5 f6f7 sum to ddf2 with end-around carry; the checksum is its complement.
  const bytes = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
  assert.equal(internetChecksum([bytes]), ~0xddf2 & 0xffff);
  // Splitting at an odd offset must not change the sum.
  assert.equal(internetChecksum([bytes.subarray(0, 3), bytes.subarray(3)]), ~0xddf2 & 0xffff);
});

test("parseMac reads colon and dash forms and rejects others", () => {
  assert.deepEqual([...parseMac("02:00:5e:10:00:23")], [2, 0, 0x5e, 0x10, 0, 0x23]);
  assert.deepEqual([...parseMac("02-00-5E-10-00-23")], [2, 0, 0x5e, 0x10, 0, 0x23]);
  assert.throws(() => parseMac("02:00:5e:10:00"));
});

test("the checksum does not depend on how the bytes are split, and verifies to zero", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), fc.nat(300), (bytes, a, b) => {
      const [i, j] = [Math.min(a, b, bytes.length), Math.min(Math.max(a, b), bytes.length)];
      const whole = internetChecksum([bytes]);
      assert.equal(internetChecksum([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]), whole);
      // Appending the checksum to an even-length message makes the sum verify (RFC 1071 §1).
      const even = bytes.length % 2 === 0 ? bytes : concat([bytes, new Uint8Array(1)]);
      const ck = internetChecksum([even]);
      assert.equal(internetChecksum([even, Uint8Array.of(ck >> 8, ck & 0xff)]), 0);
    }),
    { numRuns: 10000 },
  );
});
