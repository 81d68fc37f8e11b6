// A leak over HTTP/2: the detector reads the pseudo-headers (`:path`, `:authority`) as it reads an HTTP/1
// request line and Host, so the finding names the :authority as its destination. The exchange is real
// (node:http2 on loopback); the IMEI and the authority are planted here.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { analyzeFiles } from "../../src/app/analyze-run.ts";
import { loadRules, runServices } from "../../src/app/run-services.ts";
import { parseProfile } from "../../src/detect/profile/profile-load.ts";
import { writePcap } from "../helpers/capture-writer.ts";
import { recordH2c, request } from "../helpers/h2c-recorder.ts";
import { TrafficSynth } from "../helpers/traffic-synth.ts";

const IMEI = "861234567890127";
const AUTHORITY = "tracking.umeng.com";

test("an IMEI in an HTTP/2 :path is found, with the :authority as its destination host", async () => {
  const rec = await recordH2c(
    (_req, res) => res.end("{}"),
    async (s) => {
      await request(s, { ":path": `/v1/collect?imei=${IMEI}`, ":authority": AUTHORITY });
    },
  );
  const synth = new TrafficSynth({ seed: 3 });
  synth.tcpConversation({
    client: "10.0.0.2",
    server: "203.119.25.1",
    clientPort: 50123,
    serverPort: rec.port,
    exchanges: rec.chunks.map((c) => ({ fromClient: c.fromClient, data: c.data })),
  });
  const dir = mkdtempSync(join(tmpdir(), "phonehome-h2-analyze-"));
  try {
    const file = join(dir, "h2.pcap");
    writeFileSync(file, writePcap(synth.sorted(), { linkType: synth.linkType }));
    const profile = parseProfile(`imei: "${IMEI}"\n`, "p.yaml");
    const report = await analyzeFiles([file], { ...runServices(loadRules()), profile });
    const f = report.findings.find((x) => x.kind === "imei" && !x.generic);
    assert.ok(f, JSON.stringify(report.findings.map((x) => x.chain)));
    assert.equal(f.dest?.host, AUTHORITY, JSON.stringify(f));
    assert.equal(f.host, AUTHORITY);
    assert.equal(f.dest?.host_source, "http");
    assert.match(f.dest?.company ?? "", /Umeng/);
    assert.deepEqual(f.chain.slice(0, 1), ["http.header :path"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
