import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CaptureError, type CaptureHandler } from "../../src/capture/capture-events.ts";
import { PcapParser } from "../../src/capture/pcap-reader.ts";
import type { Packet } from "../../src/model/packet.ts";
import { concat, pcapHeader, pcapRecord, type WriteFrame, writePcap } from "../helpers/capture-writer.ts";
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

// A tiny little-endian µs pcap written out by hand (draft-ietf-opsawg-pcap §4, §5).
const TINY_LE = hex(`
  d4 c3 b2 a1   # magic 0xa1b2c3d4 stored little-endian: µs resolution
  02 00 04 00   # version 2.4
  00 00 00 00   # reserved1 (thiszone)
  00 00 00 00   # reserved2 (sigfigs)
  ff ff 00 00   # snaplen 65535
  01 00 00 00   # link type 1 (Ethernet), no FCS bits
  # record 1
  10 32 54 76   # ts_sec 0x76543210 = 1985229328
  40 42 0f 00   # ts_usec 0x000f4240 = 1000000: a whole second, malformed (reported, then carried)
  04 00 00 00   # caplen 4
  3c 00 00 00   # origlen 60 (snaplen-cut record)
  de ad be ef   # data
`);

test("annotated hex: a tiny LE pcap (record with sub-second field of exactly one second is reported)", () => {
  const seen = parse("pcap", TINY_LE);
  assert.equal(seen.sections.length, 1);
  assert.deepEqual(
    { ...seen.sections[0] },
    {
      index: 0,
      byteOrder: "little",
      version: "2.4",
      variant: "us",
      options: {},
      comments: [],
      offset: 0,
    },
  );
  assert.equal(seen.ifaces[0].linkType, 1);
  assert.equal(seen.ifaces[0].snapLen, 65535);
  assert.equal(seen.ifaces[0].fcsLen, undefined);
  assert.equal(seen.packets.length, 1);
  const p = seen.packets[0];
  // usec 1000000 is malformed: carried into the seconds and reported.
  assert.equal(p.tsSec, 1985229328 + 1);
  assert.equal(p.tsNsec, 0);
  assert.equal(p.capLen, 4);
  assert.equal(p.origLen, 60);
  assert.deepEqual(p.bytes, [0xde, 0xad, 0xbe, 0xef]);
  assert.deepEqual(
    seen.problems.map((x) => x.name),
    ["pcap_bad_timestamp"],
  );
});

const TINY_BE_NS = hex(`
  a1 b2 3c 4d   # magic 0xa1b23c4d big-endian: nanosecond resolution
  00 02 00 04   # version 2.4
  00 00 00 00 00 00 00 00   # reserved
  00 00 ff ff   # snaplen 65535
  a4 00 00 65   # link type field 0xa4000065: FCS len 0xa (20 bytes) with P bit 0x04000000, type 101 (raw IP)
  # record 1
  00 00 00 01   # ts_sec 1
  3b 9a c9 ff   # ts_nsec 999999999
  00 00 00 02   # caplen 2
  00 00 00 02   # origlen 2
  45 00         # data
`);

test("annotated hex: a BE nanosecond pcap with FCS bits in the link-type field", () => {
  const seen = parse("pcap", TINY_BE_NS);
  assert.equal(seen.sections[0].byteOrder, "big");
  assert.equal(seen.sections[0].variant, "ns");
  assert.equal(seen.ifaces[0].linkType, 101);
  assert.equal(seen.ifaces[0].fcsLen, 20);
  assert.equal(seen.ifaces[0].tsResolution, 1e9);
  assert.deepEqual(
    seen.packets.map((p) => [p.frame, p.tsSec, p.tsNsec, p.linkType, p.capLen, p.bytes]),
    [[1, 1, 999999999, 101, 2, [0x45, 0]]],
  );
  assert.deepEqual(seen.problems, []);
});

const FRAMES: WriteFrame[] = [
  { data: Uint8Array.from([1, 2, 3]), tsSec: 1700000000, tsNsec: 123456000 },
  { data: new Uint8Array(0), tsSec: 1700000001, tsNsec: 0, origLen: 1500 },
  { data: Uint8Array.from({ length: 300 }, (_, i) => i & 0xff), tsSec: 4294967295, tsNsec: 999999000 },
];

for (const byteOrder of ["little", "big"] as const) {
  for (const variant of ["us", "ns", "modified"] as const) {
    test(`writer round trip: ${byteOrder}-endian ${variant}`, () => {
      const opts = { byteOrder, nanos: variant === "ns", modified: variant === "modified", linkType: 113 };
      const frames =
        variant === "ns" ? FRAMES.map((f, i) => ({ ...f, tsNsec: (f.tsNsec ?? 0) + i * 7 })) : FRAMES;
      const seen = parse("pcap", writePcap(frames, opts));
      assert.equal(seen.sections[0].byteOrder, byteOrder);
      assert.equal(seen.sections[0].variant, variant);
      assert.deepEqual(seen.problems, []);
      assert.deepEqual(
        seen.packets.map((p) => [
          p.frame,
          p.tsSec,
          p.tsNsec,
          p.linkType,
          p.iface,
          p.capLen,
          p.origLen,
          p.bytes,
        ]),
        frames.map((f, i) => [
          i + 1,
          f.tsSec,
          f.tsNsec,
          113,
          0,
          f.data.length,
          f.origLen ?? f.data.length,
          [...f.data],
        ]),
      );
    });
  }
}

