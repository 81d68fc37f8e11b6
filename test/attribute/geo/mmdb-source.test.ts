// MMDB byte sources: a file read through the page cache gives the file's bytes wherever a read falls (inside
// a page, across pages, the last short page), the same as a buffer does; reads past the end are refused.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import {
  BufferSource,
  FileSource,
  MMDB_CACHED_PAGES,
  MMDB_PAGE_BYTES,
} from "../../../src/attribute/geo/mmdb-source.ts";

const dir = mkdtempSync(join(tmpdir(), "phonehome-mmdb-src-"));
// More pages than the cache holds, and a short last page.
const bytes = Buffer.from(
  Array.from(
    { length: MMDB_PAGE_BYTES * (MMDB_CACHED_PAGES + 9) + 123 },
    (_, i) => (i * 131 + (i >> 12)) & 0xff,
  ),
);
const path = join(dir, "bytes.bin");
writeFileSync(path, bytes);

test("random reads from a file equal the file's bytes, from the cache or not", () => {
  const file = new FileSource(path);
  const mem = new BufferSource(bytes);
  assert.equal(file.size, bytes.length);
  fc.assert(
    fc.property(fc.nat(bytes.length), fc.nat(3 * MMDB_PAGE_BYTES), (pos, len) => {
      const n = Math.min(len, bytes.length - pos);
      const want = bytes.subarray(pos, pos + n);
      assert.deepEqual(file.read(pos, n), want);
      assert.deepEqual(mem.read(pos, n), want);
    }),
    { numRuns: 3000 },
  );
  file.close();
});

test("a page read once and evicted is read again correctly; reads past the end or after close throw", () => {
  const file = new FileSource(path);
  const first = Buffer.from(file.read(10, 8));
  for (let p = 1; p <= MMDB_CACHED_PAGES + 5; p++) file.read(p * MMDB_PAGE_BYTES, 4);
  assert.deepEqual(file.read(10, 8), first);
  assert.deepEqual(first, bytes.subarray(10, 18));
  assert.throws(() => file.read(bytes.length - 2, 4), RangeError);
  assert.throws(() => file.read(-1, 1), RangeError);
  assert.throws(() => new BufferSource(bytes).read(bytes.length, 1), RangeError);
  file.close();
  file.close();
  assert.throws(() => file.read(MMDB_PAGE_BYTES * 3, 4), /closed/);
});

test("a missing file throws when opened", () => {
  assert.throws(() => new FileSource(join(dir, "missing.mmdb")), /ENOENT/);
});
