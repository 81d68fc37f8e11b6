import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CaptureError } from "../../src/capture/capture-events.ts";
import { BLOCK } from "../../src/capture/pcapng-reader.ts";
import {
  concat,
  type PcapngBlockSpec,
  type PcapngSectionSpec,
  writePcapng,
} from "../helpers/capture-writer.ts";
import {
  cutsArb,
  cutsOf,
  framesArb,
  hex,
  mutate,
  mutationsArb,
  parse,
  parseChecked,
} from "./parse-helpers.ts";

// Two sections of opposite byte order, written out by hand (draft-ietf-opsawg-pcapng §4).
const TINY = hex(`
  # --- section 0, little-endian ---
  0a 0d 0d 0a   # SHB type (same in both byte orders)
  1c 00 00 00   # block length 28
  4d 3c 2b 1a   # byte-order magic 0x1a2b3c4d read little-endian
  01 00 00 00   # version 1.0
  ff ff ff ff ff ff ff ff   # section length -1 (unknown)
  1c 00 00 00   # trailing length
  01 00 00 00   # IDB type
  20 00 00 00   # length 32
  01 00 00 00   # link type 1 (Ethernet), reserved
  00 00 04 00   # snaplen 262144
  09 00 01 00 09 00 00 00   # if_tsresol (code 9, len 1) = 9: nanoseconds, padded
  00 00 00 00   # opt_endofopt
  20 00 00 00   # trailing length
  06 00 00 00   # EPB type
  34 00 00 00   # length 52
  00 00 00 00   # interface 0
  fe 9c 97 17   # timestamp high 0x17979cfe
  15 cd 85 3d   # timestamp low 0x3d85cd15 -> 1700000000123456789 ns
  05 00 00 00   # captured length 5
  3c 00 00 00   # original length 60
  01 02 03 04 05 00 00 00   # data, padded to 32 bits
  01 00 02 00 68 69 00 00   # opt_comment "hi"
  00 00 00 00   # opt_endofopt
  34 00 00 00   # trailing length
  # --- section 1, big-endian ---
  0a 0d 0d 0a  00 00 00 1c  1a 2b 3c 4d  00 01 00 00  ff ff ff ff ff ff ff ff  00 00 00 1c
  00 00 00 01   # IDB
  00 00 00 14   # length 20
  00 65 00 00   # link type 101 (raw IP)
  00 00 00 00   # snaplen 0 (unlimited)
  00 00 00 14
  00 00 00 03   # SPB
  00 00 00 14   # length 20
  00 00 00 04   # original length 4
  45 00 00 04   # data
  00 00 00 14
`);

test("annotated hex: two sections of opposite byte order, EPB with comment, SPB", () => {
  const seen = parse("pcapng", TINY);
  assert.deepEqual(
    seen.sections.map((s) => [s.index, s.byteOrder, s.version, s.offset]),
    [
      [0, "little", "1.0", 0],
      [1, "big", "1.0", 112],
    ],
  );
  assert.deepEqual(
    seen.ifaces.map((i) => [i.index, i.section, i.linkType, i.snapLen, i.tsResolution]),
    [
      [0, 0, 1, 262144, 1e9],
      [1, 1, 101, 0, 1e6],
    ],
  );
  assert.deepEqual(
    seen.packets.map((p) => [
      p.frame,
      p.iface,
      p.linkType,
      p.tsSec,
      p.tsNsec,
      p.capLen,
      p.origLen,
      p.comments,
    ]),
    [
      [1, 0, 1, 1700000000, 123456789, 5, 60, ["hi"]],
      [2, 1, 101, 0, 0, 4, 4, undefined],
    ],
  );
  assert.deepEqual(seen.packets[1].bytes, [0x45, 0, 0, 4]);
  assert.deepEqual(seen.blocks, [BLOCK.SHB, BLOCK.IDB, BLOCK.EPB, BLOCK.SHB, BLOCK.IDB, BLOCK.SPB]);
  assert.deepEqual(seen.problems, []);
});

