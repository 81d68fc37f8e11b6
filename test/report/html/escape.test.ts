import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  clip,
  escapeHtml,
  html,
  MAX_INTERPOLATED,
  SafeHtml,
  styleText,
  svgPathData,
} from "../../../src/report/html/escape.ts";
import { decodeEntities, findAll, parseHtml, textOf } from "../../helpers/html-tree.ts";
import { HOSTILE_PAYLOADS } from "../../helpers/report-sample.ts";

describe("escapeHtml", () => {
  test("replaces the five characters that end text runs and quoted attributes (HTML §13.1)", () => {
    assert.equal(escapeHtml(`a&b<c>d"e'f`), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    assert.equal(escapeHtml("&amp;"), "&amp;amp;", "an entity already in the traffic stays literal text");
  });

  test("every hostile payload becomes markup-free text that decodes back to itself", () => {
    for (const p of HOSTILE_PAYLOADS) {
      const out = escapeHtml(p);
      assert.doesNotMatch(out, /[<>"']/, p);
      assert.equal(decodeEntities(out), p);
      const tree = parseHtml(`<p title="${out}">${out}</p>`);
      assert.equal(findAll(tree).length, 1, `${p} must not create elements`);
      assert.equal(findAll(tree)[0].attrs.title, p);
      assert.equal(textOf(tree), p);
    }
  });

  test("control characters and lone surrogates become U+FFFD; tab, newline and pairs are kept", () => {
    assert.equal(escapeHtml("a\u0000b\u001bc\u007fd\u0085e"), "a\ufffdb\ufffdc\ufffdd\ufffde");
    assert.equal(escapeHtml("x\ud800y\udc00z"), "x\ufffdy\ufffdz");
    assert.equal(escapeHtml("\t\n\r😀"), "\t\n\r😀");
  });

  test("property: output never holds a markup character and round-trips well-formed text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => {
        const out = escapeHtml(s);
        assert.doesNotMatch(out, /[<>"']/);
        assert.doesNotMatch(out, /&(?!(amp|lt|gt|quot|#39);)/);
        const clean = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff]/.test(s);
        if (!clean) assert.equal(decodeEntities(out), s);
      }),
      { numRuns: 10000 },
    );
  });
});

describe("html template tag", () => {
  test("escapes strings, keeps SafeHtml, flattens lists and drops null/undefined/false", () => {
    const inner = html`<b>${"<i>"}</b>`;
    const out = html`<p>${"a<b"}|${inner}|${[html`<i>1</i>`, "&", [null, undefined, false, "z"]]}</p>`;
    assert.ok(out instanceof SafeHtml);
    assert.equal(out.html, "<p>a&lt;b|<b>&lt;i&gt;</b>|<i>1</i>&amp;z</p>");
  });

  test("a non-string read from a malformed saved report is shown as text, not trusted", () => {
    const bogus = { toString: () => "<script>x</script>" } as unknown as string;
    assert.equal(html`${bogus}|${7 as unknown as string}`.html, "&lt;script&gt;x&lt;/script&gt;|7");
  });

  test("clips interpolated strings to MAX_INTERPOLATED characters", () => {
    const long = "x".repeat(MAX_INTERPOLATED * 3);
    const out = html`${long}`.html;
    assert.equal(out.length, MAX_INTERPOLATED);
    assert.ok(out.endsWith("…"));
  });
});

describe("clip", () => {
  test("leaves short strings and never splits a surrogate pair", () => {
    assert.equal(clip("abc", 3), "abc");
    assert.equal(clip("abcdef", 4), "abc…");
    assert.equal(clip("ab😀cd", 4), "ab…", "the pair at positions 2-3 is dropped whole");
  });
});

describe("svgPathData", () => {
  test("passes d3 path data and refuses anything that could leave the attribute", () => {
    assert.equal(svgPathData("M1.5,-2L3,4Z").html, "M1.5,-2L3,4Z");
    assert.equal(svgPathData('M0,0"/><script>alert(1)</script>').html, "");
    assert.equal(svgPathData("M0,0 onload=alert(1)").html, "");
  });
});

describe("styleText", () => {
  test("refuses a stylesheet that could close the <style> element", () => {
    assert.throws(() => styleText("a{}</style><script>"), /must not contain/);
    assert.equal(styleText('a{font-family:"x"}').html, 'a{font-family:"x"}');
  });
});
