// Byte helpers: the head-end scan across splits, the start-line plausibility check, chunk-size lines.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type HeadScan,
  LineBuffer,
  parseChunkSize,
  plausibleStart,
  scanHeadEnd,
} from "../../../src/decode/http/http-bytes.ts";

const b = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "latin1"));

test("scanHeadEnd finds CRLF CRLF and LF LF, and carries the line-start state across pieces", () => {
  const out: HeadScan = { end: 0, found: false, lineStart: false };
  assert.deepEqual(
    { ...scanHeadEnd(b("GET / HTTP/1.1\r\nA: 1\r\n\r\nBODY"), 0, false, out) },
    {
      end: 24,
      found: true,
      lineStart: true,
    },
  );
  assert.equal(scanHeadEnd(b("A\n\nB"), 0, false, out).end, 3);
  // "…\r\n" | "\r" | "\n": the empty line is split over three pieces.
  const s1 = { ...scanHeadEnd(b("A: 1\r\n"), 0, false, out) };
  assert.deepEqual(s1, { end: 6, found: false, lineStart: true });
  const s2 = { ...scanHeadEnd(b("\r"), 0, s1.lineStart, out) };
  assert.deepEqual(s2, { end: 1, found: false, lineStart: true });
  assert.deepEqual(
    { ...scanHeadEnd(b("\nX"), 0, s2.lineStart, out) },
    { end: 1, found: true, lineStart: true },
  );
});

test("plausibleStart: token + space, or HTTP/; anything else is not a start line", () => {
  for (const s of ["GET ", "H", "HTT", "HTTP/1.1 200", "M-SEARCH * HTTP/1.1", "POS"]) {
    assert.equal(plausibleStart(b(s), s.length), true, s);
  }
  for (const s of ["\x16\x03\x01", " GET", '{"json":1}', "A".repeat(30)]) {
    assert.equal(plausibleStart(b(s), s.length), false, s);
  }
});

test("parseChunkSize reads hex sizes, skips extensions and refuses junk", () => {
  const size = (s: string) => parseChunkSize(b(s), s.length);
  assert.equal(size("1a\r\n"), 26);
  assert.equal(size("FF;ext=1\r\n"), 255);
  assert.equal(size("0 ; x\r\n"), 0);
  assert.equal(size("\r\n"), -1);
  assert.equal(size("zz\r\n"), -1);
  assert.equal(size("12 34\r\n"), -1);
  assert.equal(size("fffffffffffffff\r\n"), -1); // 15 digits: past 2^52
});

test("LineBuffer grows up to its bound and refuses past it", () => {
  const l = new LineBuffer();
  const chunk = b("x".repeat(400));
  assert.equal(l.append(chunk, 0, 400, 1000), true);
  assert.equal(l.append(chunk, 0, 400, 1000), true);
  assert.equal(l.append(chunk, 0, 400, 1000), false);
  assert.equal(l.len, 800);
});

test("a LineBuffer owns its memory: no slice of the shared pool slab stays alive with it", () => {
  const lb = new LineBuffer();
  assert.equal(lb.buf.buffer.byteLength, lb.buf.length);
  const bytes = Buffer.alloc(3000, 0x41);
  assert.ok(lb.append(bytes, 0, bytes.length, 1 << 16));
  assert.equal(lb.buf.buffer.byteLength, lb.buf.length);
  assert.equal(lb.len, 3000);
});

test("a LineBuffer holds no storage until bytes arrive, and gives it back once they are consumed", () => {
  const a = new LineBuffer();
  assert.equal(a.buf.length, 0);
  assert.ok(a.append(b("GET / HTTP/1.1\r\n"), 0, 16, 1000));
  assert.equal(a.buf.length, 512);
  const storage = a.buf.buffer;
  // Bytes still held: release() keeps them.
  a.release();
  assert.equal(a.buf.toString("latin1", 0, a.len), "GET / HTTP/1.1\r\n");
  a.len = 0;
  a.release();
  assert.equal(a.buf.length, 0);
  // The next buffer to need storage takes the released one instead of allocating.
  const c = new LineBuffer();
  assert.ok(c.append(b("HTTP/1.1 200 OK\r\n"), 0, 17, 1000));
  assert.equal(c.buf.buffer, storage);
  assert.equal(c.buf.toString("latin1", 0, c.len), "HTTP/1.1 200 OK\r\n");
});

test("a LineBuffer grown past its first size is not kept for reuse", () => {
  const big = new LineBuffer();
  const bytes = Buffer.alloc(3000, 0x41);
  assert.ok(big.append(bytes, 0, bytes.length, 1 << 16));
  const grown = big.buf.buffer;
  big.len = 0;
  big.release();
  const next = new LineBuffer();
  assert.ok(next.append(bytes, 0, 10, 1 << 16));
  assert.notEqual(next.buf.buffer, grown);
  assert.equal(next.buf.length, 512);
});
