import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { QpackDynamicTable } from "../../../src/decode/http3/qpack-dynamic-table.ts";
import { EncoderStreamReader } from "../../../src/decode/http3/qpack-encoder-stream.ts";
import { decodeFieldSection, requiredInsertCount } from "../../../src/decode/http3/qpack-field-section.ts";
import { QPACK_STATIC_TABLE } from "../../../src/decode/http3/qpack-static-table.ts";
import { hex } from "../decode-helpers.ts";

const pairs = (r: ReturnType<typeof decodeFieldSection>) => {
  assert.equal(r.status, "ok", JSON.stringify(r));
  return r.status === "ok" ? r.headers.map((h) => `${h.name}=${h.value}`) : [];
};

test("static table: 99 entries, spot checks against RFC 9204 Appendix A", () => {
  assert.equal(QPACK_STATIC_TABLE.length, 99);
  assert.deepEqual(QPACK_STATIC_TABLE[0], [":authority", ""]);
  assert.deepEqual(QPACK_STATIC_TABLE[1], [":path", "/"]);
  assert.deepEqual(QPACK_STATIC_TABLE[17], [":method", "GET"]);
  assert.deepEqual(QPACK_STATIC_TABLE[25], [":status", "200"]);
  assert.deepEqual(QPACK_STATIC_TABLE[31], ["accept-encoding", "gzip, deflate, br"]);
  assert.deepEqual(QPACK_STATIC_TABLE[58], [
    "strict-transport-security",
    "max-age=31536000; includesubdomains; preload",
  ]);
  assert.deepEqual(QPACK_STATIC_TABLE[85], [
    "content-security-policy",
    "script-src 'none'; object-src 'none'; base-uri 'none'",
  ]);
  assert.deepEqual(QPACK_STATIC_TABLE[95], ["user-agent", ""]);
  assert.deepEqual(QPACK_STATIC_TABLE[98], ["x-frame-options", "sameorigin"]);
});

test("RFC 9204 Appendix B: the five exchanges, encoder stream and field sections, with table sizes", () => {
  const enc = new EncoderStreamReader();
  const t = enc.table;
  // B.1: literal with a static name reference, no dynamic table.
  assert.deepEqual(pairs(decodeFieldSection(hex("0000 510b 2f69 6e64 6578 2e68 746d 6c"), t, 0)), [
    ":path=/index.html",
  ]);
  // B.2: capacity 220, two inserts with static name references (Size=106), then a blocking section.
  assert.equal(
    enc.push(hex("3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468")),
    2,
  );
  assert.equal(t.capacity, 220);
  assert.equal(t.size, 106);
  assert.deepEqual(pairs(decodeFieldSection(hex("0381 10 11"), t, 220)), [
    ":authority=www.example.com",
    ":path=/sample/path",
  ]);
  // B.3: insert with a literal name (Size=160).
  assert.equal(enc.push(hex("4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565")), 1);
  assert.equal(t.size, 160);
  // B.4: duplicate of relative index 2 (absolute 0), Size=217; a section with Base 4.
  enc.push(hex("02"));
  assert.equal(t.size, 217);
  assert.deepEqual(pairs(decodeFieldSection(hex("0500 80 c1 81"), t, 220)), [
    ":authority=www.example.com",
    ":path=/",
    "custom-key=custom-value",
  ]);
  // B.5: insert with a dynamic name reference evicts the oldest entry (Size=215).
  enc.push(hex("810d 6375 7374 6f6d 2d76 616c 7565 32"));
  assert.equal(t.size, 215);
  assert.equal(t.get(0), undefined);
  assert.deepEqual([t.get(4)?.name, t.get(4)?.value], ["custom-key", "custom-value2"]);
  assert.deepEqual([t.get(1)?.name, t.get(1)?.value], [":path", "/sample/path"]);
  assert.equal(enc.failed, undefined);
});

test("encoder stream instructions split at every byte still build the same table", () => {
  const all = hex(
    "3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468 4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565 02",
  );
  for (let cut = 1; cut < all.length; cut++) {
    const enc = new EncoderStreamReader();
    enc.push(all.subarray(0, cut));
    enc.push(all.subarray(cut));
    assert.equal(enc.table.size, 217, `cut at ${cut}`);
    assert.equal(enc.table.inserted, 4);
  }
});

test("Huffman value (RFC 7541 C.4.1 www.example.com) and a section that must wait for inserts", () => {
  const t = new QpackDynamicTable();
  // 0101 0000: literal, static name index 0 (:authority); value H=1, 12 bytes of Huffman code.
  assert.deepEqual(pairs(decodeFieldSection(hex("0000 50 8c f1e3c2e5f23a6ba0ab90f4ff"), t, 0)), [
    ":authority=www.example.com",
  ]);
  // Required Insert Count 2 (encoded 3 with capacity 220) while nothing was inserted: blocked.
  assert.deepEqual(decodeFieldSection(hex("0381 10 11"), t, 220), {
    status: "blocked",
    requiredInsertCount: 2,
  });
});

test("malformed sections and instructions are errors, not exceptions", () => {
  const t = new QpackDynamicTable();
  const err = (b: string, cap = 0) => decodeFieldSection(hex(b), t, cap).status;
  assert.equal(err(""), "error"); // no prefix
  assert.equal(err("00"), "error"); // no Base
  assert.equal(err("0000 ff64"), "error"); // static index 63 + 100 does not exist
  assert.equal(err("0000 510b 2f69"), "error"); // value shorter than its length
  assert.equal(err("0000 5081 ff"), "error"); // Huffman padding longer than 7 bits
  assert.equal(err("0000 80"), "error"); // dynamic reference with Required Insert Count 0
  assert.equal(err("ff 00", 220), "error"); // encoded insert count above 2 * MaxEntries
  assert.equal(requiredInsertCount(0, 5, 6), 0);
  const bad = new EncoderStreamReader();
  bad.push(hex("3fe1ffffff0f")); // capacity far above the bound
  assert.ok(bad.failed);
  const dup = new EncoderStreamReader();
  dup.push(hex("00")); // duplicate of an entry that does not exist
  assert.ok(dup.failed);
});

test("property: random field sections and encoder streams never throw", () => {
  const enc = new EncoderStreamReader();
  enc.push(hex("3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d"));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (a, b) => {
      const r = decodeFieldSection(a, enc.table, 220);
      assert.ok(["ok", "blocked", "error"].includes(r.status));
      const e = new EncoderStreamReader(new QpackDynamicTable(4096));
      e.push(b);
      e.push(a);
    }),
    { numRuns: 10000 },
  );
});
