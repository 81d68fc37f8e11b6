// HPACK integers and string literals (RFC 7541 §5): the C.1 examples, bounds, and truncation.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { HpackError, readInteger, readString } from "../../../src/decode/http2/hpack-primitives.ts";
import { hpackInt, hpackString } from "../../helpers/hpack-encoder.ts";

const cursor = (bytes: number[]) => ({ buf: Uint8Array.from(bytes), pos: 0 });

test("C.1.1 10 in a 5-bit prefix, C.1.2 1337 in a 5-bit prefix, C.1.3 42 at an octet boundary", () => {
  const c1 = cursor([0x0a]);
  assert.equal(readInteger(c1, 5), 10);
  assert.equal(c1.pos, 1);
  const c2 = cursor([0x1f, 0x9a, 0x0a]);
  assert.equal(readInteger(c2, 5), 1337);
  assert.equal(c2.pos, 3);
  const c3 = cursor([0x2a]);
  assert.equal(readInteger(c3, 8), 42);
});

test("prefix bits above N are ignored; values just at 2^N-1 take one more octet", () => {
  assert.equal(readInteger(cursor([0xe0 | 0x0a]), 5), 10);
  assert.equal(readInteger(cursor([0x1f, 0x00]), 5), 31);
  assert.equal(readInteger(cursor([0xff, 0x00]), 7), 127);
});

test("integers: truncated and over 2^31-1 are errors", () => {
  assert.throws(() => readInteger(cursor([]), 5), HpackError);
  assert.throws(() => readInteger(cursor([0x1f, 0x80]), 5), HpackError);
  assert.throws(() => readInteger(cursor([0x1f, 0xff, 0xff, 0xff, 0xff, 0x0f]), 5), /too large/);
  assert.equal(readInteger(cursor(hpackInt(2 ** 31 - 1, 5)), 5), 2 ** 31 - 1);
});

test("strings: raw and Huffman; a length past the block is an error", () => {
  assert.equal(readString(cursor(hpackString("custom-key"))).toString(), "custom-key");
  assert.equal(readString(cursor(hpackString("custom-key", true))).toString(), "custom-key");
  assert.throws(() => readString(cursor([0x05, 0x61])), /past the end/);
});

test("property: integers round-trip through every prefix size", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 8 }), (v, n) => {
      const c = cursor(hpackInt(v, n));
      assert.equal(readInteger(c, n), v);
      assert.equal(c.pos, c.buf.length);
    }),
    { numRuns: 10000 },
  );
});
