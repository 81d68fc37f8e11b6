// HAR field readers: timestamps against Date.parse (millisecond inputs) and Python's datetime (microsecond
// inputs), and the forgiving name/value and timing readers on hand cases.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { isoSeconds, msToFirstByte, nameValues, num, timings } from "../../src/capture/har-fields.ts";

test("isoSeconds keeps microseconds (oracle: Python datetime.fromisoformat(...).timestamp())", () => {
  assert.ok(Math.abs(isoSeconds("2023-07-25T10:42:01.726810+00:00")! - 1690281721.72681) < 1e-6);
  assert.ok(Math.abs(isoSeconds("2023-07-25T10:58:25.577252+00:00")! - 1690282705.577252) < 1e-6);
  assert.ok(Math.abs(isoSeconds("2023-03-29T16:58:59.303-07:00")! - 1680134339.303) < 1e-6);
});

test("isoSeconds: offsets without colon, no seconds, no zone (UTC), junk", () => {
  assert.equal(isoSeconds("2014-08-12T10:00:00+0800"), Date.parse("2014-08-12T02:00:00Z") / 1000);
  assert.equal(isoSeconds("2014-08-12T10:00Z"), Date.parse("2014-08-12T10:00:00Z") / 1000);
  assert.equal(isoSeconds("2014-08-12T10:00:00"), Date.parse("2014-08-12T10:00:00Z") / 1000);
  assert.equal(isoSeconds("2014-13-12T10:00:00Z"), undefined);
  assert.equal(isoSeconds("yesterday"), undefined);
  assert.equal(isoSeconds(12), undefined);
  assert.equal(isoSeconds(undefined), undefined);
});

test("isoSeconds equals Date.parse on millisecond times at any offset", () => {
  const when = fc.integer({ min: 0, max: 4102444800000 }); // 1970 .. 2100
  const offset = fc.integer({ min: -14 * 60, max: 14 * 60 }); // minutes
  fc.assert(
    fc.property(when, offset, fc.boolean(), (ms, off, colon) => {
      const local = new Date(ms + off * 60_000).toISOString().slice(0, 23);
      const sign = off < 0 ? "-" : "+";
      const a = Math.abs(off);
      const hh = String(Math.floor(a / 60)).padStart(2, "0");
      const mm = String(a % 60).padStart(2, "0");
      const text = `${local}${sign}${hh}${colon ? ":" : ""}${mm}`;
      assert.ok(Math.abs(isoSeconds(text)! - Date.parse(`${local}${sign}${hh}:${mm}`) / 1000) < 1e-6, text);
    }),
    { numRuns: 10000 },
  );
});

test("num accepts numbers and numeric strings only", () => {
  assert.equal(num(3), 3);
  assert.equal(num("40"), 40);
  assert.equal(num("4x"), undefined);
  assert.equal(num(Number.NaN), undefined);
  assert.equal(num(null), undefined);
});

test("nameValues keeps order and case, stringifies scalar values, counts bad items", () => {
  const r = nameValues([
    { name: "X-A", value: "1" },
    { name: "n", value: 5 },
    { value: "no name" },
    "junk",
    { name: "e" },
  ]);
  assert.deepEqual(r.list, [
    { name: "X-A", value: "1" },
    { name: "n", value: "5" },
    { name: "e", value: "" },
  ]);
  assert.equal(r.bad, 2);
  assert.deepEqual(nameValues({ a: 1 }), { list: [], bad: 1 });
  assert.deepEqual(nameValues(undefined), { list: [], bad: 0 });
});

test("timings drop -1 phases (HAR 1.2: does not apply) and add the entry time", () => {
  const t = timings({ blocked: -1, dns: -1, connect: 10, ssl: 4, send: 1, wait: 20, receive: 2 }, 33);
  assert.deepEqual(t, { connect: 10, ssl: 4, send: 1, wait: 20, receive: 2, total: 33 });
  // HAR 1.2: ssl is already inside connect, so it is not added again.
  assert.equal(msToFirstByte(t!), 31);
  assert.equal(timings(undefined, undefined), undefined);
});
