// SETTINGS parameters and their ranges (RFC 9113 §6.5.2), GOAWAY error text (§6.8).

import assert from "node:assert/strict";
import { test } from "node:test";
import { goawayProblem, readSettings } from "../../../src/decode/http2/http2-settings.ts";

const payload = (pairs: [number, number][]) => {
  const b = Buffer.alloc(pairs.length * 6);
  pairs.forEach(([id, v], i) => {
    b.writeUInt16BE(id, i * 6);
    b.writeUInt32BE(v, i * 6 + 2);
  });
  return b;
};

test("parameters in order; out-of-range values say why; unknown identifiers kept unchecked", () => {
  const s = readSettings(
    payload([
      [1, 65536],
      [2, 2],
      [4, 0x80000000],
      [5, 16383],
      [5, 16777215],
      [0x99, 7],
    ]),
  );
  assert.deepEqual(
    s.map((x) => [x.id, x.value, x.problem ?? ""]),
    [
      [1, 65536, ""],
      [2, 2, "ENABLE_PUSH must be 0 or 1"],
      [4, 0x80000000, "INITIAL_WINDOW_SIZE above 2^31-1"],
      [5, 16383, "MAX_FRAME_SIZE out of range"],
      [5, 16777215, ""],
      [0x99, 7, ""],
    ],
  );
});

test("GOAWAY: NO_ERROR is no problem; other codes by name with the last stream and debug text", () => {
  const g = (last: number, code: number, debug = "") => {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(last);
    b.writeUInt32BE(code, 4);
    return Buffer.concat([b, Buffer.from(debug, "latin1")]);
  };
  assert.equal(goawayProblem(g(5, 0)), undefined);
  assert.equal(goawayProblem(g(5, 9, "table\n")), "COMPRESSION_ERROR, last stream 5: table\\x0a");
  assert.equal(goawayProblem(g(0x80000003, 0x77)), "0x77, last stream 3");
});
