// The record layer: records split across segments in every possible way, handshake messages split across
// records and packed several to a record, the keep bound, ciphertext skipped (also across gaps), bad headers.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  MAX_HANDSHAKE_KEPT,
  type RecordEvents,
  TlsRecordReader,
} from "../../../src/decode/tls/tls-records.ts";
import { alertRecord, cat, chunks, handshake, record } from "./tls-build.ts";

/** Records every event as a line of text. */
function recorder(want: number[] = [1, 2, 11]) {
  const log: string[] = [];
  const ev: RecordEvents = {
    halted: false,
    wantsHandshake: (_o, t) => want.includes(t),
    record: (_o, t, len) => log.push(`record ${t} ${len}`),
    handshake: (_o, t, body, truncated) =>
      log.push(
        `hs ${t} ${body.length}${truncated ? " cut" : ""} ${Buffer.from(body.subarray(0, 4)).toString("hex")}`,
      ),
    changeCipherSpec: () => log.push("ccs"),
    alert: (_o, level, desc) => log.push(`alert ${level} ${desc}`),
    protectedRecord: (_o, t, body) => log.push(`protected ${t} ${body.length}`),
    bad: (_o, name, detail) => log.push(`bad ${name} ${detail}`),
  };
  return { log, ev };
}

const HELLO = handshake(
  1,
  Uint8Array.from({ length: 300 }, (_, i) => i & 0xff),
);
const CERT = handshake(11, new Uint8Array(1000).fill(0xcc));
const DONE = handshake(14, []);
const STREAM = cat(
  record(22, HELLO),
  record(22, cat(CERT, DONE)), // two messages in one record
  alertRecord(1, 0),
  record(20, [1]),
  record(23, new Uint8Array(500)),
);

function run(parts: Uint8Array[], collect = false): string[] {
  const { log, ev } = recorder();
  const r = new TlsRecordReader(true, ev);
  for (const p of parts) {
    r.push(p);
    if (log.some((l) => l === "ccs")) r.encrypted = true;
    r.collect = collect;
  }
  return log;
}

const EXPECTED = [
  "record 22 304",
  "hs 1 300 00010203",
  "record 22 1008",
  "hs 11 1000 cccccccc",
  "record 21 2",
  "alert 1 0",
  "record 20 1",
  "ccs",
  "record 23 500",
];

test("one segment: records, messages, alert, CCS and ciphertext in order", () => {
  assert.deepEqual(run([STREAM]), EXPECTED);
});

test("every segment size from 1 byte up gives the same events", () => {
  for (const n of [1, 2, 3, 4, 5, 6, 7, 13, 100, 304, 305, 1000])
    assert.deepEqual(run(chunks(STREAM, n)), EXPECTED);
});

test("property: random cut points give the same events", () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: STREAM.length - 1 }), { maxLength: 12 }), (cuts) => {
      const pts = [0, ...cuts.sort((a, b) => a - b), STREAM.length];
      const parts = pts.slice(1).map((e, i) => STREAM.subarray(pts[i], e));
      assert.deepEqual(run(parts), EXPECTED);
    }),
    { numRuns: 2000 },
  );
});

test("a handshake message split over three records is reassembled (RFC 8446 §5.1)", () => {
  const parts = [HELLO.subarray(0, 2), HELLO.subarray(2, 150), HELLO.subarray(150)];
  const { log, ev } = recorder();
  new TlsRecordReader(true, ev).push(cat(...parts.map((p) => record(22, p))));
  assert.deepEqual(
    log.filter((l) => l.startsWith("hs")),
    ["hs 1 300 00010203"],
  );
});

test("unwanted messages are skipped without being kept", () => {
  const { log, ev } = recorder([1]);
  new TlsRecordReader(false, ev).push(cat(record(22, cat(CERT, DONE)), record(22, HELLO)));
  assert.deepEqual(
    log.filter((l) => l.startsWith("hs")),
    ["hs 1 300 00010203"],
  );
});

