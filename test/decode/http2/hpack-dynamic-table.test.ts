// The dynamic table (RFC 7541 §2.3.2, §4): sizes count octets + 32, newest first, eviction on insert and on
// resize, an entry larger than the table empties it (§4.4), and many evictions keep the order right.

import assert from "node:assert/strict";
import { test } from "node:test";
import { DynamicTable } from "../../../src/decode/http2/hpack-dynamic-table.ts";

const names = (t: DynamicTable): string[] => Array.from({ length: t.length }, (_, i) => t.get(i)!.field.name);

test("sizes and order: name + value octets + 32, newest at index 0", () => {
  const t = new DynamicTable(4096);
  t.add({ name: "a", value: "bb" }, 1, 2);
  t.add({ name: "ccc", value: "" }, 3, 0);
  assert.equal(t.size, 35 + 35);
  assert.deepEqual(names(t), ["ccc", "a"]);
  assert.equal(t.get(2), undefined);
  assert.equal(t.get(-1), undefined);
});

test("insertion evicts the oldest; an entry larger than the table empties it and is not added", () => {
  const t = new DynamicTable(100);
  t.add({ name: "a", value: "" }, 1, 0); // 33
  t.add({ name: "b", value: "" }, 1, 0); // 66
  t.add({ name: "c", value: "" }, 1, 0); // 99
  t.add({ name: "d", value: "" }, 1, 0); // evicts a
  assert.deepEqual(names(t), ["d", "c", "b"]);
  assert.equal(t.size, 99);
  t.add({ name: "big", value: "" }, 69, 0); // 101 > 100
  assert.equal(t.length, 0);
  assert.equal(t.size, 0);
  t.add({ name: "fits", value: "" }, 68, 0); // exactly 100
  assert.deepEqual(names(t), ["fits"]);
});

test("resize evicts to fit; many evictions (compaction) keep newest-first order", () => {
  const t = new DynamicTable(33 * 10);
  for (let i = 0; i < 5000; i++) t.add({ name: String(i % 10), value: "" }, 1, 0);
  assert.equal(t.length, 10);
  assert.deepEqual(names(t), ["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"]);
  t.resize(66);
  assert.deepEqual(names(t), ["9", "8"]);
  t.resize(0);
  assert.equal(t.length, 0);
});