const enc = new TextEncoder();
const frame = (n: number, tsSec: number, tsNsec: number, extra: object = {}) => ({
  data: Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff),
  tsSec,
  tsNsec,
  ...extra,
});

/** A file exercising every block kind across three sections. */
function richFile(): { file: Uint8Array; spec: PcapngSectionSpec[] } {
  const spec: PcapngSectionSpec[] = [
    {
      byteOrder: "little",
      comment: "first section",
      options: { hardware: "phone", os: "Android 14", userappl: "PCAPdroid" },
      interfaces: [
        { linkType: 1, tsresol: 9, name: "wlan0", comment: "wifi", os: "Linux" },
        { linkType: 101, tsresol: 0x94, tsoffset: 1000 }, // 2^-20 s units, +1000 s
      ],
      blocks: [
        { kind: "epb", frame: frame(60, 1700000000, 999999999, { comment: "first frame" }) },
        { kind: "epb", frame: frame(33, 1700000001, 500000000, { iface: 1 }) },
        { kind: "dsb", secretsType: 0x544c534b, data: enc.encode("CLIENT_RANDOM aa bb\n") },
        { kind: "nrb", records: [{ ip: "192.0.2.7", names: ["a.example", "b.example"] }] },
        { kind: "nrb", records: [{ ip: "2001:db8::1", names: ["v6.example"] }] },
        { kind: "isb", iface: 0, ifrecv: 10n, ifdrop: 2n, comment: "stats", starttime: 5_000_000_123n },
        { kind: "custom", pen: 32473, data: Uint8Array.of(1, 2, 3), copyable: true },
        { kind: "custom", pen: 32473, data: Uint8Array.of(4), copyable: false },
        { kind: "raw", type: 0x80000001, body: Uint8Array.of(9, 9, 9, 9) },
        { kind: "pb", frame: frame(20, 1700000002, 7000) },
      ],
    },
    {
      byteOrder: "big",
      interfaces: [{ linkType: 228, snapLen: 50 }],
      blocks: [
        { kind: "spb", frame: frame(80, 0, 0) }, // capLen = min(80, snaplen 50)
        { kind: "epb", frame: frame(10, 1600000000, 1000, { comment: "be" }) },
        { kind: "idb", iface: { linkType: 113 } },
        { kind: "epb", frame: frame(12, 1600000001, 0, { iface: 1 }) },
      ],
    },
    { byteOrder: "little", interfaces: [{ linkType: 0 }], blocks: [{ kind: "epb", frame: frame(4, 1, 0) }] },
  ];
  return { file: writePcapng(spec), spec };
}

