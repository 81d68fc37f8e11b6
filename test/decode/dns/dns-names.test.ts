// Name decompression (RFC 1035 §4.1.4): labels, pointers, and the malformed names that must become errors
// rather than loops: pointer cycles, forward pointers, pointers into the header, over-long names.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  NAME_BAD_LABEL,
  NAME_BAD_POINTER,
  NAME_LOOP,
  NAME_OK,
  NAME_TOO_LONG,
  NAME_TRUNCATED,
  newNameResult,
  readName,
  skipName,
} from "../../../src/decode/dns/dns-names.ts";
import { cat, hex } from "../decode-helpers.ts";

const HEADER = hex("1234 0100 0001 0000 0000 0000"); // id, flags, counts: the 12 bytes pointers may not enter

function read(msg: Uint8Array, off: number, end = msg.length) {
  const r = newNameResult();
  readName(msg, 0, off, end, r);
  return r;
}

test("plain name, then a name compressed onto its suffix", () => {
  const msg = cat(
    HEADER,
    hex(`
      03 777777 07 6578616d706c65 03 636f6d 00   # offset 12: www.example.com
      03 617069 c0 10                            # offset 29: api + pointer to 16 (example.com)
    `),
  );
  const a = read(msg, 12);
  assert.deepEqual([a.text, a.next, a.error], ["www.example.com", 29, NAME_OK]);
  const b = read(msg, 29);
  assert.deepEqual([b.text, b.next, b.error], ["api.example.com", 35, NAME_OK]);
});

test("a pointer to a pointer is followed; `next` is just after the first pointer", () => {
  const msg = cat(
    HEADER,
    hex(`
      01 61 00     # 12: "a"
      c0 0c        # 15: pointer to 12
      01 62 c0 0f  # 17: "b" + pointer to 15
    `),
  );
  const r = read(msg, 17);
  assert.deepEqual([r.text, r.next, r.error], ["b.a", 21, NAME_OK]);
});

test("the root name is '.'", () => {
  const r = read(cat(HEADER, hex("00")), 12);
  assert.deepEqual([r.text, r.next, r.error], [".", 13, NAME_OK]);
});

test("a pointer to itself is a loop", () => {
  const msg = cat(HEADER, hex("c0 0c"));
  const r = read(msg, 12);
  assert.equal(r.error, NAME_LOOP);
  assert.equal(r.next, 14, "the in-place bytes still end after the pointer");
});

test("a pointer back into its own label run is a loop, even though it points backwards", () => {
  const msg = cat(HEADER, hex("01 61  01 62  c0 0c")); // a, b, then back to a
  const r = read(msg, 12);
  assert.equal(r.error, NAME_LOOP);
  assert.equal(r.text, "a.b");
});

test("two names pointing at each other: a loop, found without hanging", () => {
  const msg = cat(HEADER, hex("01 61 c0 10   01 62 c0 0c")); // 12: a → 16; 16: b → 12
  const r = read(msg, 12);
  assert.equal(r.error, NAME_BAD_POINTER, "the first jump already goes forward");
  const s = read(msg, 16);
  assert.equal(s.error, NAME_LOOP, "16 → 12 is backward, but 12 then jumps back up into what was read");
});

test("a forward pointer is refused", () => {
  const msg = cat(HEADER, hex("01 61 c0 10   01 62 00")); // 12: a → 16 (after itself)
  const r = read(msg, 12);
  assert.equal(r.error, NAME_BAD_POINTER);
  assert.equal(r.text, "a");
  assert.equal(r.next, 16);
});

test("a pointer into the header or past the message is refused", () => {
  assert.equal(read(cat(HEADER, hex("c0 05")), 12).error, NAME_BAD_POINTER);
  assert.equal(read(cat(HEADER, hex("01 61 00 c3 ff")), 15).error, NAME_BAD_POINTER);
});

test("a name longer than 255 octets is refused (RFC 1035 §2.3.4)", () => {
  const label = cat(hex("3f"), new Uint8Array(63).fill(0x61)); // 64 wire bytes
  const ok = cat(HEADER, label, label, label, hex("3d"), new Uint8Array(61).fill(0x62), hex("00")); // 255
  assert.equal(read(ok, 12).error, NAME_OK);
  const long = cat(HEADER, label, label, label, label, hex("00")); // 257
  assert.equal(read(long, 12).error, NAME_TOO_LONG);
});

test("a long chain of pointers that would build an over-long name stops at 255 octets", () => {
  // Each block is a 63-byte label then a pointer to the previous block: every pointer goes backwards.
  const parts = [HEADER, hex("00")];
  let prev = 12;
  let off = 13;
  for (let i = 0; i < 10; i++) {
    parts.push(hex("3f"), new Uint8Array(63).fill(0x61 + i), Uint8Array.of(0xc0 | (prev >> 8), prev & 0xff));
    prev = off;
    off += 66;
  }
  const r = read(cat(...parts), prev);
  assert.equal(r.error, NAME_TOO_LONG);
});

test("label types 01 and 10 are refused (RFC 6891 §5)", () => {
  assert.equal(read(cat(HEADER, hex("41 00")), 12).error, NAME_BAD_LABEL);
  assert.equal(read(cat(HEADER, hex("81 00")), 12).error, NAME_BAD_LABEL);
  assert.equal(read(cat(HEADER, hex("41 00")), 12).next, -1, "nothing after it can be found");
});

test("a name cut by the message end is truncated", () => {
  const msg = cat(HEADER, hex("07 6578616d"));
  const r = read(msg, 12);
  assert.equal(r.error, NAME_TRUNCATED);
  assert.equal(r.next, msg.length);
  assert.equal(read(cat(HEADER, hex("01 61 c0")), 12).error, NAME_TRUNCATED, "half a pointer");
  assert.equal(read(cat(HEADER, hex("01 61")), 12).error, NAME_TRUNCATED, "no terminating zero");
});

test("text form: dots and backslashes inside labels escaped, control bytes as \\DDD, UTF-8 kept", () => {
  const msg = cat(
    HEADER,
    hex(`
      03 61 2e 62            # "a.b"
      04 73 70 20 61         # "sp a"
      05 c3a9 74 c3a9        # "été" in UTF-8
      02 01 7f               # control bytes
      03 62 5c 73            # "b\\s"
      02 ff fe               # not UTF-8
      00
    `),
  );
  const r = read(msg, 12);
  assert.equal(r.error, NAME_OK);
  assert.equal(r.text, "a\\.b.sp a.été.\\001\\127.b\\\\s.\\255\\254");
});

test("pointers are relative to the message start (TCP messages sit after a length prefix)", () => {
  const msg = cat(hex("0017"), HEADER, hex("01 61 00  01 62 c0 0c"));
  const r = newNameResult();
  readName(msg, 2, 17, msg.length, r);
  assert.deepEqual([r.text, r.error], ["b.a", NAME_OK]);
});

test("skipName: offsets after a plain and a compressed name; no pointers when asked", () => {
  const msg = cat(HEADER, hex("01 61 00  01 62 c0 0c"));
  assert.equal(skipName(msg, 12, msg.length, true), 15);
  assert.equal(skipName(msg, 15, msg.length, false), 19);
  assert.equal(skipName(msg, 15, msg.length, true), -1);
  assert.equal(skipName(msg, 12, 14, false), -1, "runs past end");
  assert.equal(skipName(cat(HEADER, hex("41 00")), 12, 14, false), -1, "bad label type");
});
