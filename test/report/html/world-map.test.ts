import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { countryTable } from "../../../src/report/html/country-codes.ts";
import { loadAtlas, MAP_WIDTH } from "../../../src/report/html/world-atlas.ts";
import { mapCanPlace, renderWorldMap } from "../../../src/report/html/world-map.ts";
import { byClass, findAll, type HtmlElement, parseHtml, textOf } from "../../helpers/html-tree.ts";

describe("world atlas", () => {
  test("places every country code except Antarctica (left out of the map)", () => {
    const missing = [...countryTable().numeric.keys()].filter((cc) => !mapCanPlace(cc));
    assert.deepEqual(missing, ["AQ"]);
  });

  test("anchors sit where the countries are (largest polygon, so not between France and Guiana)", () => {
    const at = (cc: string): [number, number] => loadAtlas().countries.get(cc)!.lonlat;
    const inBox = (cc: string, lon: [number, number], lat: [number, number]): void => {
      const [x, y] = at(cc);
      assert.ok(x >= lon[0] && x <= lon[1] && y >= lat[0] && y <= lat[1], `${cc} anchor ${x},${y}`);
    };
    inBox("FR", [-5, 8], [42, 51]);
    inBox("US", [-125, -67], [25, 49]);
    inBox("CN", [75, 125], [20, 45]);
    inBox("NO", [4, 31], [58, 71]);
    assert.deepEqual(at("SG"), [103.82, 1.35], "point from the data file");
  });

  test("every anchor projects inside the map", () => {
    const atlas = loadAtlas();
    for (const [cc, c] of atlas.countries) {
      const [x, y] = c.xy;
      assert.ok(x >= 0 && x <= MAP_WIDTH && y >= 0 && y <= atlas.height, `${cc} at ${x},${y}`);
    }
  });

  test("path data is rounded to one decimal", () => {
    assert.doesNotMatch(loadAtlas().land, /\.\d\d/);
    assert.doesNotMatch(loadAtlas().borders, /\.\d\d/);
  });
});

/** The rendered map as a tree. */
function render(input: Parameters<typeof renderWorldMap>[0]): HtmlElement {
  return parseHtml(renderWorldMap(input).html);
}

describe("renderWorldMap", () => {
  const input = {
    home: "FI",
    countries: [
      { cc: "CN", severity: "critical" as const, findings: 6, endpoints: 3 },
      { cc: "DE", severity: "medium" as const, findings: 1, endpoints: 1 },
      { cc: "US", findings: 0, endpoints: 1 },
      { cc: "SG", severity: "low" as const, findings: 1, endpoints: 1 },
    ],
  };

  test("fills destination countries by severity and shades endpoint-only ones", () => {
    const svg = render(input);
    const countries = byClass(svg, "country", "path");
    const cls = (el: HtmlElement): string => el.attrs.class;
    assert.deepEqual(countries.map(cls).sort(), [
      "country contacted",
      "country home",
      "country sev-critical",
      "country sev-medium",
    ]);
    assert.match(textOf(byClass(svg, "sev-critical", "path")[0]), /China \(CN\): 6 findings, critical/);
  });

  test("draws an arc from home to each destination and a labelled marker for each", () => {
    const svg = render(input);
    assert.equal(byClass(svg, "arc", "path").length, 4);
    const labels = byClass(svg, "marker", "g").map((g) => textOf(findAll(g, "text")[0]));
    assert.deepEqual(labels.sort(), ["CN", "DE", "SG", "US", "home FI"]);
  });

  test("a destination in the home country gets no arc; without a home there are no arcs", () => {
    assert.equal(byClass(render({ home: "CN", countries: input.countries }), "arc", "path").length, 3);
    assert.equal(byClass(render({ countries: input.countries }), "arc", "path").length, 0);
  });

  test("codes outside the closed set are left off, and severities outside it fall back to info", () => {
    const svg = render({
      home: '"><script>',
      countries: [
        { cc: "<b>", severity: "high", findings: 1, endpoints: 1 },
        { cc: "ZZ", severity: "high", findings: 1, endpoints: 1 },
        { cc: "JP", severity: 'x" onload="alert(1)' as "high", findings: 1, endpoints: 1 },
      ],
    });
    assert.deepEqual(
      byClass(svg, "country", "path").map((p) => p.attrs.class),
      ["country sev-info"],
    );
    for (const el of findAll(svg)) {
      assert.ok(
        Object.keys(el.attrs).every((a) => !a.startsWith("on")),
        `${el.tag} has an event attribute`,
      );
    }
    assert.equal(findAll(svg, "script").length, 0);
  });
});
