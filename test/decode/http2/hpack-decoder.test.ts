// The HPACK decoder against RFC 7541 Appendix C (C.2 single fields; C.3/C.4 requests and C.5/C.6 responses on
// one connection, without and with Huffman coding: decoded lists, dynamic table contents and sizes), size
// updates bounded by SETTINGS_HEADER_TABLE_SIZE, errors, bounds, and the never-throws property.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type HpackBlock, HpackDecoder, type HpackFailure } from "../../../src/decode/http2/hpack-decoder.ts";
import {
  hex,
  hpackIndexed,
  hpackLiteral,
  hpackSizeUpdate,
  hpackString,
} from "../../helpers/hpack-encoder.ts";

type Pair = [string, string];

function ok(r: HpackBlock | HpackFailure): Pair[] {
  if ("error" in r) assert.fail(r.error);
  return r.headers.map((h) => [h.name, h.value]);
}

function dynamic(d: HpackDecoder): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < d.table.length; i++) {
    const f = d.table.get(i)!.field;
    out.push([f.name, f.value]);
  }
  return out;
}

/** One step of an Appendix C sequence: the block, the list, the table (newest first), its size. */
type Step = [string, Pair[], Pair[], number];

function runSequence(steps: Step[], tableSize = 4096): void {
  const d = new HpackDecoder();
  if (tableSize !== 4096) {
    // C.5/C.6 run with SETTINGS_HEADER_TABLE_SIZE 256; the decoder's table follows that setting.
    d.setLimit(tableSize);
    d.table.resize(tableSize);
  }
  steps.forEach(([block, list, table, size], i) => {
    assert.deepEqual(ok(d.decode(hex(block))), list, `step ${i + 1} list`);
    assert.deepEqual(dynamic(d), table, `step ${i + 1} table`);
    assert.equal(d.table.size, size, `step ${i + 1} size`);
  });
}

test("C.2.1 literal with indexing: custom-key: custom-header, table size 55", () => {
  runSequence([
    [
      "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
      [["custom-key", "custom-header"]],
      [["custom-key", "custom-header"]],
      55,
    ],
  ]);
});

test("C.2.2 literal without indexing, C.2.3 never indexed, C.2.4 indexed: table stays empty", () => {
  runSequence([
    ["040c 2f73 616d 706c 652f 7061 7468", [[":path", "/sample/path"]], [], 0],
    ["1008 7061 7373 776f 7264 0673 6563 7265 74", [["password", "secret"]], [], 0],
    ["82", [[":method", "GET"]], [], 0],
  ]);
});

const REQ1: Pair[] = [
  [":method", "GET"],
  [":scheme", "http"],
  [":path", "/"],
  [":authority", "www.example.com"],
];
const REQ2: Pair[] = [...REQ1, ["cache-control", "no-cache"]];
const REQ3: Pair[] = [
  [":method", "GET"],
  [":scheme", "https"],
  [":path", "/index.html"],
  [":authority", "www.example.com"],
  ["custom-key", "custom-value"],
];
const T1: Pair[] = [[":authority", "www.example.com"]];
const T2: Pair[] = [["cache-control", "no-cache"], ...T1];
const T3: Pair[] = [["custom-key", "custom-value"], ...T2];

test("C.3 requests without Huffman coding", () => {
  runSequence([
    ["8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", REQ1, T1, 57],
    ["8286 84be 5808 6e6f 2d63 6163 6865", REQ2, T2, 110],
    ["8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", REQ3, T3, 164],
  ]);
});

test("C.4 requests with Huffman coding", () => {
  runSequence([
    ["8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", REQ1, T1, 57],
    ["8286 84be 5886 a8eb 1064 9cbf", REQ2, T2, 110],
    ["8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", REQ3, T3, 164],
  ]);
});

const DATE1 = "Mon, 21 Oct 2013 20:13:21 GMT";
const DATE2 = "Mon, 21 Oct 2013 20:13:22 GMT";
const LOC = "https://www.example.com";
const COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
const RES1: Pair[] = [
  [":status", "302"],
  ["cache-control", "private"],
  ["date", DATE1],
  ["location", LOC],
];
const RES2: Pair[] = [[":status", "307"], ...RES1.slice(1)];
const RES3: Pair[] = [
  [":status", "200"],
  ["cache-control", "private"],
  ["date", DATE2],
  ["location", LOC],
  ["content-encoding", "gzip"],
  ["set-cookie", COOKIE],
];
const RT1: Pair[] = [
  ["location", LOC],
  ["date", DATE1],
  ["cache-control", "private"],
  [":status", "302"],
];
// The 307 entry evicts the oldest (:status 302) to stay within 256 octets.
const RT2: Pair[] = [[":status", "307"], ...RT1.slice(0, 3)];
const RT3: Pair[] = [
  ["set-cookie", COOKIE],
  ["content-encoding", "gzip"],
  ["date", DATE2],
];

test("C.5 responses without Huffman coding, 256-octet table with evictions", () => {
  runSequence(
    [
      [
        `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
         2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
         6c65 2e63 6f6d`,
        RES1,
        RT1,
        222,
      ],
      ["4803 3330 37c1 c0bf", RES2, RT2, 222],
      [
        `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
         54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
         5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e
         3d31`,
        RES3,
        RT3,
        215,
      ],
    ],
    256,
  );
});

