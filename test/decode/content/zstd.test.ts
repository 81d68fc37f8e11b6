// zstd content decoding: a frame made by the zstd command-line tool decodes to the text it was given; frames
// built by hand after RFC 8878 (raw and RLE blocks, skippable frames) decode to what they spell; bombs and
// oversized windows stop at the cap without allocating past it.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeContent } from "../../../src/decode/content/decompress.ts";
import { zstdDecode } from "../../../src/decode/content/zstd.ts";

// `zstd -19` (zstd 1.5) of the line below plus "\n"; `zstd -lv` reports 1 frame, 104 bytes, XXH64 8f6c4b2e.
const CLI_TEXT =
  "imei=868031020761234&phone=%2B8613800138000 phonehome zstd test phonehome zstd test phonehome zstd test\n";
const CLI_FRAME = Buffer.from(
  "KLUv/SRo9QEAYkMMEbA7B6ZEISG7x0ejM7+S+SoxAL6HieCL+aulVFXvJX44mGctOTGalxRl3VYnbtQvFQMAbxalU3BxlScuS2yP",
  "base64",
);

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd]; // 0xFD2FB528 little-endian (RFC 8878 §3.1.1)

/** Block_Header (RFC 8878 §3.1.1.2): Last_Block bit, Block_Type (0 raw, 1 RLE, 2 compressed), Block_Size. */
function blockHeader(last: boolean, type: number, size: number): number[] {
  const v = (size << 3) | (type << 1) | (last ? 1 : 0);
  return [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff];
}

/** A frame with a 128 KiB window (Window_Descriptor 0x38: exponent 7, mantissa 0), no checksum. */
function frame(blocks: number[][]): Uint8Array {
  return Uint8Array.from([...MAGIC, 0x00, 0x38, ...blocks.flat()]);
}

const raw = (s: string, last = true): number[] => [...blockHeader(last, 0, s.length), ...Buffer.from(s)];
const rle = (byte: number, n: number, last = true): number[] => [...blockHeader(last, 1, n), byte];

test("a frame from the zstd tool decodes to the text it compressed", () => {
  const r = zstdDecode(CLI_FRAME, 1 << 20);
  assert.equal(r.problem, undefined);
  assert.equal(Buffer.from(r.data).toString("utf8"), CLI_TEXT);
  assert.equal(Buffer.from(decodeContent(CLI_FRAME, ["zstd"]).data).toString("utf8"), CLI_TEXT);
});

test("hand-built raw and RLE blocks spell their content", () => {
  const r = zstdDecode(frame([raw("imei=", false), rle(0x38, 3, false), raw("0")]), 1 << 20);
  assert.equal(Buffer.from(r.data).toString("latin1"), "imei=8880");
});

test("several frames concatenate, skippable frames (RFC 8878 §3.1.2) are skipped", () => {
  const skippable = [0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 0xaa, 0xbb, 0xcc];
  const input = Uint8Array.from([...frame([raw("abc")]), ...skippable, ...frame([raw("def")])]);
  assert.equal(Buffer.from(zstdDecode(input, 100).data).toString("latin1"), "abcdef");
});

test("a cut frame gives what its complete blocks hold, without a problem", () => {
  const full = frame([raw("complete-block|", false), raw("second block that is cut")]);
  const r = zstdDecode(full.subarray(0, full.length - 5), 100);
  assert.equal(r.problem, undefined);
  assert.equal(Buffer.from(r.data).toString("latin1"), "complete-block|");
});

test("an RLE bomb (10 000 blocks of 128 KiB = 1.25 GiB) stops at the cap", () => {
  const blocks: number[][] = [];
  for (let i = 0; i < 10_000; i++) blocks.push(rle(0, 128 * 1024, i === 9_999));
  const bomb = frame(blocks);
  assert.ok(bomb.length < 50_000);
  const r = decodeContent(bomb, ["zstd"], { maxBytes: 4 << 20 });
  assert.equal(r.problem?.name, "decompressed_size_limit");
  assert.equal(r.data.length, 4 << 20);
  assert.ok(r.data.every((b) => b === 0));
});

test("a single-segment frame announcing 1 GiB is refused before any allocation", () => {
  // Frame_Header_Descriptor 0xa0: Frame_Content_Size_flag 2 (4 bytes), Single_Segment_flag 1.
  const input = Uint8Array.from([...MAGIC, 0xa0, 0, 0, 0, 0x40, ...rle(0, 128 * 1024)]);
  const r = decodeContent(input, ["zstd"]);
  assert.equal(r.problem?.name, "decompressed_size_limit");
  assert.equal(r.data.length, 0);
});

test("a reserved block type is decompression_failed", () => {
  const input = Uint8Array.from([...MAGIC, 0x00, 0x38, ...blockHeader(true, 3, 4), 1, 2, 3, 4]);
  assert.equal(decodeContent(input, ["zstd"]).problem?.name, "decompression_failed");
});

test("bytes that are not zstd are decompression_failed", () => {
  assert.equal(decodeContent(Buffer.from("plain text body"), ["zstd"]).problem?.name, "decompression_failed");
});

test("property: random and mutated zstd input never throws and stays under the cap", () => {
  const seeds = [CLI_FRAME, frame([raw("abc", false), rle(7, 500)])];
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([...MAGIC, ...b])),
        fc
          .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 5 }))
          .map(([seed, muts]) => {
            const b = Uint8Array.from(seed);
            for (const [at, v] of muts) b[at % b.length] = v;
            return b;
          }),
      ),
      (input) => {
        const r = zstdDecode(input, 4096);
        assert.ok(r.data.length <= 4096);
      },
    ),
    { numRuns: 10000 },
  );
});

test("a frame that sends the zstd library into an endless loop times out as decompression_failed", () => {
  // Found by the property below: CLI_FRAME with a few bytes changed; fzstd spreads FSE symbols without end.
  const hang = Buffer.from(
    "28b52ffd2468f5010062840c11f03b07a6442121bbc747a333bf92f92a3100be8789e08bf9aba55455ef257e3898672d39319a971465dd03276ed42f1503006f16a553707195272e4b6c8f",
    "hex",
  );
  const r = zstdDecode(hang, 4096);
  assert.equal(r.problem, "corrupt");
  assert.match(r.detail ?? "", /too long/);
  // The guard recovers: the next frame decodes on a fresh worker.
  assert.equal(Buffer.from(zstdDecode(CLI_FRAME, 4096).data).toString(), CLI_TEXT);
});
