import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { analyzeFiles } from "../../src/app/analyze-run.ts";
import { loadRules, runServices } from "../../src/app/run-services.ts";
import { loadProfile } from "../../src/detect/profile/profile-load.ts";
import type { FindingRecord } from "../../src/model/finding.ts";
import { connectionFilter, displayFilter } from "../../src/report/display-filter.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";

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

test("tshark, given the filter of a connection's findings, shows exactly the frames that carried them", {
  skip: NO_TSHARK,
}, async () => {
  const file = join(REPO_ROOT, "examples", "redmi-1s-2014-before.pcap");
  const profile = loadProfile(join(REPO_ROOT, "examples", "redmi-1s-2014.profile.yaml"));
  const report = await analyzeFiles([file], { ...runServices(loadRules()), profile });
  const conn = report.findings.filter((f) => f.uid === report.findings[0].uid);
  const filter = connectionFilter(conn);
  assert.ok(filter);
  const r = spawnSync("tshark", ["-r", file, "-Y", filter, "-T", "fields", "-e", "frame.number"], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const shown = r.stdout.trim().split("\n").map(Number);
  const want = [...new Set(conn.map((f) => f.frames[1]))].sort((a, b) => a - b);
  assert.deepEqual(shown, want);
  assert.ok(want.length > 1, "several frames make a set");
});