test("C.6 responses with Huffman coding, 256-octet table with evictions", () => {
  runSequence(
    [
      [
        `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
         2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
        RES1,
        RT1,
        222,
      ],
      ["4883 640e ffc1 c0bf", RES2, RT2, 222],
      [
        `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
         77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
         9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
        RES3,
        RT3,
        215,
      ],
    ],
    256,
  );
});

const block = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

test("size updates: allowed up to the peer's SETTINGS_HEADER_TABLE_SIZE, evicting; above it an error", () => {
  const d = new HpackDecoder();
  ok(
    d.decode(
      block(hpackLiteral("a", "x".repeat(100), "indexed"), hpackLiteral("b", "y".repeat(100), "indexed")),
    ),
  );
  assert.equal(d.table.size, 2 * (1 + 100 + 32));
  // Shrinking to 150 keeps only the newest entry (133 octets).
  ok(d.decode(block(hpackSizeUpdate(150), hpackIndexed(62))));
  assert.deepEqual(dynamic(d), [["b", "y".repeat(100)]]);
  // 8192 is above the default limit of 4096 ...
  const r = d.decode(block(hpackSizeUpdate(8192), hpackIndexed(2)));
  assert.ok("error" in r && /above the limit 4096/.test(r.error), JSON.stringify(r));
  // ... and allowed once the peer advertised it.
  const d2 = new HpackDecoder();
  d2.setLimit(8192);
  assert.deepEqual(ok(d2.decode(block(hpackSizeUpdate(8192), hpackIndexed(2)))), [[":method", "GET"]]);
  assert.equal(d2.table.maxSize, 8192);
});

test("a size update of 0 empties the table; two updates at the start are allowed (RFC 7541 §4.2)", () => {
  const d = new HpackDecoder();
  ok(d.decode(block(hpackLiteral("k", "v", "indexed"))));
  assert.equal(d.table.length, 1);
  ok(d.decode(block(hpackSizeUpdate(0), hpackSizeUpdate(4096), hpackIndexed(2))));
  assert.equal(d.table.length, 0);
  assert.equal(d.table.size, 0);
});

test("errors: index 0, index past the tables, update after a field, truncated string, bad Huffman", () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ["index 0", block([0x80]), /index 0/],
    ["past the static table", block(hpackIndexed(62)), /index 62 beyond/],
    ["update after a field", block(hpackIndexed(2), hpackSizeUpdate(0)), /after a field/],
    ["truncated string", block([0x00, 0x05, 0x61]), /past the end/],
    ["integer without its end", block([0x7f, 0x80]), /past the end/],
    ["huge integer", block([0x7f, 0xff, 0xff, 0xff, 0xff, 0x7f]), /too large/],
    // "a" is 00011; padding with zeros instead of EOS bits.
    ["padding not EOS", block([0x00, 0x81, 0x18, 0x81, 0x18]), /padding_not_eos/],
  ];
  for (const [what, b, re] of cases) {
    const r = new HpackDecoder().decode(b);
    assert.ok("error" in r && re.test(r.error), `${what}: ${JSON.stringify(r)}`);
  }
});

test("bounds: fields beyond the list size or count are dropped but still indexed", () => {
  const d = new HpackDecoder({ maxTableSize: 4096, maxHeaderListBytes: 100, maxHeaders: 2 });
  const r = d.decode(
    block(
      hpackLiteral("a", "1", "indexed"),
      hpackLiteral("b", "2", "indexed"),
      hpackLiteral("c", "3", "indexed"),
      hpackLiteral("d", "x".repeat(80), "indexed"),
    ),
  );
  assert.ok(!("error" in r));
  assert.deepEqual(
    r.headers.map((h) => h.name),
    ["a", "b"],
  );
  assert.equal(r.dropped, 2);
  // The dropped fields are in the table all the same, so later blocks that refer to them decode.
  assert.deepEqual(ok(d.decode(block(hpackIndexed(63)))), [["c", "3"]]);
});

test("the table bound refuses size updates above it whatever the peer advertised", () => {
  const d = new HpackDecoder({ maxTableSize: 1000, maxHeaderListBytes: 65536, maxHeaders: 256 });
  d.setLimit(1 << 20);
  const r = d.decode(block(hpackSizeUpdate(2000)));
  assert.ok("error" in r && /above the bound 1000/.test(r.error));
});

test("UTF-8 and latin1 octets in values become text as HTTP/1 fields do", () => {
  const d = new HpackDecoder();
  const utf8 = [0x00, ...hpackString("x-name"), ...hpackString(Buffer.from("Zürich", "utf8"))];
  const latin = [0x00, ...hpackString("x-l"), ...hpackString(Uint8Array.from([0x5a, 0xfc]))];
  assert.deepEqual(ok(d.decode(block(utf8, latin))), [
    ["x-name", "Zürich"],
    ["x-l", "Zü"],
  ]);
});

test("property: random and mutated blocks never throw, and the table stays within its maximum", () => {
  const valid = Buffer.from(
    hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf 4803 3330 37c1 c0bf 3fe1 1f"),
  );
  const arb = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc
      .array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 })
      .map((muts) => {
        const b = Uint8Array.from(valid);
        for (const [i, v] of muts) b[i] = v;
        return b;
      }),
  );
  fc.assert(
    fc.property(fc.array(arb, { minLength: 1, maxLength: 4 }), (blocks) => {
      const d = new HpackDecoder();
      d.setLimit(8192);
      for (const b of blocks) d.decode(b);
      assert.ok(d.table.size <= d.table.maxSize);
    }),
    { numRuns: 10000 },
  );
});