test("writer round trip: sections, interfaces, every block kind", () => {
  const seen = parse("pcapng", richFile().file);
  assert.deepEqual(seen.problems, []);
  assert.deepEqual(
    seen.sections.map((s) => [s.index, s.byteOrder, s.comments, s.options]),
    [
      [
        0,
        "little",
        ["first section"],
        { shb_hardware: "phone", shb_os: "Android 14", shb_userappl: "PCAPdroid" },
      ],
      [1, "big", [], {}],
      [2, "little", [], {}],
    ],
  );
  assert.deepEqual(
    seen.ifaces.map((i) => [i.index, i.section, i.linkType, i.tsResolution, i.tsOffset]),
    [
      [0, 0, 1, 1e9, 0],
      [1, 0, 101, 2 ** 20, 1000],
      [2, 1, 228, 1e6, 0],
      [3, 1, 113, 1e6, 0],
      [4, 2, 0, 1e6, 0],
    ],
  );
  assert.deepEqual(seen.ifaces[0].options, { if_name: "wlan0", if_os: "Linux" });
  assert.deepEqual(seen.ifaces[0].comments, ["wifi"]);
  // Expected times: the writer truncated to the interface unit; the oracle truncates the same way in BigInt.
  const binNs = (sec: number, ns: number): [number, number] => {
    const ticks = (BigInt(ns) * 2n ** 20n) / 1_000_000_000n;
    return [sec, Number((ticks * 1_000_000_000n) / 2n ** 20n)];
  };
  assert.deepEqual(
    seen.packets.map((p) => [
      p.frame,
      p.iface,
      p.linkType,
      p.tsSec,
      p.tsNsec,
      p.capLen,
      p.origLen,
      p.comments,
    ]),
    [
      [1, 0, 1, 1700000000, 999999999, 60, 60, ["first frame"]],
      [2, 1, 101, ...binNs(1700000001, 500000000), 33, 33, undefined],
      // The two custom blocks before the PB are frames 3 and 4, as Wireshark numbers them.
      [5, 0, 1, 1700000002, 7000, 20, 20, undefined],
      [6, 2, 228, 0, 0, 50, 80, undefined],
      [7, 2, 228, 1600000000, 1000, 10, 10, ["be"]],
      [8, 3, 113, 1600000001, 0, 12, 12, undefined],
      [9, 4, 0, 1, 0, 4, 4, undefined],
    ],
  );
  assert.deepEqual(seen.packets[3].bytes, [...frame(80, 0, 0).data.subarray(0, 50)]);
  assert.equal(seen.secrets.length, 1);
  assert.equal(seen.secrets[0].secretsType, 0x544c534b);
  assert.equal(new TextDecoder().decode(seen.secrets[0].data), "CLIENT_RANDOM aa bb\n");
  assert.deepEqual(seen.names, [
    [{ address: "192.0.2.7", names: ["a.example", "b.example"] }],
    [{ address: "2001:db8::1", names: ["v6.example"] }],
  ]);
  assert.deepEqual(seen.stats, [
    {
      iface: 0,
      options: { isb_ifrecv: "10", isb_ifdrop: "2", isb_starttime: "5.000000123", comment: "stats" },
    },
  ]);
  assert.deepEqual(seen.custom, [
    { pen: 32473, data: [1, 2, 3, 0], copyable: true },
    { pen: 32473, data: [4, 0, 0, 0], copyable: false },
  ]);
  assert.ok(seen.blocks.includes(0x80000001), "unknown block framed and skipped");
});

test("64-bit nanosecond timestamps beyond 2^53 stay exact", () => {
  const ts = [
    [0, 0],
    [1, 1],
    [4294967295, 999999999],
    [18446744073, 709551615], // the largest 64-bit ns count
    [1234567890, 987654321],
  ] as const;
  const file = writePcapng([
    {
      interfaces: [{ linkType: 1, tsresol: 9 }],
      blocks: ts.map(([s, n]) => ({ kind: "epb", frame: frame(1, s, n) })),
    },
  ]);
  const seen = parse("pcapng", file);
  assert.deepEqual(
    seen.packets.map((p) => [p.tsSec, p.tsNsec]),
    ts.map(([s, n]) => [s, n]),
  );
});

/** Offset of the n-th block (0-based) in a pcapng file of the given byte order. */
function blockOffset(file: Uint8Array, n: number, le = true): number {
  const v = new DataView(file.buffer, file.byteOffset);
  let off = 0;
  for (let i = 0; i < n; i++) off += v.getUint32(off + 4, le);
  return off;
}

const THREE = (): Uint8Array =>
  writePcapng([
    {
      interfaces: [{ linkType: 1 }],
      blocks: [1, 2, 3].map((i) => ({ kind: "epb" as const, frame: frame(i + 3, i, 0) })),
    },
  ]);

