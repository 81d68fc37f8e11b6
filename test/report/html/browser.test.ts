import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { renderHtmlReport } from "../../../src/report/html/html-report.ts";
import type { AnalysisReport } from "../../../src/report/report-types.ts";
import {
  launchChromium,
  NO_CHROMIUM,
  openFile,
  type PageLog,
  saveScreenshot,
} from "../../helpers/browser.ts";
import { hostileSample, sampleFindings, sampleReport } from "../../helpers/report-sample.ts";

let browser: Browser | undefined;
let dir = "";

before(async () => {
  if (NO_CHROMIUM) return;
  dir = mkdtempSync(join(tmpdir(), "phonehome-html-"));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes the report to a temp file and opens it. */
async function open(
  report: AnalysisReport,
  name: string,
): Promise<{ page: Page; log: PageLog; url: string }> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderHtmlReport(report));
  const { page, log } = await openFile(browser!, file);
  return { page, log, url: page.url() };
}

/** Width and height of the boxes of every element matching a selector. */
async function boxes(page: Page, selector: string): Promise<Array<{ w: number; h: number }>> {
  const out: Array<{ w: number; h: number }> = [];
  for (const el of await page.locator(selector).all()) {
    const box = await el.boundingBox();
    out.push({ w: box?.width ?? 0, h: box?.height ?? 0 });
  }
  return out;
}

/** The checks every report must pass in a real browser. */
async function assertRendersInertly(page: Page, log: PageLog, url: string): Promise<void> {
  for (const sel of [
    "svg.map",
    "svg.map path.land",
    "svg.map path.country",
    "svg.timeline",
    "svg.timeline rect.bar",
  ]) {
    const list = await boxes(page, sel);
    assert.ok(list.length > 0, `${sel} exists`);
    for (const b of list) assert.ok(b.w > 0 && b.h > 0, `${sel} has a non-zero box`);
  }
  assert.deepEqual(log.dialogs, [], "no dialog");
  assert.deepEqual(log.errors, [], "no console error");
  assert.deepEqual(log.requests, [url], "no request but the file itself");
  assert.deepEqual(log.routed, [url]);
  assert.equal(await page.locator("script").count(), 0);
}

describe("HTML report in chromium", { skip: NO_CHROMIUM }, () => {
  test("the sample report renders its map and timeline with no request, dialog or error", async (t) => {
    const { page, log, url } = await open(sampleReport(), "sample");
    await assertRendersInertly(page, log, url);
    const rows = await page.locator("#findings-table tbody tr").count();
    assert.equal(rows, sampleFindings().length);
    // Page-side code is passed as text: the project compiles without the DOM library.
    const banner = await page.evaluate<string>(
      'getComputedStyle(document.getElementById("alert")).backgroundColor',
    );
    assert.notEqual(banner, "rgba(0, 0, 0, 0)", "the hashed stylesheet applied (CSP allowed it)");
    t.diagnostic(`screenshot ${await saveScreenshot(page, "html-report-sample.png")}`);
    await page.context().close();
  });

  test("a hostile report runs nothing, loads nothing and shows its payloads as text", async (t) => {
    const { report, planted } = hostileSample();
    const { page, log, url } = await open(report, "hostile");
    await assertRendersInertly(page, log, url);
    const text = (await page.textContent("body")) ?? "";
    assert.deepEqual(
      planted.filter((p) => !text.includes(p)),
      [],
    );
    const injected = await page.evaluate<Record<string, unknown>>(`({
      imgs: document.images.length,
      iframes: document.querySelectorAll("iframe").length,
      styles: document.querySelectorAll("style").length,
      background: getComputedStyle(document.body).backgroundImage,
      onAttrs: [...document.querySelectorAll("*")].flatMap((e) => e.getAttributeNames()).filter((n) => n.startsWith("on")),
    })`);
    assert.deepEqual(injected, { imgs: 0, iframes: 0, styles: 1, background: "none", onAttrs: [] });
    t.diagnostic(`screenshot ${await saveScreenshot(page, "html-report-hostile.png")}`);
    await page.context().close();
  });
});
