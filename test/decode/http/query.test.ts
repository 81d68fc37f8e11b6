// Query strings: ordered pairs, percent-decoding, `+` as space, malformed escapes kept as written.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeComponent, parseQuery, queryOf } from "../../../src/decode/http/query.ts";

test("queryOf takes the text after the first ? up to a #", () => {
  assert.equal(queryOf("/p?a=1&b=2#frag"), "a=1&b=2");
  assert.equal(queryOf("http://h/p?x=?y"), "x=?y");
  assert.equal(queryOf("/p"), undefined);
});

test("pairs keep order and duplicates; a name without = has an empty value; empty members are skipped", () => {
  assert.deepEqual(parseQuery("imei=868031020761234&imei=2&flag&&x="), [
    ["imei", "868031020761234"],
    ["imei", "2"],
    ["flag", ""],
    ["x", ""],
  ]);
});

test("percent escapes decode as UTF-8, + is a space", () => {
  assert.deepEqual(parseQuery("phone=%2B86%20138&name=%E5%B0%8F%E7%B1%B3&q=a+b"), [
    ["phone", "+86 138"],
    ["name", "小米"],
    ["q", "a b"],
  ]);
});

test("malformed escapes and escapes that are not UTF-8 stay raw, the rest still decodes", () => {
  assert.equal(decodeComponent("100%"), "100%");
  assert.equal(decodeComponent("%zz%41"), "%zzA");
  assert.equal(decodeComponent("%ff%41"), "%ffA");
  assert.equal(decodeComponent("%4"), "%4");
});

test("property: parsing never throws and every & separated member gives at most one pair", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (q) => {
      const pairs = parseQuery(q);
      assert.ok(pairs.length <= q.split("&").length);
    }),
    { numRuns: 10000 },
  );
});
