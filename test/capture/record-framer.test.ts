import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CaptureError, type CaptureProblem } from "../../src/capture/capture-events.ts";
import { RecordFramer } from "../../src/capture/record-framer.ts";

/** A toy format: a 2-byte header "HD", then records of one length byte (total length) and payload. */
class Toy extends RecordFramer {
  records: number[][] = [];
  problems: CaptureProblem[] = [];
  constructor(max?: number) {
    super({ packet() {}, problem: (p) => this.problems.push(p) }, { file: "toy", maxRecordBytes: max });
  }
  protected headerBytes(): number {
    return this.headerDone ? 1 : 2;
  }
  protected recordLength(buf: Uint8Array, _view: DataView, pos: number): number {
    if (!this.headerDone) return 2;
    if (buf[pos] === 0) {
      this.fail("toy_zero_length", this.recordStart, "zero-length record");
      return -1;
    }
    return buf[pos];
  }
  protected record(buf: Uint8Array, _view: DataView, pos: number, len: number): void {
    if (!this.headerDone) {
      if (buf[pos] !== 0x48 || buf[pos + 1] !== 0x44) this.fail("toy_magic", 0, "bad magic");
      this.headerDone = true;
      return;
    }
    this.records.push([this.recordStart, ...buf.subarray(pos + 1, pos + len)]);
  }
}

const FILE = Uint8Array.from([0x48, 0x44, 3, 1, 2, 1, 4, 9, 8, 7]);
const RECORDS = [[2, 1, 2], [5], [6, 9, 8, 7]];

function run(bytes: Uint8Array, cuts: number[], max?: number): Toy {
  const t = new Toy(max);
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    t.push(bytes.slice(prev, c));
    prev = c;
  }
  t.end();
  return t;
}

test("records come out whole with their absolute offsets, whatever the chunking", () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: FILE.length }), { maxLength: 9 }), (cuts) => {
      assert.deepEqual(
        run(
          FILE,
          cuts.sort((a, b) => a - b),
        ).records,
        RECORDS,
      );
    }),
    { numRuns: 2000 },
  );
});

test("a failure before the header is done throws; after, it stops reading with a problem", () => {
  assert.throws(() => run(Uint8Array.of(0x58, 0x44, 3, 1, 2), []), CaptureError);
  const t = run(Uint8Array.of(0x48, 0x44, 2, 5, 0, 3, 3, 3), [5]);
  assert.deepEqual(t.records, [[2, 5]]);
  assert.deepEqual(
    t.problems.map((p) => [p.name, p.offset]),
    [["toy_zero_length", 4]],
  );
  t.push(Uint8Array.of(2, 2));
  assert.equal(t.records.length, 1, "input after a stop is ignored");
});

test("end() mid-record reports capture_truncated at the record start; mid-header throws", () => {
  const t = run(FILE.subarray(0, 8), [4]);
  assert.deepEqual(t.records, RECORDS.slice(0, 2));
  assert.deepEqual(
    t.problems.map((p) => [p.name, p.offset]),
    [["capture_truncated", 6]],
  );
  assert.throws(() => run(Uint8Array.of(0x48), []), /cut short/);
  assert.throws(() => run(new Uint8Array(0), []), /empty input/);
});

test("a record longer than maxRecordBytes is refused before any of it is buffered", () => {
  const big = Uint8Array.of(0x48, 0x44, 200, 1, 2, 3);
  const t = run(big, [3], 100);
  assert.deepEqual(
    t.problems.map((p) => p.name),
    ["capture_record_too_large"],
  );
});
