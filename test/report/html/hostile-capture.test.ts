// A hostile capture, end to end: traffic whose Host, URL path, header values, JSON keys and TLS SNI carry
// script, event-handler, javascript: and CSS payloads goes through `phonehome analyze --format html`, and the
// report is opened in chromium. Nothing may run, nothing may be fetched, and the payloads must show as text.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { tlsClientHello, tlsServerHello } from "../../helpers/app-messages.ts";
import { launchChromium, NO_CHROMIUM, openFile, saveScreenshot } from "../../helpers/browser.ts";
import { writePcap } from "../../helpers/capture-writer.ts";
import { REPO_ROOT } from "../../helpers/corpus.ts";
import { httpRequest, httpResponse, TrafficSynth } from "../../helpers/traffic-synth.ts";

const IMEI = "861234567890127";
const HOST = "<svg/onload=alert(1)>";
const PATH_PAYLOAD = "<script>alert(2)</script>";
const KEY = '"><img/src=x/onerror=alert(3)>';
const HEADER = "</style><style>body{background:url(//evil.example/x)}</style>javascript:alert(4)";
const SNI = "<iframe/src=//evil.example>";

function hostileCapture(): Uint8Array {
  const s = new TrafficSynth({ seed: 5 });
  s.tcpConversation({
    client: "10.0.0.2",
    server: "1.2.4.8",
    clientPort: 40001,
    serverPort: 80,
    exchanges: [
      {
        fromClient: true,
        data: httpRequest({
          method: "POST",
          host: HOST,
          path: `/a/${PATH_PAYLOAD}/b?imei=${IMEI}`,
          headers: [
            ["X-Note", HEADER],
            ["Content-Type", "application/json"],
          ],
          body: JSON.stringify({ [KEY]: IMEI }),
        }),
      },
      { fromClient: false, data: httpResponse() },
    ],
  });
  s.tcpConversation({
    client: "10.0.0.2",
    server: "8.8.8.8",
    clientPort: 40002,
    serverPort: 443,
    exchanges: [
      { fromClient: true, data: tlsClientHello({ sni: SNI }) },
      { fromClient: false, data: tlsServerHello() },
    ],
  });
  return writePcap(s.sorted(), { linkType: s.linkType });
}

const dir = mkdtempSync(join(tmpdir(), "phonehome-hostile-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the report of a hostile capture runs nothing, fetches nothing, and shows the payloads as text", {
  skip: NO_CHROMIUM,
}, async () => {
  const pcap = join(dir, "hostile.pcap");
  const profile = join(dir, "p.yaml");
  const html = join(dir, "hostile.html");
  writeFileSync(pcap, hostileCapture());
  writeFileSync(profile, `imei: "${IMEI}"\n`);
  const bin = join(REPO_ROOT, "bin", "phonehome.js");
  const r = spawnSync(
    process.execPath,
    [bin, "analyze", pcap, "--profile", profile, "--format", "html", "--out", html],
    {
      encoding: "utf8",
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const browser = await launchChromium();
  try {
    const { page, log } = await openFile(browser, html);
    await saveScreenshot(page, "hostile-capture.png");
    const text = (await page.textContent("body")) ?? "";
    for (const planted of [HOST, PATH_PAYLOAD, KEY, SNI])
      assert.ok(text.includes(planted), `shown as text: ${planted}`);
    assert.deepEqual(log.dialogs, [], "no dialog");
    assert.deepEqual(log.errors, [], "no console error");
    assert.deepEqual(log.routed, [page.url()], "no request but the file itself");
    assert.equal(await page.locator("script, iframe, img, svg[onload]").count(), 0, "no injected elements");
    const bg = await page.evaluate("getComputedStyle(document.body).backgroundImage");
    assert.equal(bg, "none", "no injected style");
  } finally {
    await browser.close();
  }
});
