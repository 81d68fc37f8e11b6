import assert from "node:assert/strict";
import { test } from "node:test";
import { maskValue } from "../../src/detect/mask.ts";

test("long values keep five leading and four trailing characters", () => {
  assert.equal(maskValue("861234567890127"), "86123••••••0127");
  assert.equal(maskValue("+8613800138000"), "+8613•••••8000");
});

test("shorter values reveal less, and tiny ones nothing", () => {
  assert.equal(maskValue("li.wei@x.cn"), "li•••••••cn");
  assert.equal(maskValue("Li Wei"), "L••••i");
  assert.equal(maskValue("abc"), "•••");
});

test("masking never returns the value and keeps its length (in characters)", () => {
  for (const v of ["861234567890127", "a@b.co", "中国移动通信", "02:00:00:00:00:00"]) {
    const m = maskValue(v);
    assert.notEqual(m, v);
    assert.equal([...m].length, [...v].length);
  }
});
