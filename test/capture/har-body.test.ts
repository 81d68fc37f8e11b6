// Body decoding: Node's own whole-string decoders are the oracle; the bounded decoders must give the same
// bytes up to the bound and say truthfully whether they cut.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { base64Body, formBody, utf8Body } from "../../src/capture/har-body.ts";

const plain = (b: Uint8Array): number[] => [...b];
// Whole code points, and single UTF-16 units so lone surrogates (JSON allows them) are covered too.
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: codeUnit, maxLength: 40 }),
);

test("utf8Body: whole text under the bound", () => {
  const r = utf8Body("héllo", 100);
  assert.deepEqual(plain(r.bytes), [0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]);
  assert.equal(r.truncated, false);
  assert.ok(!Buffer.isBuffer(r.bytes), "a plain Uint8Array, not a pooled Buffer view");
});

test("utf8Body cuts at the byte bound, keeping split surrogate pairs real", () => {
  const text = `abc${"\u{1F600}"}`; // 3 + 4 bytes
  const r = utf8Body(text, 5);
  assert.deepEqual(plain(r.bytes), [0x61, 0x62, 0x63, 0xf0, 0x9f]);
  assert.equal(r.truncated, true);
});

test("base64Body decodes, ignores line breaks and flags junk", () => {
  assert.deepEqual(plain(base64Body("AAEC\r\n/w==", 100).bytes), [0, 1, 2, 255]);
  assert.equal(base64Body("AAEC\r\n/w==", 100).badBase64, false);
  assert.equal(base64Body("AA*C", 100).badBase64, true);
  assert.equal(base64Body("AAECA", 100).badBase64, true, "one dangling character cannot be base64");
});

test("formBody encodes as application/x-www-form-urlencoded", () => {
  const r = formBody(
    [
      { name: "imei", value: "35 1234&5" },
      { name: "é", value: "" },
    ],
    100,
  );
  // WHATWG URL Standard §5.2: space → '+', '&' → %26, UTF-8 percent-encoded.
  assert.equal(Buffer.from(r.bytes).toString(), "imei=35+1234%265&%C3%A9=");
});

test("utf8Body equals Buffer.from(text) cut at the bound", () => {
  fc.assert(
    fc.property(anyText, fc.nat(120), (text, max) => {
      const full = Buffer.from(text, "utf8");
      const r = utf8Body(text, max);
      assert.deepEqual(plain(r.bytes), plain(full.subarray(0, max)));
      assert.equal(r.truncated, full.length > max);
    }),
    { numRuns: 10000 },
  );
});

test("base64Body equals Buffer's whole decode cut at the bound, with or without line breaks", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(80), fc.boolean(), (bytes, max, wrap) => {
      let text = Buffer.from(bytes).toString("base64");
      if (wrap) text = text.replace(/(.{8})/g, "$1\r\n");
      const r = base64Body(text, max);
      assert.deepEqual(plain(r.bytes), [...bytes].slice(0, max));
      assert.equal(r.truncated, bytes.length > max);
      assert.equal(r.badBase64, false);
    }),
    { numRuns: 10000 },
  );
});

test("base64Body on any string returns at most max bytes", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), fc.nat(40), (text, max) => {
      const r = base64Body(text, max);
      assert.ok(r.bytes.length <= max);
    }),
    { numRuns: 10000 },
  );
});
