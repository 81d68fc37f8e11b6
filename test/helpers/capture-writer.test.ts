// The writer is checked against Wireshark, not against our own reader: files it writes must read in
// tshark/capinfos with exactly the values planted in them.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pcapHeader, pcapRecord, type WriteFrame, writePcap, writePcapng } from "./capture-writer.ts";
import { NO_TSHARK } from "./tshark.ts";

const dir = mkdtempSync(join(tmpdir(), "phonehome-writer-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let lastFile = "";

function tshark(bytes: Uint8Array, fields: string[]): string[][] {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, bytes);
  lastFile = file;
  const args = ["-n", "-r", file, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"];
  for (const f of fields) args.push("-e", f);
  const out = execFileSync("tshark", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return out
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => l.split("\t"));
}

const frames: WriteFrame[] = [
  { data: Uint8Array.from({ length: 60 }, (_, i) => i), tsSec: 1700000000, tsNsec: 123456789 },
  { data: Uint8Array.from({ length: 14 }, () => 0xff), tsSec: 1700000001, tsNsec: 1000, origLen: 1514 },
];

test("pcap header is 24 bytes and a record is 16 + data", () => {
  assert.equal(pcapHeader().length, 24);
  assert.equal(pcapRecord(frames[0]).length, 16 + 60);
  assert.equal(pcapRecord(frames[0], { modified: true }).length, 24 + 60);
});

test("tshark reads the pcap variants with the planted times and lengths", { skip: NO_TSHARK }, () => {
  for (const byteOrder of ["little", "big"] as const) {
    for (const nanos of [false, true]) {
      const rows = tshark(writePcap(frames, { byteOrder, nanos }), [
        "frame.time_epoch",
        "frame.len",
        "frame.cap_len",
      ]);
      assert.deepEqual(rows, [
        [nanos ? "1700000000.123456789" : "1700000000.123456000", "60", "60"],
        [nanos ? "1700000001.000001000" : "1700000001.000001000", "1514", "14"],
      ]);
    }
  }
});

test("tshark reads a multi-section pcapng with the planted values", { skip: NO_TSHARK }, () => {
  const file = writePcapng([
    {
      byteOrder: "big",
      interfaces: [{ linkType: 1, tsresol: 9, name: "wlan0" }],
      blocks: [{ kind: "epb", frame: { ...frames[0], comment: "planted" } }],
    },
    {
      byteOrder: "little",
      interfaces: [
        { linkType: 1, tsoffset: 100, snapLen: 14 }, // the SPB's captured length is min(99, snaplen 14)
        { linkType: 1, tsresol: 0x94 },
      ],
      blocks: [
        { kind: "epb", frame: { ...frames[1], iface: 0, tsSec: 1700000101 } },
        { kind: "dsb", secretsType: 0x544c534b, data: new TextEncoder().encode("CLIENT_RANDOM 00 11\n") },
        { kind: "pb", frame: { data: frames[1].data, tsSec: 5, tsNsec: 500_000_000, iface: 1 } },
        { kind: "spb", frame: { data: frames[1].data, origLen: 99 } },
      ],
    },
  ]);
  const rows = tshark(file, ["frame.time_epoch", "frame.len", "frame.cap_len", "frame.comment"]);
  assert.deepEqual(rows, [
    ["1700000000.123456789", "60", "60", "planted"],
    ["1700000101.000001000", "1514", "14", ""],
    // 0.5 s is exactly 2^19 units of 2^-20 s.
    ["5.500000000", "14", "14", ""],
    ["", "99", "14", ""],
  ]);
  const info = execFileSync("capinfos", [lastFile], { encoding: "utf8" });
  assert.match(info, /Number of interfaces in file: 3/);
  assert.match(info, /Name = wlan0/);
  assert.match(info, /Time ticks per second = 1048576/);
  assert.match(info, /Timestamp offset = 100/);
});