test("a message longer than the keep bound arrives cut, flagged, and the stream stays in sync", () => {
  const big = handshake(11, new Uint8Array(MAX_HANDSHAKE_KEPT + 5000).fill(7));
  const recs: Uint8Array[] = [];
  for (let i = 0; i < big.length; i += 16384) recs.push(record(22, big.subarray(i, i + 16384)));
  const { log, ev } = recorder();
  new TlsRecordReader(false, ev).push(cat(...recs, record(22, HELLO)));
  assert.deepEqual(
    log.filter((l) => l.startsWith("hs")),
    [`hs 11 ${MAX_HANDSHAKE_KEPT} cut 07070707`, "hs 1 300 00010203"],
  );
});

test("after ChangeCipherSpec (TLS ≤ 1.2) handshake and alert records are ciphertext", () => {
  const { log, ev } = recorder();
  const r = new TlsRecordReader(true, ev);
  r.encrypted = true;
  r.push(cat(record(22, new Uint8Array(40).fill(1)), alertRecord(2, 40)));
  assert.deepEqual(log, ["record 22 40", "record 21 2", "alert -1 -1"]);
});

test("collect mode hands protected records over whole, however they were cut", () => {
  const appData = cat(record(23, new Uint8Array(700).fill(9)), record(23, new Uint8Array(3)));
  const { log, ev } = recorder();
  const r = new TlsRecordReader(true, ev);
  r.collect = true;
  for (const c of chunks(appData, 97)) r.push(c);
  assert.deepEqual(log, ["record 23 700", "protected 23 700", "record 23 3", "protected 23 3"]);
});

/** Collects the protected bodies a collecting reader hands over, copied at the call (they are only lent). */
function collectBodies(parts: Uint8Array[]): { bodies: string[]; views: Uint8Array[] } {
  const bodies: string[] = [];
  const views: Uint8Array[] = [];
  const { ev } = recorder();
  ev.protectedRecord = (_o, t, body) => {
    bodies.push(`${t}:${Buffer.from(body).toString("hex")}`);
    views.push(body);
  };
  const r = new TlsRecordReader(true, ev);
  r.collect = true;
  for (const p of parts) r.push(p);
  return { bodies, views };
}

/** Record bodies of distinct bytes (a stale or shifted buffer shows), of the given lengths. */
function distinctRecords(lengths: number[]): { stream: Uint8Array; want: string[] } {
  const recs = lengths.map((n, k) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + k * 31 + 1) & 0xff));
  return {
    stream: cat(...recs.map((b) => record(23, b))),
    want: recs.map((b) => `23:${Buffer.from(b).toString("hex")}`),
  };
}

test("collect mode: a record inside one segment is lent as a view of it, not copied", () => {
  const { stream, want } = distinctRecords([300, 40]);
  const { bodies, views } = collectBodies([stream]);
  assert.deepEqual(bodies, want);
  assert.equal(views[0].buffer, stream.buffer, "the first record is a view of the pushed segment");
  assert.equal(views[0].byteOffset, stream.byteOffset + 5);
});

test("collect mode: records spanning segments are gathered intact, one after another in a reused buffer", () => {
  // Largest record body first, then small ones: every record after the first reuses the same buffer.
  const { stream, want } = distinctRecords([18432, 700, 3, 16401, 0, 1]);
  for (const n of [1, 5, 97, 1460, 4096, 16389]) {
    assert.deepEqual(collectBodies(chunks(stream, n)).bodies, want, `segments of ${n} bytes`);
  }
});

test("property: collected bodies equal the records sent, whatever the record sizes and cuts", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 18432 }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 20000 }), { maxLength: 12 }),
      (lengths, cuts) => {
        const { stream, want } = distinctRecords(lengths);
        const pts = [...new Set([0, ...cuts.map((c) => c % stream.length), stream.length])].sort(
          (a, b) => a - b,
        );
        const parts = pts.slice(1).map((e, i) => stream.subarray(pts[i], e));
        assert.deepEqual(collectBodies(parts).bodies, want);
      },
    ),
    { numRuns: 300 },
  );
});

