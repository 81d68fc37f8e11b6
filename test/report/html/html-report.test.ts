import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { renderHtmlReport } from "../../../src/report/html/html-report.ts";
import {
  bodyRows,
  byClass,
  byId,
  findAll,
  type HtmlElement,
  parseHtml,
  textOf,
} from "../../helpers/html-tree.ts";
import { SAMPLE_VALUES, sampleEndpoints, sampleFindings, sampleReport } from "../../helpers/report-sample.ts";

const sample = sampleReport();
const out = renderHtmlReport(sample);
const doc = parseHtml(out);

/** Tags a report may hold: structure, tables, text and inline SVG; nothing that loads or runs. */
const ALLOWED_TAGS = new Set(
  (
    "html head meta title style body header nav main section article figure figcaption h1 h2 h3 p ul li dl dt dd " +
    "table caption thead tbody tr th td span strong em code pre a svg g path rect circle line text desc"
  ).split(" "),
);

describe("renderHtmlReport: document and policy", () => {
  test("is one HTML document with one <style> and no script, link, image or frame", (t) => {
    t.diagnostic(`sample report: ${Buffer.byteLength(out)} bytes`);
    assert.ok(out.startsWith("<!DOCTYPE html>"));
    const tags = new Set(findAll(doc).map((e) => e.tag));
    for (const tag of tags) assert.ok(ALLOWED_TAGS.has(tag), `unexpected <${tag}>`);
    assert.equal(findAll(doc, "style").length, 1);
  });

  test("the CSP allows exactly the style element's text, by its SHA-256, and nothing else", () => {
    const meta = findAll(doc, "meta").find((m) => m.attrs["http-equiv"] === "Content-Security-Policy");
    assert.ok(meta, "CSP meta present");
    const style = textOf(findAll(doc, "style")[0]);
    const hash = createHash("sha256").update(style, "utf8").digest("base64");
    const csp = meta.attrs.content;
    assert.match(csp, /^default-src 'none';/);
    assert.ok(csp.includes(`style-src 'sha256-${hash}'`), csp);
    assert.doesNotMatch(csp, /unsafe|script-src|\*|http/);
    const head = findAll(doc, "head")[0].children.filter((c): c is HtmlElement => typeof c !== "string");
    assert.ok(head.indexOf(meta) < head.indexOf(findAll(doc, "style")[0]), "policy precedes the style");
  });

  test("no style, event or source attribute, and every link is an in-page anchor that exists", () => {
    const ids = new Set(
      findAll(doc)
        .map((e) => e.attrs.id)
        .filter(Boolean),
    );
    for (const el of findAll(doc)) {
      for (const name of Object.keys(el.attrs)) {
        assert.ok(!name.startsWith("on") && name !== "style" && name !== "src", `<${el.tag} ${name}>`);
      }
      if (el.attrs.href !== undefined) {
        assert.match(el.attrs.href, /^#[a-z0-9-]+$/);
        assert.ok(ids.has(el.attrs.href.slice(1)), `dangling ${el.attrs.href}`);
      }
    }
  });

  test("never shows a planted value in full (masking by default)", () => {
    for (const v of Object.values(SAMPLE_VALUES)) assert.ok(!out.includes(v), `${v} leaked`);
  });
});

describe("renderHtmlReport: sections", () => {
  test("the banner carries the level's colour class, its word, the summary and the reasons", () => {
    const alert = byId(doc, "alert");
    assert.match(alert.attrs.class, /\bsev-critical\b/);
    assert.match(textOf(alert), /Alert level: CRITICAL/);
    assert.ok(textOf(alert).includes(sample.alert.summary));
    assert.equal(findAll(alert, "li").length, sample.alert.reasons.length);
  });

  test("the findings table has one row per finding and an evidence block for each", () => {
    const findings = sampleFindings();
    assert.equal(bodyRows(byId(doc, "findings-table")).length, findings.length);
    const blocks = byClass(byId(doc, "evidence"), "finding", "article");
    assert.equal(blocks.length, findings.length);
    const first = textOf(blocks[0]);
    for (const part of [
      findings[0].filter!,
      findings[0].url!,
      findings[0].excerpt!,
      findings[0].value_masked,
    ]) {
      assert.ok(first.includes(part), part);
    }
    assert.ok(first.includes("http.body › form imei › exact"));
  });

  test("one table per destination, one row per identifier sent there", () => {
    const tables = byClass(byId(doc, "destinations"), "destination-table", "table");
    const byHost = new Map<string, Set<string>>();
    for (const f of sampleFindings()) {
      const ids = byHost.get(f.dest!.host) ?? new Set();
      byHost.set(f.dest!.host, ids.add(f.label));
    }
    assert.equal(tables.length, byHost.size);
    for (const table of tables) {
      const host = [...byHost.keys()].find((h) => textOf(findAll(table, "caption")[0]).includes(h));
      assert.ok(host, "caption names its host");
      assert.equal(bodyRows(table).length, byHost.get(host)?.size, host);
    }
  });

  test("endpoints with no identifier are listed, one row each", () => {
    const quiet = sampleEndpoints().filter((e) => e.findings === 0);
    const rows = bodyRows(byId(doc, "quiet-endpoints-table"));
    assert.equal(rows.length, quiet.length);
    assert.deepEqual(
      rows.map((r) => textOf(findAll(r, "th")[0])),
      quiet.map((e) => e.host),
    );
    assert.match(
      textOf(rows.find((r) => textOf(r).startsWith("1.2.4.8"))!),
      /AS24406 China Internet Network/,
    );
  });

  test("weird counts, inputs, profile and credits are shown", () => {
    assert.equal(bodyRows(byId(doc, "weird-table")).length, Object.keys(sample.weird).length);
    assert.ok(textOf(byId(doc, "inputs-table")).includes(sample.inputs[0].sha256));
    assert.equal(bodyRows(byId(doc, "profile-table")).length, sample.profile!.values.length);
    const credits = textOf(byId(doc, "credits"));
    for (const c of sample.credits)
      for (const s of [c.source, c.licence, c.url]) assert.ok(credits.includes(s), s);
    assert.match(credits, /Natural Earth/);
  });

  test("the map and the timeline are inline SVG with their countries and rows", () => {
    const map = findAll(byId(doc, "map"), "svg")[0];
    assert.equal(byClass(map, "sev-critical", "path")[0].attrs.class, "country sev-critical");
    assert.equal(bodyRows(byId(doc, "countries-table")).length, 3, "CN, DE, US (the private DNS has none)");
    assert.equal(byClass(byId(doc, "timeline"), "timeline", "svg").length, 1);
  });
});

describe("renderHtmlReport: malformed saved reports", () => {
  test("values outside the closed sets never reach a class, and bad numbers print as dashes", () => {
    const f = sampleFindings()[0];
    const bad = sampleReport({
      alert: {
        level: 'x" onclick="alert(1)' as "high",
        reasons: "nope" as unknown as string[],
        summary: "s",
      },
      findings: [
        { ...f, severity: "<b>" as "high", transport: "carrier-pigeon" as "tls", frames: [Number.NaN] },
      ],
      endpoints: [{ ...sampleEndpoints()[4], country: "<i>", bytes_sent: Number.POSITIVE_INFINITY }],
      weird: { a: "many" as unknown as number },
    });
    const tree = parseHtml(renderHtmlReport(bad));
    const classes = new Set(findAll(tree).flatMap((e) => (e.attrs.class ?? "").split(/\s+/)));
    for (const c of classes) assert.match(c, /^[a-z0-9-]*$/, c);
    assert.match(byId(tree, "alert").attrs.class, /sev-info/);
    assert.match(textOf(bodyRows(byId(tree, "findings-table"))[0]), /unknown/);
    assert.match(
      textOf(bodyRows(byId(tree, "quiet-endpoints-table"))[0]),
      /— \/ /,
      "infinite bytes print as a dash",
    );
    assert.match(textOf(byId(tree, "run")), /No weird records/, "a non-numeric count is not shown");
  });

  test("missing lists render empty sections instead of throwing", () => {
    const empty = sampleReport({ findings: undefined as never, endpoints: undefined as never });
    const broken = { ...empty, findings: null, endpoints: null, connections: null } as never;
    const tree = parseHtml(renderHtmlReport(broken));
    assert.match(textOf(byId(tree, "evidence")), /No findings/);
  });
});
