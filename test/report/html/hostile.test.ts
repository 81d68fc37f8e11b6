import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { renderHtmlReport } from "../../../src/report/html/html-report.ts";
import { REPORT_STYLE } from "../../../src/report/html/style.ts";
import { findAll, type HtmlElement, parseHtml, textOf } from "../../helpers/html-tree.ts";
import { hostileSample, sampleFindings, sampleReport } from "../../helpers/report-sample.ts";

/** Checks that a parsed report holds no active content: the tag set, attributes, links and the style. */
function assertInert(doc: HtmlElement, baselineTags: Set<string>): void {
  for (const el of findAll(doc)) {
    assert.ok(baselineTags.has(el.tag), `<${el.tag}> appeared`);
    for (const [name, value] of Object.entries(el.attrs)) {
      assert.ok(!name.startsWith("on") && name !== "style" && name !== "src", `<${el.tag} ${name}>`);
      if (name === "href") assert.match(value, /^#[a-z0-9-]+$/);
    }
  }
  const styles = findAll(doc, "style");
  assert.equal(styles.length, 1);
  assert.equal(textOf(styles[0]), REPORT_STYLE);
}

const baselineTags = new Set(findAll(parseHtml(renderHtmlReport(sampleReport()))).map((e) => e.tag));

describe("hostile report", () => {
  const { report, planted } = hostileSample();
  const out = renderHtmlReport(report);
  const doc = parseHtml(out);

  test("creates no element, attribute or link that the clean report does not have", () => {
    assertInert(doc, baselineTags);
    assert.doesNotMatch(out, /<script|<img|<iframe|<svg onload|javascript:alert\(\d\)"/i);
  });

  test("shows every planted payload as text", () => {
    const text = textOf(doc);
    const missing = planted.filter((p) => !text.includes(p));
    assert.deepEqual(missing, []);
    assert.ok(planted.length > 100, `${planted.length} strings planted`);
  });
});

describe("property: arbitrary strings in traffic fields", () => {
  test("never add elements or attributes and always come back as text", () => {
    const base = sampleFindings()[0];
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
        fc.string({ unit: "binary", maxLength: 40 }),
        (a, b) => {
          const host = `h${a}`;
          const finding = {
            ...base,
            label: `l${b}`,
            host,
            url: a,
            excerpt: b,
            dest: { ...base.dest!, host },
          };
          const doc = parseHtml(renderHtmlReport(sampleReport({ findings: [finding], endpoints: [] })));
          assertInert(doc, baselineTags);
          assert.ok(textOf(doc).includes(host), host);
        },
      ),
      { numRuns: 100 },
    );
  });
});
