import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import type { DiffReport } from "../../../src/app/diff.ts";
import { renderDiffHtml } from "../../../src/report/html/diff-html.ts";

const EVIL = `<script>alert(1)</script>"><img src=x onerror=alert(1)>`;

function diff(host: string): DiffReport {
  return {
    schema: "phonehome.diff/1",
    before: { inputs: ["before.pcap"], alert: { level: "critical", reasons: [], summary: "" } },
    after: { inputs: ["after.pcapng"], alert: { level: "high", reasons: [], summary: "" } },
    rows: [
      {
        kind: "imei",
        label: "IMEI",
        host,
        status: "changed",
        change: "cleartext → tls-decrypted",
        before: { count: 1, transports: ["cleartext"], countries: ["CN"], severity: "critical" },
        after: { count: 1, transports: ["tls-decrypted"], countries: ["CN"], severity: "high" },
      },
    ],
    endpoints: { added: [EVIL], removed: [] },
    verdict: "The same identifiers still go to the same destinations, now encrypted.",
  };
}

test("one row per diff row, the verdict and both levels; the CSP hash is the style's", () => {
  const page = renderDiffHtml(diff("api.account.xiaomi.com"));
  assert.equal((page.match(/<tr><td>/g) ?? []).length, 1);
  assert.match(page, /Alert critical &rarr; high/);
  assert.match(page, /now encrypted/);
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
  const hash = createHash("sha256").update(style).digest("base64");
  // The policy sits in an attribute, so its quotes are written as character references.
  assert.ok(page.replaceAll("&#39;", "'").includes(`style-src 'sha256-${hash}'`));
  assert.ok(!/<script/i.test(page));
});

test("hosts from the traffic are escaped, never markup", () => {
  const page = renderDiffHtml(diff(EVIL));
  assert.ok(!page.includes("<script>alert"));
  assert.ok(!page.includes("<img"));
  assert.ok(page.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
});
