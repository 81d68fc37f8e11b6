import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { detectFormat, magicText } from "../../src/capture/detect-format.ts";
import { pcapHeader, writePcapng } from "../helpers/capture-writer.ts";

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

test("pcap magics in both byte orders: µs, ns, modified", () => {
  for (const m of [0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34]) {
    const be = bytes(m >>> 24, (m >>> 16) & 0xff, (m >>> 8) & 0xff, m & 0xff);
    assert.equal(detectFormat(be), "pcap");
    assert.equal(detectFormat(be.slice().reverse()), "pcap");
  }
  assert.equal(detectFormat(pcapHeader({ byteOrder: "big", nanos: true })), "pcap");
});

test("pcapng by its SHB type, either byte order", () => {
  assert.equal(detectFormat(writePcapng([{ interfaces: [], blocks: [] }])), "pcapng");
  assert.equal(detectFormat(writePcapng([{ byteOrder: "big", interfaces: [], blocks: [] }])), "pcapng");
});

test("gzip by RFC 1952 ID1 ID2 CM", () => {
  assert.equal(detectFormat(gzipSync(pcapHeader())), "gzip");
  assert.equal(detectFormat(bytes(0x1f, 0x8b, 0x07)), undefined);
});

test("HAR: JSON object text with optional BOM and leading whitespace", () => {
  assert.equal(detectFormat(text('{"log":{}}')), "har");
  assert.equal(detectFormat(text(' \r\n\t {"log"')), "har");
  assert.equal(detectFormat(bytes(0xef, 0xbb, 0xbf, 0x7b)), "har");
  assert.equal(detectFormat(bytes(0xef, 0xbb, 0xbf, 0x20, 0x0a, 0x7b)), "har");
  assert.equal(detectFormat(text("[1,2]")), undefined);
  assert.equal(detectFormat(text("   ")), undefined);
});

test("anything else is unknown, whatever its length", () => {
  assert.equal(detectFormat(new Uint8Array(0)), undefined);
  assert.equal(detectFormat(bytes(0xd4, 0xc3)), undefined);
  assert.equal(detectFormat(text("GET / HTTP/1.1")), undefined);
  assert.equal(detectFormat(bytes(0x0a, 0x0d, 0x0d, 0x0b)), undefined);
});

test("magicText shows up to 8 leading bytes", () => {
  assert.equal(magicText(bytes(0xde, 0xad)), "0xdead");
  assert.equal(magicText(new Uint8Array(12)), "0x0000000000000000");
  assert.equal(magicText(new Uint8Array(0)), "(none)");
});
