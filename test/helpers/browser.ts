// Browser tests with playwright-core driving Debian's chromium (no browser download): launch it headless
// and isolated, open a local file, and record what a page tried to do (dialogs, console errors, requests).

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { REPO_ROOT } from "./corpus.ts";

/** Where Debian installs chromium. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** True when chromium is installed. */
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);

/** Message for `test(..., { skip })` when chromium is absent. */
export const NO_CHROMIUM = HAS_CHROMIUM ? false : `${CHROMIUM_PATH} is absent (apt-get install chromium)`;

/** Folder for screenshots and other artefacts CI keeps (git-ignored). */
export const ARTIFACTS_DIR = join(REPO_ROOT, "test-artifacts");

/** Flags that keep chromium from reaching the network on its own (updates, sync, first-run pings). */
const ISOLATION_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Launches headless chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ISOLATION_ARGS });
}

/** What a page did while it was open. */
export interface PageLog {
  /** Messages of dialogs opened (alert, confirm, prompt, beforeunload). */
  dialogs: string[];
  /** Console messages of type `error`, and uncaught page errors. */
  errors: string[];
  /** URLs of every request the page issued (seen by the `request` event). */
  requests: string[];
  /** URLs that reached the router (every one but the document itself is aborted). */
  routed: string[];
}

/** An open page and its log. */
export interface OpenedPage {
  /** The page. */
  page: Page;
  /** What it did. */
  log: PageLog;
}

/**
 * Opens a local file in a fresh context, recording dialogs, errors and requests. Requests other than the
 * file itself are aborted, so a test that finds one fails without anything leaving the machine.
 */
export async function openFile(browser: Browser, file: string): Promise<OpenedPage> {
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const log: PageLog = { dialogs: [], errors: [], requests: [], routed: [] };
  page.on("dialog", (d) => {
    log.dialogs.push(d.message());
    void d.dismiss().catch(() => {});
  });
  page.on("console", (m) => {
    if (m.type() === "error") log.errors.push(m.text());
  });
  page.on("pageerror", (e) => log.errors.push(String(e)));
  page.on("request", (r) => log.requests.push(r.url()));
  await page.route("**/*", (route) => {
    const u = route.request().url();
    log.routed.push(u);
    return u === url ? route.continue() : route.abort();
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, log };
}

/** Saves a full-page screenshot under test-artifacts/ and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
