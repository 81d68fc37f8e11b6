import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jsonStart, memberSegment } from "../../../src/detect/structure/json-leaves.ts";
import { enc, walkAll } from "./structure-helpers.ts";

const leaves = (s: string) =>
  walkAll(enc(s))
    .filter((v) => v.chain.length === 2)
    .map((v) => [v.chain[1].at, v.text, v.key]);

describe("json leaves", () => {
  it("paths: identifiers with dots, other keys quoted, array indexes", () => {
    assert.equal(memberSegment("imei"), ".imei");
    assert.equal(memberSegment("a.b"), '["a.b"]');
    assert.equal(memberSegment('q"t'), '["q\\"t"]');
    assert.deepEqual(leaves('{"a.b":{"c":[10,{"d e":"x"}]}}'), [
      ['$["a.b"].c[0]', "10", "c"],
      ['$["a.b"].c[1]["d e"]', "x", "d e"],
    ]);
  });

  it("numbers and literals keep their source text; strings are unescaped", () => {
    assert.deepEqual(
      leaves('{"n":1.50e+3,"m":-0.000123,"t":true,"z":null}').map((l) => l[1]),
      ["1.50e+3", "-0.000123", "true", "null"],
    );
    assert.deepEqual(
      leaves('["caf\\u00e9 \\"q\\" \\/ \\n", "\\ud83d\\ude00"]').map((l) => l[1]),
      ['café "q" / \n', "😀"],
    );
  });

  it("tolerates anti-hijacking and JSONP wrappers", () => {
    for (const s of [')]}\'\n{"a":1}', 'while(1);{"a":1}', 'for(;;);{"a":1}', 'cb_1.x({"a":1});']) {
      assert.deepEqual(leaves(s), [["$.a", "1", "a"]], s);
    }
    assert.equal(jsonStart(enc("hello({")), 6);
    assert.equal(jsonStart(enc("hello world")), -1);
  });

  it("a document cut short keeps the leaves before the cut; prose starting with [ is not JSON", () => {
    assert.deepEqual(leaves('{"a":"1","b":{"c":"2","d":"unterminated'), [
      ["$.a", "1", "a"],
      ["$.b.c", "2", "c"],
    ]);
    assert.deepEqual(leaves("[INFO] started"), []);
  });

  it("deep nesting is bounded, not a stack overflow", () => {
    const deep = `${"[".repeat(100000)}1${"]".repeat(100000)}`;
    assert.deepEqual(leaves(deep), []);
  });
});
