// The pcapng writer: what it writes reads back the same through our pcapng reader and through tshark and
// capinfos (frames, interfaces per link type, µs and ns timestamps, comments, Decryption Secrets Blocks),
// streaming to a file descriptor gives the same bytes as collecting, and its bounds hold.

import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import fc from "fast-check";
import { DSB_TLS_KEY_LOG } from "../../src/decrypt/key-log.ts";
import {
  MAX_DSB_BYTES,
  MAX_FRAME_BYTES,
  MAX_OPTION_BYTES,
  PcapngWriter,
  type TsResolution,
} from "../../src/report/pcapng-writer.ts";
import { parse } from "../capture/parse-helpers.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";
import { capinfos, tsharkFileFields } from "../helpers/tshark-file.ts";

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const dir = mkdtempSync(join(tmpdir(), "phonehome-pcapng-writer-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Planted {
  linkType: number;
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  comments?: string[];
}

function write(packets: Planted[], resolution: TsResolution, keyLog?: string): Uint8Array {
  const w = new PcapngWriter({ resolution, comment: "section", userappl: "phonehome test" });
  if (keyLog !== undefined) w.tlsKeyLog(keyLog);
  for (const p of packets) w.packet(p);
  return w.close();
}

/** Timestamp nanoseconds as an interface of this resolution keeps them (truncated, as the writer promises). */
function kept(nsec: number, r: TsResolution): number {
  return r === "ns" ? nsec : Math.floor(nsec / 1000) * 1000;
}

const packetArb = fc.record({
  linkType: fc.constantFrom(LINKTYPE_ETHERNET, LINKTYPE_RAW, 113),
  tsSec: fc.integer({ min: 0, max: 0xffffffff }),
  tsNsec: fc.integer({ min: 0, max: 999_999_999 }),
  data: fc.uint8Array({ maxLength: 70 }),
  comments: fc.option(fc.array(fc.string({ unit: "grapheme", maxLength: 12 }), { maxLength: 2 }), {
    nil: undefined,
  }),
});

test("property: every packet reads back through our reader with its bytes, time, link type and comments", () => {
  fc.assert(
    fc.property(
      fc.array(packetArb, { maxLength: 6 }),
      fc.constantFrom<TsResolution>("us", "ns"),
      (packets, r) => {
        const seen = parse("pcapng", write(packets, r));
        assert.deepEqual(seen.problems, []);
        assert.equal(seen.packets.length, packets.length);
        const links = [...new Set(packets.map((p) => p.linkType))];
        assert.deepEqual(
          seen.ifaces.map((i) => i.linkType),
          links,
          "one interface per link type, in order of first use",
        );
        packets.forEach((p, i) => {
          const s = seen.packets[i];
          assert.deepEqual(s.bytes, [...p.data]);
          assert.equal(s.linkType, p.linkType);
          assert.equal(s.iface, links.indexOf(p.linkType));
          assert.equal(s.tsSec, p.tsSec);
          assert.equal(s.tsNsec, kept(p.tsNsec, r));
          assert.deepEqual(s.comments, p.comments?.length ? p.comments : undefined);
        });
      },
    ),
    { numRuns: 10000 },
  );
});

test("the section header carries its options and the key log comes back as one TLSK secrets block", () => {
  const keyLog = "CLIENT_RANDOM 00 11\nCLIENT_TRAFFIC_SECRET_0 aa bb\n";
  const seen = parse("pcapng", write([], "us", keyLog));
  assert.equal(seen.sections[0].byteOrder, "little");
  assert.equal(seen.sections[0].version, "1.0");
  assert.deepEqual(seen.sections[0].comments, ["section"]);
  assert.equal(seen.sections[0].options.shb_userappl, "phonehome test");
  assert.equal(seen.secrets.length, 1);
  assert.equal(seen.secrets[0].secretsType, DSB_TLS_KEY_LOG);
  assert.equal(new TextDecoder().decode(seen.secrets[0].data), keyLog);
});

test("a key log longer than one block is split at line ends and reassembles exactly", () => {
  const line = `CLIENT_RANDOM ${"ab".repeat(32)} ${"cd".repeat(48)}\n`;
  const text = line.repeat(Math.ceil((MAX_DSB_BYTES * 1.5) / line.length));
  const seen = parse("pcapng", write([], "us", text));
  assert.equal(seen.secrets.length, 2);
  const parts = seen.secrets.map((s) => new TextDecoder().decode(s.data));
  for (const p of parts) {
    assert.ok(p.endsWith("\n"));
    assert.ok(p.length <= MAX_DSB_BYTES);
  }
  assert.equal(parts.join(""), text);
});

test("bounds: a comment is cut at 65535 bytes on a character boundary, a huge frame at MAX_FRAME_BYTES", () => {
  const comment = `${"a".repeat(MAX_OPTION_BYTES - 1)}é and more`;
  const big = new Uint8Array(MAX_FRAME_BYTES + 100).fill(7);
  const seen = parse(
    "pcapng",
    write([{ linkType: 1, tsSec: 1, tsNsec: 0, data: big, comments: [comment] }], "us"),
  );
  const p = seen.packets[0];
  assert.equal(p.capLen, MAX_FRAME_BYTES);
  assert.equal(p.origLen, MAX_FRAME_BYTES + 100);
  // "é" is two bytes in UTF-8: it would straddle the limit, so the cut falls before it.
  assert.equal(p.comments?.[0], "a".repeat(MAX_OPTION_BYTES - 1));
});

test("streaming to a file descriptor with a small buffer writes the same bytes as collecting", () => {
  const packets: Planted[] = Array.from({ length: 300 }, (_, i) => ({
    linkType: i % 3 === 0 ? LINKTYPE_RAW : LINKTYPE_ETHERNET,
    tsSec: 1_400_000_000 + i,
    tsNsec: i * 1_234_567,
    data: new Uint8Array(60 + (i % 50)).fill(i & 0xff),
    comments: i % 7 === 0 ? [`packet ${i}`] : undefined,
  }));
  const collected = write(packets, "ns", "CLIENT_RANDOM x y\n");
  const file = join(dir, "fd.pcapng");
  const fd = openSync(file, "w");
  const w = new PcapngWriter({
    fd,
    resolution: "ns",
    comment: "section",
    userappl: "phonehome test",
    bufferBytes: 4096,
  });
  w.tlsKeyLog("CLIENT_RANDOM x y\n");
  for (const p of packets) w.packet(p);
  assert.ok(w.bytesWritten > 4096);
  assert.equal(w.close().length, 0);
  closeSync(fd);
  assert.deepEqual(readFileSync(file), Buffer.from(collected));
});

test("a reader's packet (a window into a larger buffer) is written as just its frame", () => {
  const buf = Uint8Array.from([9, 9, 1, 2, 3, 9]);
  const w = new PcapngWriter();
  w.packet({ linkType: 1, tsSec: 5, tsNsec: 0, data: buf, offset: 2, capLen: 3, origLen: 10 });
  const p = parse("pcapng", w.close()).packets[0];
  assert.deepEqual(p.bytes, [1, 2, 3]);
  assert.equal(p.origLen, 10);
});

test("tshark and capinfos read it: times at µs and ns, comments, interfaces per link type, the DSB", {
  skip: NO_TSHARK,
}, () => {
  const eth = Uint8Array.from([...new Uint8Array(12), 0x08, 0x00]); // an empty Ethernet II frame
  const packets: Planted[] = [
    {
      linkType: LINKTYPE_ETHERNET,
      tsSec: 1_407_720_600,
      tsNsec: 123_456_789,
      data: eth,
      comments: ["first"],
    },
    { linkType: LINKTYPE_RAW, tsSec: 1_407_720_601, tsNsec: 5, data: Uint8Array.of(0x45) },
    {
      linkType: LINKTYPE_ETHERNET,
      tsSec: 1_407_720_602,
      tsNsec: 999_999_999,
      data: eth,
      comments: ["a", "b"],
    },
  ];
  const keyLog = `CLIENT_RANDOM ${"01".repeat(32)} ${"02".repeat(48)}\n`;
  const expectTimes: Record<TsResolution, string[]> = {
    ns: ["1407720600.123456789", "1407720601.000000005", "1407720602.999999999"],
    us: ["1407720600.123456000", "1407720601.000000000", "1407720602.999999000"],
  };
  for (const r of ["us", "ns"] as const) {
    const file = join(dir, `tshark-${r}.pcapng`);
    writeFileSync(file, write(packets, r, keyLog));
    const rows = tsharkFileFields(file, [
      "frame.time_epoch",
      "frame.interface_id",
      "frame.len",
      "frame.comment",
    ]);
    assert.deepEqual(
      rows.map((row) => row[0]),
      expectTimes[r],
    );
    assert.deepEqual(
      rows.map((row) => row[1]),
      ["0", "1", "0"],
    );
    assert.deepEqual(
      rows.map((row) => row[2]),
      ["14", "1", "14"],
    );
    assert.deepEqual(
      rows.map((row) => row[3]),
      ["first", "", "a,b"],
    );
    const info = capinfos(file).fields;
    assert.equal(info.get("Number of packets"), "3");
    assert.equal(info.get("Number of interfaces in file"), "2");
    assert.equal(info.get("Number of decryption secrets in file"), "1");
    assert.equal(info.get("Capture comment"), "section");
    assert.equal(info.get("Capture application"), "phonehome test");
  }
});
