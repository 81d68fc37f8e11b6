import assert from "node:assert/strict";
import { test } from "node:test";
import { bodyRows, byClass, byId, decodeEntities, findAll, parseHtml, textOf } from "./html-tree.ts";

test("decodes named, decimal and hex character references and leaves unknown ones", () => {
  assert.equal(decodeEntities("&lt;a&gt; &amp;amp; &#39;&#x27;&quot; &bogus;"), "<a> &amp; ''\" &bogus;");
});

test("builds nested elements with void, self-closing and raw-text elements", () => {
  const doc = parseHtml(
    '<!DOCTYPE html><html><head><meta charset="utf-8"><style>a>b{x:"</p>"}</style></head>' +
      '<body><p id="x" class="a b">t&lt;1<br>2</p><svg><path d="M0,0"/><rect/></svg>' +
      "<table><tbody><tr><td>1</td></tr><tr><td>2</td></tr></tbody></table></body></html>",
  );
  assert.equal(textOf(findAll(doc, "style")[0]), 'a>b{x:"</p>"}', "only </style ends raw text");
  assert.equal(textOf(byId(doc, "x")), "t<12");
  assert.equal(byClass(doc, "b", "p").length, 1);
  assert.equal(findAll(findAll(doc, "svg")[0]).length, 2, "self-closed path and rect have no children");
  assert.equal(bodyRows(findAll(doc, "table")[0]).length, 2);
});

test("throws on an end tag that closes nothing", () => {
  assert.throws(() => parseHtml("<p>a</div>"), /unmatched <\/div>/);
});
