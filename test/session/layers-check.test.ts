import assert from "node:assert/strict";
import { test } from "node:test";
import { byteCount, layersValid } from "../../src/session/layers-check.ts";
import { build } from "./session-fixtures.ts";

test("layersValid accepts offsets inside the buffer and rejects the rest", () => {
  const [, l] = build({
    src: "10.0.0.1",
    dst: "10.0.0.2",
    sport: 1,
    dport: 2,
    proto: 6,
    payload: "abc",
    ts: 1,
    frame: 1,
  });
  assert.equal(layersValid(l), true); // buffer: 4 + 4 address bytes, then 3 payload bytes
  for (const [field, value] of [
    ["srcOff", 8],
    ["dstOff", -1],
    ["dstOff", 1.5],
    ["payloadOff", 9],
    ["payloadLen", 12],
    ["payloadWireLen", Number.NaN],
    ["addrLen", 6],
  ] as const) {
    const bad = { ...l, [field]: value };
    assert.equal(layersValid(bad), false, `${field} = ${value}`);
  }
  assert.equal(
    layersValid({ ...l, payloadLen: 0, payloadOff: 99 }),
    true,
    "no payload: its offset is not read",
  );
});

test("byteCount keeps real lengths and zeroes nonsense", () => {
  assert.deepEqual(
    [1500, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 33].map(byteCount),
    [1500, 0, 0, 0, 0, 0],
  );
});
