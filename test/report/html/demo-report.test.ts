// The bundled example's HTML report in a real browser: the report README's demo points to renders its map
// and timeline, runs nothing and loads nothing. The screenshot is kept as a CI artefact.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { launchChromium, NO_CHROMIUM, openFile, saveScreenshot } from "../../helpers/browser.ts";
import { REPO_ROOT } from "../../helpers/corpus.ts";

const dir = mkdtempSync(join(tmpdir(), "phonehome-demo-html-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the demo's report renders its map and timeline in chromium, inertly", {
  skip: NO_CHROMIUM,
}, async () => {
  const html = join(dir, "before.html");
  const ex = (f: string) => join(REPO_ROOT, "examples", f);
  const r = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, "bin", "phonehome.js"),
      "analyze",
      ex("redmi-1s-2014-before.pcap"),
      "--profile",
      ex("redmi-1s-2014.profile.yaml"),
      "--format",
      "html",
      "--out",
      html,
    ],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  const browser = await launchChromium();
  try {
    const { page, log } = await openFile(browser, html);
    await saveScreenshot(page, "demo-report.png");
    for (const sel of ["svg.map path.country", "svg.timeline rect.bar"]) {
      const box = await page.locator(sel).first().boundingBox();
      assert.ok(box && box.width > 0 && box.height > 0, `${sel} is drawn`);
    }
    const text = (await page.textContent("body")) ?? "";
    assert.match(text, /api\.account\.xiaomi\.com/);
    assert.match(text, /CRITICAL/i);
    assert.ok(!text.includes("861234567890127"), "the IMEI stays masked");
    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.routed, [page.url()]);
  } finally {
    await browser.close();
  }
});