test("release() drops the buffer and the record half gathered; the next records arrive whole", () => {
  const { stream, want } = distinctRecords([5000, 6000]);
  const bodies: string[] = [];
  const { ev } = recorder();
  ev.protectedRecord = (_o, t, body) => bodies.push(`${t}:${Buffer.from(body).toString("hex")}`);
  const r = new TlsRecordReader(true, ev);
  r.collect = true;
  const parts = chunks(stream, 1000);
  for (const p of parts.slice(0, 3)) r.push(p); // 3000 of the first record's 5005 bytes
  r.release();
  for (const p of parts.slice(3)) r.push(p);
  assert.deepEqual(bodies, [want[1]], "the cut record is not handed over; the next one is whole");
});

test("a gap inside skipped ciphertext costs nothing; a gap elsewhere stops the reader", () => {
  const { log, ev } = recorder();
  const r = new TlsRecordReader(true, ev);
  const app = record(23, new Uint8Array(1000));
  r.push(app.subarray(0, 100));
  assert.equal(r.gap(800), true);
  r.push(cat(app.subarray(900), alertRecord(1, 0)));
  assert.deepEqual(log, ["record 23 1000", "record 21 2", "alert 1 0"]);
  r.push(record(22, HELLO).subarray(0, 50));
  assert.equal(r.gap(10), false);
  assert.equal(r.failed, true);
});

test("bad headers: content type, version, length", () => {
  const cases: [Uint8Array, RegExp][] = [
    [Uint8Array.of(0x47, 0x45, 0x54, 0x20, 0x2f), /type 71/], // "GET /"
    [Uint8Array.of(22, 2, 0, 0, 4), /version 0x200/],
    [Uint8Array.of(22, 3, 5, 0, 4), /version 0x305/],
    [Uint8Array.of(23, 3, 3, 0x48, 0x01), /length 18433/],
  ];
  for (const [bytes, detail] of cases) {
    const { log, ev } = recorder();
    const r = new TlsRecordReader(true, ev);
    r.push(cat(bytes, new Uint8Array(10)));
    assert.equal(r.failed, true);
    assert.equal(log.length, 1);
    assert.match(log[0], /^bad tls_bad_record /);
    assert.match(log[0], detail);
  }
});

test("property: random bytes in random pieces never throw and never deliver more than the bound", () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }),
      fc.boolean(),
      (parts, collect) => {
        const { log, ev } = recorder();
        const r = new TlsRecordReader(true, ev);
        r.collect = collect;
        for (const p of parts) {
          r.push(p);
          if (parts.length % 3 === 0) r.gap(p.length);
        }
        for (const l of log) if (l.startsWith("hs")) assert.ok(Number(l.split(" ")[2]) <= MAX_HANDSHAKE_KEPT);
      },
    ),
    { numRuns: 10000 },
  );
});

test("a record gathered across segments uses a shared buffer: a quiet connection keeps none", () => {
  const seen: { bytes: string; buffer: ArrayBufferLike }[] = [];
  const { ev } = recorder();
  ev.protectedRecord = (_o, _t, body) =>
    seen.push({ bytes: Buffer.from(body).toString("hex"), buffer: body.buffer });
  const a = new TlsRecordReader(true, ev);
  const b = new TlsRecordReader(false, ev);
  a.collect = b.collect = true;
  const bodyA = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
  const bodyB = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
  const recA = record(23, bodyA);
  const recB = record(23, bodyB);
  // Each record arrives in two segments, so it is gathered, not handed on as a view of one segment.
  a.push(recA.subarray(0, 1000));
  a.push(recA.subarray(1000));
  b.push(recB.subarray(0, 2500));
  b.push(recB.subarray(2500));
  assert.deepEqual(
    seen.map((s) => s.bytes),
    [Buffer.from(bodyA).toString("hex"), Buffer.from(bodyB).toString("hex")],
  );
  assert.equal(seen[1].buffer, seen[0].buffer, "B gathered its record in the buffer A gave back");
});
