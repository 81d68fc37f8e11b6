import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import fc from "fast-check";
import { formatAddress, formatIPv6, parseAddress, parseIPv4, parseIPv6 } from "../../src/session/address.ts";
import { corpusPath, NO_CORPUS } from "../helpers/corpus.ts";

/** Canonical text of an address given in any valid text form. */
function canon(text: string): string {
  const b = parseAddress(text);
  assert.ok(b, `parse ${text}`);
  return formatAddress(b, 0, b.length as 4 | 16);
}

test("IPv4 is dotted decimal", () => {
  assert.equal(canon("192.168.1.52"), "192.168.1.52");
  assert.equal(canon("0.0.0.0"), "0.0.0.0");
  assert.equal(canon("255.255.255.255"), "255.255.255.255");
  assert.equal(formatAddress(new Uint8Array([9, 10, 0, 2, 3, 9]), 1, 4), "10.0.2.3");
});

test("IPv6 follows the RFC 5952 examples", () => {
  // §4.1 leading zeros suppressed; §4.2.1 the longest zero run as ::
  assert.equal(canon("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  assert.equal(canon("2001:db8:0:0:0:0:2:1"), "2001:db8::2:1");
  // §4.2.2 a single zero group is not shortened
  assert.equal(canon("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
  // §4.2.3 the longest run wins; on a tie, the first
  assert.equal(canon("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");
  assert.equal(canon("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
  // §4.3 lower case
  assert.equal(canon("2001:DB8::AAAA"), "2001:db8::aaaa");
  // §5 IPv4-mapped addresses end in dotted quad
  assert.equal(canon("0:0:0:0:0:ffff:c000:0201"), "::ffff:192.0.2.1");
  assert.equal(canon("::"), "::");
  assert.equal(canon("::1"), "::1");
  assert.equal(canon("1::"), "1::");
  assert.equal(canon("fe80:0:0:0:0:0:0:1"), "fe80::1");
});

test("text that is not an address does not parse", () => {
  for (const bad of [
    "",
    "1.2.3",
    "1.2.3.4.5",
    "256.1.1.1",
    "1.2.3.x",
    ":::",
    "1::2::3",
    "12345::",
    "1:2:3:4:5:6:7",
    "g::1",
  ]) {
    assert.equal(parseAddress(bad), undefined, bad);
  }
  assert.equal(parseIPv4("01.2.3.4")?.[0], 1);
  assert.equal(parseIPv6("1:2:3:4:5:6:7:8:9"), undefined);
});

/** Longest run of "0" groups in a list of hex groups. */
function zeroRun(groups: string[]): number {
  let best = 0;
  let cur = 0;
  for (const g of groups) {
    cur = g === "0" ? cur + 1 : 0;
    best = Math.max(best, cur);
  }
  return best;
}

/** RFC 5952 §4.2: `::` stands for the longest zero run (≥ 2 groups), the first one on a tie. */
function compressesLongestFirstRun(t: string): boolean {
  const [left, right] = t.split("::").map((h) => (h === "" ? [] : h.split(":")));
  if (right === undefined) return zeroRun(left) <= 1;
  const run = 8 - left.length - right.length;
  return run >= 2 && zeroRun(left) < run && zeroRun(right) <= run;
}

test("property: formatIPv6 is canonical and round-trips", () => {
  // Zero-heavy groups so runs of zeros, ties and the v4 forms come up often.
  const word = fc.oneof(
    fc.constant(0),
    fc.constant(0),
    fc.constant(0xffff),
    fc.integer({ min: 0, max: 0xffff }),
  );
  fc.assert(
    fc.property(fc.array(word, { minLength: 8, maxLength: 8 }), (words) => {
      const b = new Uint8Array(16);
      words.forEach((w, i) => {
        b[2 * i] = w >> 8;
        b[2 * i + 1] = w & 0xff;
      });
      const t = formatIPv6(b, 0);
      assert.deepEqual(parseIPv6(t), b, t);
      assert.equal(t, t.toLowerCase());
      assert.ok(t.split("::").length <= 2, t);
      assert.ok(!/(^|:)0[0-9a-f]/.test(t), `leading zero in ${t}`);
      if (!t.includes(".")) assert.ok(compressesLongestFirstRun(t), `not the longest/first zero run: ${t}`);
    }),
    { numRuns: 10_000 },
  );
});

const HAS_TSHARK = (() => {
  try {
    execFileSync("tshark", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

test("IPv6 text equals tshark's for the corpus addresses", {
  skip: NO_CORPUS || (!HAS_TSHARK && "no tshark"),
}, () => {
  const files = [
    "icmpv6.pcap",
    "ipv6-routing-header.pcap",
    "dhcpv6-domain-list.pcap",
    "LINKTYPE_RAW_ipv6.pcap",
  ];
  let n = 0;
  for (const f of files) {
    const out = execFileSync(
      "tshark",
      ["-r", corpusPath("tcpdump-tests", "tests", f), "-T", "fields", "-e", "ipv6.addr"],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    for (const a of out.split(/[\n,]/).filter((x) => x !== "")) {
      assert.equal(canon(a), a);
      n++;
    }
  }
  assert.ok(n > 10);
});