test("FCS bits: P bit gives the length in 16-bit units; without P the length is unknown", () => {
  const withP = parse("pcap", writePcap([], { fcsBits: 2 }));
  assert.equal(withP.ifaces[0].fcsLen, 4);
  assert.equal(withP.ifaces[0].linkType, 1);
  const hdr = pcapHeader({ linkType: 132 });
  new DataView(hdr.buffer).setUint32(20, 0x30000084, true); // FCS nibble 3 but no P bit
  const noP = parse("pcap", hdr);
  assert.equal(noP.ifaces[0].fcsLen, undefined);
  assert.equal(noP.ifaces[0].linkType, 132);
});

test("unreadable headers throw CaptureError with the offset", () => {
  const bad = (mutate: (v: DataView) => void): CaptureError => {
    const hdr = pcapHeader();
    mutate(new DataView(hdr.buffer));
    try {
      parse("pcap", hdr);
    } catch (e) {
      assert.ok(e instanceof CaptureError);
      return e;
    }
    assert.fail("no error");
  };
  assert.match(bad((v) => v.setUint32(0, 0x12345678)).message, /not a pcap file/);
  const ver = bad((v) => v.setUint16(4, 1, true));
  assert.equal(ver.offset, 4);
  assert.match(ver.message, /version 1\.4/);
  const lt = bad((v) => v.setUint32(20, 0x00300001, true));
  assert.equal(lt.offset, 20);
  assert.match(lt.message, /reserved/);
  assert.throws(() => parse("pcap", pcapHeader().subarray(0, 20)), CaptureError);
  assert.throws(() => parse("pcap", new Uint8Array(0)), /empty/);
});

test("a record claiming more than the snaplen bound is a problem and reading stops", () => {
  const file = writePcap([{ data: Uint8Array.of(1) }, { data: Uint8Array.of(2) }], { snapLen: 100 });
  // Second record's caplen (at 24 + 17 + 8) claims 300000 bytes: above max(snaplen, 262144).
  new DataView(file.buffer).setUint32(24 + 17 + 8, 300000, true);
  const seen = parse("pcap", file);
  assert.equal(seen.packets.length, 1);
  assert.deepEqual(
    seen.problems.map((p) => [p.name, p.offset]),
    [["pcap_bad_caplen", 41]],
  );
});

test("maxRecordBytes bounds a record even when the snaplen allows more", () => {
  const file = writePcap([{ data: new Uint8Array(5000) }], { snapLen: 1 << 30 });
  const seen = parse("pcap", file, [], 1000);
  assert.equal(seen.packets.length, 0);
  assert.equal(seen.problems[0].name, "pcap_bad_caplen");
});

test("a file cut mid-record: earlier records are reported, then capture_truncated at the record start", () => {
  const file = writePcap(FRAMES);
  const third = 24 + (16 + 3) + (16 + 0);
  for (const cut of [third + 5, third + 16, third + 100]) {
    const seen = parse("pcap", file.subarray(0, cut));
    assert.equal(seen.packets.length, 2);
    assert.deepEqual(
      seen.problems.map((p) => [p.name, p.offset]),
      [["capture_truncated", third]],
    );
  }
});

test("chunked pushes at every split point give the same packets", () => {
  const file = writePcap(FRAMES, { nanos: true });
  const whole = parse("pcap", file);
  for (let a = 0; a <= file.length; a++) {
    assert.deepEqual(parse("pcap", file, [a]).packets, whole.packets, `split at ${a}`);
  }
  // Byte-at-a-time, the worst case for the tail buffer.
  const cuts = Array.from({ length: file.length - 1 }, (_, i) => i + 1);
  assert.deepEqual(parse("pcap", file, cuts).packets, whole.packets);
});

test("zero-copy: a record inside one chunk is handed out as a view of that chunk", () => {
  const file = concat([pcapHeader(), pcapRecord({ data: Uint8Array.of(9, 8, 7) })]);
  const views: { data: Uint8Array; offset: number }[] = [];
  const handler: CaptureHandler = { packet: (p: Packet) => views.push({ data: p.data, offset: p.offset }) };
  const parser = new PcapParser(handler, { file: "t" });
  parser.push(file);
  parser.end();
  assert.equal(views[0].data, file);
  assert.equal(views[0].offset, 24 + 16);
});

test("one Packet object is reused for every frame", () => {
  const objs = new Set<Packet>();
  const parser = new PcapParser({ packet: (p) => objs.add(p) }, { file: "t" });
  parser.push(writePcap(FRAMES));
  parser.end();
  assert.equal(objs.size, 1);
});

const pcapFileArb = fc
  .tuple(
    framesArb,
    fc.record({
      byteOrder: fc.constantFrom("little" as const, "big" as const),
      nanos: fc.boolean(),
      modified: fc.boolean(),
      snapLen: fc.constantFrom(0, 64, 65535, 262144),
    }),
  )
  .map(([frames, opts]) => writePcap(frames, opts));

test("property: random bytes never throw anything but CaptureError, and chunking changes nothing", () => {
  const header = pcapHeader();
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), cutsArb, (body, withHeader, fr) => {
      const bytes = withHeader ? concat([header, body]) : body;
      const whole = parseChecked("pcap", bytes);
      assert.deepEqual(parseChecked("pcap", bytes, cutsOf(fr, bytes.length)), whole);
    }),
    { numRuns: 10000 },
  );
});

test("property: mutated writer output never throws past the header, problems point inside the input", () => {
  fc.assert(
    fc.property(pcapFileArb, mutationsArb, cutsArb, (file, muts, fr) => {
      const bytes = mutate(file, muts);
      const whole = parseChecked("pcap", bytes);
      assert.deepEqual(parseChecked("pcap", bytes, cutsOf(fr, bytes.length)), whole);
      if (whole instanceof CaptureError) assert.ok(whole.offset < 24);
      else for (const p of whole.problems) assert.ok(p.offset >= 24 && p.offset <= bytes.length);
    }),
    { numRuns: 10000 },
  );
});
