import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { communityId, communityIdFromText } from "../../src/session/community-id.ts";
import { corpusPath, NO_CORPUS } from "../helpers/corpus.ts";

// Published reference values: community-id-spec baseline/baseline_deflt.json (seed 0) and
// baseline_seed1.json (seed 1), every entry that carries ports (ICMP entries carry type/code as ports).
const BASELINE: [number, string, string, number, number, string, string][] = [
  // proto, saddr, daddr, sport, dport, seed 0 id, seed 1 id
  [
    6,
    "128.232.110.120",
    "66.35.250.204",
    34855,
    80,
    "1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
    "1:3V71V58M3Ksw/yuFALMcW0LAHvc=",
  ],
  [
    6,
    "66.35.250.204",
    "128.232.110.120",
    80,
    34855,
    "1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
    "1:3V71V58M3Ksw/yuFALMcW0LAHvc=",
  ],
  [
    17,
    "192.168.1.52",
    "8.8.8.8",
    54585,
    53,
    "1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
    "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=",
  ],
  [
    17,
    "8.8.8.8",
    "192.168.1.52",
    53,
    54585,
    "1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
    "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=",
  ],
  [
    6,
    "2001:470:e5bf:dead:4957:2174:e82c:4887",
    "2607:f8b0:400c:c03::1a",
    63943,
    25,
    "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
    "1:eJYTW6AOzFLlSUoESovMjnu7rMw=",
  ],
  [
    6,
    "2607:f8b0:400c:c03::1a",
    "2001:470:e5bf:dead:4957:2174:e82c:4887",
    25,
    63943,
    "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
    "1:eJYTW6AOzFLlSUoESovMjnu7rMw=",
  ],
  [
    132,
    "192.168.170.8",
    "192.168.170.56",
    7,
    7,
    "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
    "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=",
  ],
  [
    132,
    "192.168.170.56",
    "192.168.170.8",
    7,
    7,
    "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
    "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=",
  ],
  [
    1,
    "192.168.0.89",
    "192.168.0.1",
    8,
    0,
    "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=",
    "1:03g6IloqVBdcZlPyX8r0hgoE7kA=",
  ],
  [1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM=", "1:XjUibYHaafLQ3pxQeiMI8g25q20="],
  [
    58,
    "fe80::200:86ff:fe05:80da",
    "fe80::260:97ff:fe07:69ea",
    135,
    136,
    "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=",
    "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY=",
  ],
  [
    58,
    "fe80::200:86ff:fe05:80da",
    "ff02::2",
    133,
    134,
    "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=",
    "1:L7Ka0ZMYu+J3bL4ulW2PrqyXNo8=",
  ],
];

test("Community ID matches the spec's published baseline, seeds 0 and 1", () => {
  for (const [proto, s, d, sp, dp, id0, id1] of BASELINE) {
    assert.equal(communityIdFromText(s, d, proto, sp, dp), id0, `${s}:${sp} → ${d}:${dp}/${proto}`);
    assert.equal(communityIdFromText(s, d, proto, sp, dp, 1), id1, `seed 1 ${s}:${sp} → ${d}:${dp}/${proto}`);
  }
});

test("Community ID reads addresses in place at any offset", () => {
  const buf = new Uint8Array([0xee, 0xee, 66, 35, 250, 204, 0xee, 128, 232, 110, 120]);
  assert.equal(communityId(buf, 7, 2, 4, 6, 34855, 80), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
});

test("Community ID of unparseable or mixed-family addresses is undefined", () => {
  assert.equal(communityIdFromText("10.0.0.1", "::1", 6, 1, 2), undefined);
  assert.equal(communityIdFromText("10.0.0.256", "10.0.0.1", 6, 1, 2), undefined);
});

const HAS_TSHARK = (() => {
  try {
    execFileSync("tshark", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Captures with TCP/UDP over IPv4 and IPv6 (no tunnels, so each frame has one address pair). */
const CAPTURES = [
  "tcpdump-tests/tests/dns_tcp.pcap",
  "tcpdump-tests/tests/dns_udp.pcap",
  "tcpdump-tests/tests/gso-ipv6.pcap",
  "zeek-traces/testing/btest/Traces/ipv6-fragmented-dns.pcap",
  "zeek-traces/testing/btest/Traces/http-vlan-0.pcap",
  "zeek-traces/testing/btest/Traces/tls/ecdhe.pcap",
  "zeek-traces/testing/btest/Traces/quic/quicv2-echo-443.pcap",
  "zeek-traces/testing/btest/Traces/nflog-http.pcap",
];

const FIELDS = [
  "ip.src",
  "ipv6.src",
  "ip.dst",
  "ipv6.dst",
  "tcp.srcport",
  "udp.srcport",
  "tcp.dstport",
  "udp.dstport",
];

for (const file of CAPTURES) {
  test(`Community ID equals tshark's on ${file}`, {
    skip: NO_CORPUS || (!HAS_TSHARK && "tshark is absent"),
  }, () => {
    const args = ["-r", corpusPath(file), "--enable-protocol", "communityid", "-T", "fields"];
    for (const f of [...FIELDS, "communityid"]) args.push("-e", f);
    const out = execFileSync("tshark", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    let checked = 0;
    for (const line of out.split("\n")) {
      const [s4, s6, d4, d6, ts, us, td, ud, id] = line.split("\t");
      if (!id || line.includes(",")) continue; // no flow id (e.g. a non-first fragment)
      const tcp = ts !== "";
      const got = communityIdFromText(
        s4 || s6,
        d4 || d6,
        tcp ? 6 : 17,
        Number(tcp ? ts : us),
        Number(tcp ? td : ud),
      );
      assert.equal(got, id, line);
      checked++;
    }
    assert.ok(checked > 0, "tshark printed no Community IDs");
  });
}