test("bad block lengths are a problem and stop reading; earlier packets stay", () => {
  const cases: [string, (v: DataView, off: number) => void, string][] = [
    [
      "not a multiple of 4",
      (v, off) => v.setUint32(off + 4, v.getUint32(off + 4, true) + 1, true),
      "pcapng_bad_block_length",
    ],
    ["below 12", (v, off) => v.setUint32(off + 4, 8, true), "pcapng_bad_block_length"],
    [
      "trailer differs",
      (v, off) => v.setUint32(off + v.getUint32(off + 4, true) - 4, 4, true),
      "pcapng_block_length_mismatch",
    ],
  ];
  for (const [what, mutate, name] of cases) {
    const file = THREE();
    const off = blockOffset(file, 3); // SHB, IDB, EPB 1, then EPB 2
    mutate(new DataView(file.buffer), off);
    const seen = parse("pcapng", file);
    assert.equal(seen.packets.length, 1, what);
    assert.deepEqual(
      seen.problems.map((p) => p.name),
      [name],
      what,
    );
    assert.ok(seen.problems[0].offset >= off && seen.problems[0].offset < off + 40, what);
  }
});

test("the first block must be a readable SHB: otherwise CaptureError", () => {
  const file = THREE();
  const notShb = file.slice();
  notShb[0] = 1;
  assert.throws(() => parse("pcapng", notShb), CaptureError);
  const badBom = file.slice();
  badBom[8] = 0;
  assert.throws(() => parse("pcapng", badBom), /byte-order/);
  const badVer = file.slice();
  new DataView(badVer.buffer).setUint16(12, 0, true);
  new DataView(badVer.buffer).setUint16(14, 1, true);
  assert.throws(() => parse("pcapng", badVer), /version 0\.1/);
  assert.throws(() => parse("pcapng", file.subarray(0, 20)), /cut short/);
});

test("a later SHB with an unknown version stops reading with a problem", () => {
  const second = writePcapng([{ interfaces: [], blocks: [] }]);
  new DataView(second.buffer).setUint16(12, 2, true);
  const seen = parse("pcapng", concat([THREE(), second, THREE()]));
  assert.equal(seen.packets.length, 3);
  assert.deepEqual(
    seen.problems.map((p) => p.name),
    ["pcapng_bad_version"],
  );
});

test("defects inside a well-framed block are problems and reading goes on", () => {
  const file = THREE();
  const v = new DataView(file.buffer);
  const epb1 = blockOffset(file, 2);
  v.setUint32(epb1 + 20, 1000, true); // captured length beyond the block
  const epb2 = blockOffset(file, 3);
  v.setUint32(epb2 + 8, 7, true); // interface 7 was never declared
  const seen = parse("pcapng", file);
  assert.deepEqual(
    seen.problems.map((p) => [p.name, p.offset]),
    [
      ["pcapng_bad_caplen", epb1],
      ["pcapng_unknown_interface", epb2],
    ],
  );
  assert.deepEqual(
    seen.packets.map((p) => p.frame),
    [1],
  );
});

test("a block above maxRecordBytes is a problem", () => {
  const file = writePcapng([
    { interfaces: [{ linkType: 1 }], blocks: [{ kind: "epb", frame: frame(5000, 1, 0) }] },
  ]);
  const seen = parse("pcapng", file, [], 1024);
  assert.deepEqual(
    seen.problems.map((p) => p.name),
    ["capture_record_too_large"],
  );
});

test("a file cut mid-block: earlier packets, then capture_truncated naming the block offset", () => {
  const file = THREE();
  const last = blockOffset(file, 4);
  for (const cut of [last + 3, last + 12, file.length - 1]) {
    const seen = parse("pcapng", file.subarray(0, cut));
    assert.equal(seen.packets.length, 2);
    assert.deepEqual(
      seen.problems.map((p) => [p.name, p.offset]),
      [["capture_truncated", last]],
    );
  }
});

test("chunked pushes at every split point give the same report", () => {
  const file = writePcapng(richFile().spec.slice(0, 2));
  const whole = parse("pcapng", file);
  assert.ok(whole.packets.length > 0);
  for (let a = 0; a <= file.length; a += 1) {
    const seen = parse("pcapng", file, [a]);
    assert.deepEqual(seen, whole, `split at ${a}`);
  }
  const cuts = Array.from({ length: file.length - 1 }, (_, i) => i + 1);
  assert.deepEqual(parse("pcapng", file, cuts), whole);
});

