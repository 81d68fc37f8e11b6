import assert from "node:assert/strict";
import { test } from "node:test";
import type { FindingRecord } from "../../src/model/finding.ts";
import { displayFilter } from "../../src/report/display-filter.ts";

const base = {
  orig_h: "10.0.0.2",
  orig_p: 40000,
  resp_h: "42.62.48.17",
  resp_p: 80,
  frames: [7, 7],
  chain: ["http.body"],
} as unknown as FindingRecord;

test("TCP finding: addresses, ports and the one frame", () => {
  assert.equal(
    displayFilter(base),
    "ip.addr == 10.0.0.2 && ip.addr == 42.62.48.17 && tcp.port == 40000 && tcp.port == 80 && frame.number == 7",
  );
});

test("DNS over IPv6 uses udp and ipv6.addr, with a frame range", () => {
  const f = {
    ...base,
    orig_h: "2001:db8::2",
    resp_h: "2001:db8::53",
    resp_p: 53,
    chain: ["dns.query"],
    frames: [3, 9],
  };
  assert.equal(
    displayFilter(f as FindingRecord),
    "ipv6.addr == 2001:db8::2 && ipv6.addr == 2001:db8::53 && udp.port == 40000 && udp.port == 53 && frame.number >= 3 && frame.number <= 9",
  );
});

test("no filter without packets (HAR) or with a non-address host (nothing from the traffic is written raw)", () => {
  assert.equal(displayFilter({ ...base, orig_h: "", frames: [0, 0] } as FindingRecord), undefined);
  assert.equal(displayFilter({ ...base, resp_h: '1.2.3.4" || 1' } as FindingRecord), undefined);
});
