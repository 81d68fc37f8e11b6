import assert from "node:assert/strict";
import { test } from "node:test";
import type { FindingRecord } from "../../src/model/finding.ts";
import { CSV_COLUMNS, csvCell, renderCsv } from "../../src/report/csv-report.ts";
import type { AnalysisReport } from "../../src/report/report-types.ts";

/** Splits RFC 4180 text into rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

function finding(over: Partial<FindingRecord>): FindingRecord {
  return {
    type: "finding",
    ts: 1400000000,
    uid: "C1",
    community_id: "",
    orig_h: "10.0.0.2",
    orig_p: 40000,
    resp_h: "42.62.48.17",
    resp_p: 80,
    kind: "imei",
    label: "IMEI",
    value_masked: "86123•••••••0127",
    chain: ["http.body", "json $.d", "base64"],
    generic: false,
    confidence: 1,
    frames: [4, 6],
    field: "json:$.d",
    direction: "to_server",
    variant: "base64",
    transport: "cleartext",
    ...over,
  };
}

test("one row per finding under the header; traffic strings with commas, quotes and newlines survive", () => {
  const host = 'evil,"host"\r\nx';
  const f = finding({ host, url: '=HYPERLINK("http://x")', severity: "high", reasons: ["a", "b"] });
  const report = { findings: [f, finding({ kind: "imsi", label: "IMSI" })] } as unknown as AnalysisReport;
  const rows = parseCsv(renderCsv(report));
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  assert.equal(rows.length, 3);
  const col = (name: (typeof CSV_COLUMNS)[number]) => rows[1][CSV_COLUMNS.indexOf(name)];
  assert.equal(col("host"), host);
  assert.equal(col("url"), '\'=HYPERLINK("http://x")', "a formula is defused with an apostrophe");
  assert.equal(col("chain"), "http.body › json $.d › base64");
  assert.equal(col("frames"), "4-6");
  assert.equal(col("reasons"), "a; b");
  assert.equal(rows[2][CSV_COLUMNS.indexOf("kind")], "imsi");
});

test("cells starting with formula characters are defused; plain cells stay bare", () => {
  for (const lead of ["=", "+", "-", "@", "\t"])
    assert.equal(csvCell(`${lead}1`).startsWith("'"), true, lead);
  assert.equal(csvCell("plain"), "plain");
  assert.equal(csvCell('a"b'), '"a""b"');
});
