// Huffman decoding (RFC 7541 §5.2, Appendix B): the table rows quoted from the RFC, the canonical property
// the decoder relies on, the C.4/C.6 strings, every byte value round-tripped through an encoder built from the
// table, the padding and EOS errors, and the never-throws property.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { huffmanDecode } from "../../../src/decode/http2/hpack-huffman.ts";
import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from "../../../src/decode/http2/hpack-huffman-table.ts";
import { hex, huffmanEncode } from "../../helpers/hpack-encoder.ts";

const decode = (b: Uint8Array): string => {
  const r = huffmanDecode(b, 0, b.length);
  if (typeof r === "string") assert.fail(r);
  return r.toString("latin1");
};

test("table rows as Appendix B prints them (sym: code as hex, len)", () => {
  const rows: [number, number, number][] = [
    [0, 0x1ff8, 13],
    [1, 0x7fffd8, 23],
    [10, 0x3ffffffc, 30],
    [32, 0x14, 6],
    [48, 0x0, 5],
    [97, 0x3, 5],
    [122, 0x7b, 7],
    [255, 0x3ffffee, 26],
    [256, 0x3fffffff, 30],
  ];
  for (const [sym, code, len] of rows) {
    assert.equal(HUFFMAN_CODES[sym], code, `code of ${sym}`);
    assert.equal(HUFFMAN_LENGTHS[sym], len, `length of ${sym}`);
  }
  assert.equal(HUFFMAN_CODES.length, 257);
  assert.equal(HUFFMAN_LENGTHS.length, 257);
});

test("the code is canonical and complete (Kraft sum exactly 1)", () => {
  const order = [...HUFFMAN_LENGTHS.keys()].sort((a, b) => HUFFMAN_LENGTHS[a] - HUFFMAN_LENGTHS[b] || a - b);
  let code = 0;
  let prevLen = HUFFMAN_LENGTHS[order[0]];
  order.forEach((sym, i) => {
    const len = HUFFMAN_LENGTHS[sym];
    if (i > 0) code = (code + 1) * 2 ** (len - prevLen);
    prevLen = len;
    assert.equal(HUFFMAN_CODES[sym], code, `symbol ${sym}`);
  });
  const kraft = HUFFMAN_LENGTHS.reduce((s, len) => s + 2 ** (30 - len), 0);
  assert.equal(kraft, 2 ** 30);
});

test("the Huffman strings of RFC 7541 C.4 and C.6", () => {
  const cases: [string, string][] = [
    ["f1e3 c2e5 f23a 6ba0 ab90 f4ff", "www.example.com"],
    ["a8eb 1064 9cbf", "no-cache"],
    ["25a8 49e9 5ba9 7d7f", "custom-key"],
    ["25a8 49e9 5bb8 e8b4 bf", "custom-value"],
    ["6402", "302"],
    ["aec3 771a 4b", "private"],
    ["d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff", "Mon, 21 Oct 2013 20:13:21 GMT"],
    ["9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3", "https://www.example.com"],
    ["9bd9 ab", "gzip"],
  ];
  for (const [h, text] of cases) assert.equal(decode(hex(h)), text);
});

test("every byte value round-trips, alone and in a run", () => {
  for (let b = 0; b < 256; b++) assert.equal(decode(huffmanEncode(Uint8Array.of(b))), String.fromCharCode(b));
  const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
  assert.deepEqual(new Uint8Array(Buffer.from(decode(huffmanEncode(all)), "latin1")), all);
  assert.equal(decode(new Uint8Array(0)), "");
});

test("errors: EOS inside, padding over 7 bits, padding that is not EOS's leading ones", () => {
  // 30 ones = EOS, then padding.
  assert.equal(huffmanDecode(hex("ffff ffff"), 0, 4), "eos_in_string");
  // "0" (00000) then 11 one bits: padding of 11 bits.
  assert.equal(huffmanDecode(hex("07ff"), 0, 2), "padding_too_long");
  // "a" (00011) then 000.
  assert.equal(huffmanDecode(hex("18"), 0, 1), "padding_not_eos");
  // a whole byte of ones is 8 bits of padding.
  assert.equal(huffmanDecode(hex("ff"), 0, 1), "padding_too_long");
});

test("property: random bytes decode or fail without throwing; encoded bytes round-trip", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      const r = huffmanDecode(b, 0, b.length);
      if (typeof r !== "string") assert.ok(r.length <= Math.floor((b.length * 8) / 5));
      assert.deepEqual(new Uint8Array(Buffer.from(decode(huffmanEncode(b)), "latin1")), b);
    }),
    { numRuns: 10000 },
  );
});