const ifaceArb = fc.record({
  linkType: fc.integer({ min: 0, max: 300 }),
  snapLen: fc.constantFrom(0, 40, 65535),
  tsresol: fc.constantFrom(undefined, 3, 6, 9, 0x94, 0xa0),
  comment: fc.constantFrom(undefined, "c"),
});

const blockArb = (nIfaces: number): fc.Arbitrary<PcapngBlockSpec> => {
  const f = framesArb.map((fs) => fs[0] ?? { data: new Uint8Array(3) });
  const iface = fc.integer({ min: 0, max: Math.max(0, nIfaces - 1) });
  return fc.oneof(
    fc.record({
      kind: fc.constant("epb" as const),
      frame: fc.tuple(f, iface).map(([x, i]) => ({ ...x, iface: i, comment: "k" })),
    }),
    fc.record({ kind: fc.constant("spb" as const), frame: f }),
    fc.record({
      kind: fc.constant("pb" as const),
      frame: fc.tuple(f, iface).map(([x, i]) => ({ ...x, iface: i })),
    }),
    fc.record({
      kind: fc.constant("dsb" as const),
      secretsType: fc.constant(0x544c534b),
      data: fc.uint8Array({ maxLength: 30 }),
    }),
    fc.constant<PcapngBlockSpec>({
      kind: "nrb",
      records: [
        { ip: "10.0.0.1", names: ["n.example"] },
        { ip: "::1", names: ["x"] },
      ],
    }),
    fc.record({
      kind: fc.constant("isb" as const),
      iface,
      ifrecv: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    }),
    fc.record({
      kind: fc.constant("custom" as const),
      pen: fc.nat(),
      data: fc.uint8Array({ maxLength: 20 }),
      copyable: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("raw" as const),
      type: fc.integer({ min: 7, max: 0xffff }).filter((t) => t !== 0x0a && t !== 0xbad),
      body: fc.uint8Array({ maxLength: 20 }),
    }),
  );
};

const sectionArb: fc.Arbitrary<PcapngSectionSpec> = fc
  .array(ifaceArb, { minLength: 1, maxLength: 3 })
  .chain((interfaces) =>
    fc.record({
      byteOrder: fc.constantFrom("little" as const, "big" as const),
      comment: fc.constantFrom(undefined, "section"),
      interfaces: fc.constant(interfaces),
      blocks: fc.array(blockArb(interfaces.length), { maxLength: 5 }),
    }),
  );

const pcapngFileArb = fc.array(sectionArb, { minLength: 1, maxLength: 2 }).map(writePcapng);

test("property: random bytes never throw anything but CaptureError, and chunking changes nothing", () => {
  const shb = writePcapng([{ interfaces: [], blocks: [] }]);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), cutsArb, (body, withHeader, fr) => {
      const bytes = withHeader ? concat([shb, body]) : body;
      const whole = parseChecked("pcapng", bytes);
      assert.deepEqual(parseChecked("pcapng", bytes, cutsOf(fr, bytes.length)), whole);
    }),
    { numRuns: 10000 },
  );
});

test("property: writer output parses cleanly; mutated, it never throws past the header", () => {
  fc.assert(
    fc.property(pcapngFileArb, mutationsArb, cutsArb, (file, muts, fr) => {
      const clean = parseChecked("pcapng", file);
      assert.ok(!(clean instanceof CaptureError) && clean.problems.length === 0, "writer output is valid");
      const bytes = mutate(file, muts);
      const whole = parseChecked("pcapng", bytes);
      assert.deepEqual(parseChecked("pcapng", bytes, cutsOf(fr, bytes.length)), whole);
      if (!(whole instanceof CaptureError))
        for (const p of whole.problems) assert.ok(p.offset <= bytes.length);
    }),
    { numRuns: 10000 },
  );
});
