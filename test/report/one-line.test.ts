import assert from "node:assert/strict";
import { test } from "node:test";
import { oneLine } from "../../src/report/one-line.ts";

test("control characters and newlines from a capture are escaped, text is kept", () => {
  assert.equal(oneLine("api.example.cn\r\n\u001b[31mred"), "api.example.cn\\r\\n\\u001b[31mred");
  assert.equal(oneLine("中国移动 86123••••0127"), "中国移动 86123••••0127");
});

test("quotes stay as they are; bidi overrides, C1 controls and backslashes are escaped", () => {
  assert.equal(oneLine('contact "Li Lei"'), 'contact "Li Lei"');
  assert.equal(oneLine("evil\u202egnp.exe"), "evil\\u202egnp.exe");
  assert.equal(oneLine("a\u009bb\\c"), "a\\u009bb\\\\c");
});
