import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MAX_ROWS, renderTimeline } from "../../../src/report/html/timeline.ts";
import { byClass, findAll, type HtmlElement, parseHtml, textOf } from "../../helpers/html-tree.ts";
import {
  SAMPLE_T0,
  sampleConnections,
  sampleEndpoint,
  sampleEndpoints,
  sampleFinding,
  sampleFindings,
} from "../../helpers/report-sample.ts";

/** The timeline of the sample as a tree. */
function sampleTree(): HtmlElement {
  const endpoints = sampleEndpoints();
  return parseHtml(renderTimeline(sampleConnections(endpoints), sampleFindings()).html);
}

describe("renderTimeline", () => {
  test("one row per destination, a bar per connection, a dot per finding", () => {
    const tree = sampleTree();
    const endpoints = sampleEndpoints();
    const conns = sampleConnections(endpoints);
    const hosts = new Set([...conns.map((c) => c.host), ...sampleFindings().map((f) => f.dest!.host)]);
    assert.equal(byClass(tree, "row", "g").length, hosts.size);
    assert.equal(byClass(tree, "bar", "rect").length, conns.length);
    assert.equal(byClass(tree, "dot", "circle").length, sampleFindings().length);
    const labels = byClass(tree, "host", "text").map(textOf);
    assert.ok(labels.includes("api.account.xiaomi.com (critical)"), labels.join("|"));
    assert.ok(labels.includes("1.2.4.8"), "endpoint with no finding still has its row");
  });

  test("dots are coloured by severity, bars by transport, and bars with findings are marked", () => {
    const tree = sampleTree();
    const dotClasses = byClass(tree, "dot", "circle").map((d) => d.attrs.class);
    assert.equal(dotClasses.filter((c) => c === "dot sev-critical").length, 4);
    assert.ok(byClass(tree, "tr-cleartext", "rect").length > 0);
    assert.ok(byClass(tree, "tr-tls-decrypted", "rect").length > 0);
    assert.ok(byClass(tree, "carried", "rect").length > 0);
  });

  test("later events are drawn further right, and rows follow first contact", () => {
    const early = sampleFinding({ ts: SAMPLE_T0 + 10, host: "a.example", dest: undefined });
    const late = sampleFinding({ ts: SAMPLE_T0 + 100, host: "b.example", dest: undefined });
    const tree = parseHtml(renderTimeline([], [late, early]).html);
    const dots = byClass(tree, "dot", "circle");
    const [a, b] = dots.map((d) => Number(d.attrs.cx));
    assert.ok(a < b, `${a} < ${b}`);
    assert.deepEqual(byClass(tree, "host", "text").map(textOf), [
      "a.example (critical)",
      "b.example (critical)",
    ]);
  });

  test("the axis labels ticks in UTC within the span", () => {
    const tree = sampleTree();
    const ticks = findAll(byClass(tree, "axis", "g")[0], "text").map(textOf);
    assert.ok(ticks.length >= 2 && ticks.length <= 12, ticks.join(" "));
    for (const t of ticks) assert.match(t, /^09:0[0-3]:\d\d$/);
  });

  test(`keeps at most ${MAX_ROWS} rows, the destinations with findings first, and says how many were left`, () => {
    const conns = Array.from({ length: MAX_ROWS + 15 }, (_, i) => ({
      ...sampleConnections([sampleEndpoint({ host: `h${i}.example` })])[0],
    }));
    const finding = sampleFinding({ ts: SAMPLE_T0 + 500, host: "late.example", dest: undefined });
    const tree = parseHtml(renderTimeline(conns, [finding]).html);
    assert.equal(byClass(tree, "row", "g").length, MAX_ROWS);
    assert.ok(byClass(tree, "host", "text").some((t) => textOf(t).startsWith("late.example")));
    assert.match(textOf(tree), /16 more destinations not drawn/);
  });

  test("events with no usable time are skipped; none at all gives a sentence", () => {
    const bad = sampleFinding({ ts: Number.NaN });
    assert.match(renderTimeline([], [bad]).html, /No connection or finding with a time stamp/);
  });
});
