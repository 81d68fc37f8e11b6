import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { enc, walkAll } from "./structure-helpers.ts";

const members = (s: string, root = "http.body") =>
  walkAll(enc(s), root)
    .filter((v) => v.chain.length === 2)
    .map((v) => `${v.chainText.replace(`${root} › `, "")}=${v.text}`);

describe("form fields", () => {
  it("percent-decodes names and values, + as space, keeps malformed escapes", () => {
    assert.deepEqual(members("a%20b=c+d&e=%E4%BD%A0%zz&empty=&flag"), ["form a b=c d", "form e=你%zz"]);
  });

  it("a form body with a trailing newline; binary bytes after % escapes", () => {
    const v = walkAll(enc("k=%00%FF%1f\r\n")).find((x) => x.chainText === "http.body › form k");
    assert.deepEqual([...(v?.data ?? [])], [0x00, 0xff, 0x1f]);
  });

  it("refuses prose, base64 tokens and JSON", () => {
    assert.deepEqual(members("this is = not a form"), []);
    assert.deepEqual(members("q0Xd9zF7+Rk2pLm8Vb4="), []);
    assert.deepEqual(members("YWJjZGVmZ2hpams="), ["base64=abcdefghijk"]);
    assert.deepEqual(members('{"a=b":1}'), ['json $["a=b"]=1']);
  });

  it("queries in a URI start after ?, stop at #; a path without ? has none", () => {
    assert.deepEqual(members("/p?x=1&y=2#z=3", "http.uri"), ["query x=1", "query y=2"]);
    assert.deepEqual(members("/p/a=b", "http.uri"), []);
  });
});
