import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  hexOf,
  isKnownVersion,
  longPacketType,
  newLongHeader,
  parseLongHeader,
  QUIC_V1,
  QUIC_V2,
  readVarint,
  versionName,
} from "../../../src/decode/quic/quic-header.ts";
import { SAMPLE_DCID, unhex, V1, V2 } from "./rfc-samples.ts";

test("varints decode as RFC 9000 Appendix A.1 shows them", () => {
  const v = { value: 0, next: 0 };
  // RFC 9000 §A.1: the 8-, 4-, 2- and 1-byte examples, and 37 in non-minimal 2-byte form.
  const cases: [string, number][] = [
    // Above 2^53 a number is the nearest double; lengths that large never fit a datagram anyway.
    ["c2197c5eff14e88c", Number(151288809941952652n)],
    ["9d7f3e7d", 494878333],
    ["7bbd", 15293],
    ["25", 37],
    ["4025", 37],
  ];
  for (const [h, want] of cases) {
    const b = unhex(h);
    readVarint(b, 0, b.length, v);
    assert.equal(v.value, want, h);
    assert.equal(v.next, b.length, h);
  }
  const cut = unhex("9d7f3e");
  assert.equal(readVarint(cut, 0, cut.length, v).next, -1);
  assert.equal(readVarint(cut, 3, 3, v).next, -1);
});

test("the RFC 9001 §A.2 client Initial header: version 1, DCID 8394c8f03e515708, empty SCID and token", () => {
  const p = unhex(V1.clientPacket);
  const h = newLongHeader();
  assert.equal(parseLongHeader(p, 0, p.length, h), undefined);
  assert.equal(h.version, QUIC_V1);
  assert.equal(h.packetType, "initial");
  assert.equal(hexOf(p, h.dcidOff, h.dcidLen), SAMPLE_DCID);
  assert.equal(h.scidLen, 0);
  assert.equal(h.tokenLen, 0);
  // c3 00000001 08 <8 bytes> 00 00 449e: the Length field (0x449e = 1182) ends at byte 18.
  assert.equal(h.pnOff, 18);
  assert.equal(h.end, 18 + 1182);
});

test("the RFC 9001 and RFC 9369 §A.3 server Initial headers carry SCID f067a5502a4262b5", () => {
  for (const [sample, version] of [
    [V1, QUIC_V1],
    [V2, QUIC_V2],
  ] as const) {
    const p = unhex(sample.serverPacket);
    const h = newLongHeader();
    assert.equal(parseLongHeader(p, 0, p.length, h), undefined);
    assert.equal(h.version, version);
    assert.equal(h.packetType, "initial");
    assert.equal(h.dcidLen, 0);
    assert.equal(hexOf(p, h.scidOff, h.scidLen), sample.serverScid);
    assert.equal(h.end, p.length, "0x4075 = 117 bytes after the Length field end the datagram");
  }
});

test("v2 renumbers the long packet types (RFC 9369 §3.2); the Retry samples parse to the datagram's end", () => {
  assert.equal(longPacketType(QUIC_V2, 0xd0), "initial");
  assert.equal(longPacketType(QUIC_V2, 0xc0), "retry");
  assert.equal(longPacketType(QUIC_V2, 0xe0), "0rtt");
  assert.equal(longPacketType(QUIC_V2, 0xf0), "handshake");
  assert.equal(longPacketType(QUIC_V1, 0xc0), "initial");
  assert.equal(longPacketType(QUIC_V1, 0xe0), "handshake");
  assert.equal(longPacketType(0, 0xc0), "version_negotiation");
  assert.equal(longPacketType(0x1a2a3a4a, 0xc0), undefined);
  for (const r of [V1.retryPacket, V2.retryPacket]) {
    const p = unhex(r);
    const h = newLongHeader();
    assert.equal(parseLongHeader(p, 0, p.length, h), undefined);
    assert.equal(h.packetType, "retry");
    assert.equal(h.end, p.length);
  }
});

test("coalesced packets: the Length field says where the next packet starts (RFC 9000 §12.2)", () => {
  const a = unhex(V1.serverPacket);
  const b = unhex(V1.clientPacket);
  const d = new Uint8Array(a.length + b.length);
  d.set(a);
  d.set(b, a.length);
  const h = newLongHeader();
  assert.equal(parseLongHeader(d, 0, d.length, h), undefined);
  assert.equal(h.end, a.length);
  assert.equal(parseLongHeader(d, h.end, d.length, h), undefined);
  assert.equal(hexOf(d, h.dcidOff, h.dcidLen), SAMPLE_DCID);
  assert.equal(h.end, d.length);
});

test("headers that do not fit the datagram are problems, not exceptions", () => {
  const full = unhex(V1.clientPacket);
  const h = newLongHeader();
  assert.equal(parseLongHeader(full, 0, 100, h), undefined, "a Length past the end is a cut packet");
  assert.deepEqual([h.truncated, h.length, h.end, h.dcidLen], [true, 1182, 100, 8]);
  assert.equal(parseLongHeader(full, 0, full.length, h), undefined);
  assert.equal(h.truncated, false);
  assert.match(parseLongHeader(full, 0, 5, h) ?? "", /shorter than 7/);
  const longCid = unhex("c00000000115");
  assert.ok(parseLongHeader(longCid, 0, longCid.length, h));
  const cid21 = new Uint8Array(40);
  cid21.set([0xc0, 0, 0, 0, 1, 21]);
  assert.match(parseLongHeader(cid21, 0, cid21.length, h) ?? "", /longer than 20/);
});

test("version names follow Zeek's quic.log", () => {
  assert.equal(versionName(1), "1");
  assert.equal(versionName(0x6b3343cf), "quicv2");
  assert.equal(versionName(0xff00001d), "draft-29");
  assert.equal(versionName(0xfaceb002), "unknown-faceb002");
  assert.ok(isKnownVersion(0xff000022));
  assert.ok(!isKnownVersion(0xff00001c));
  assert.ok(!isKnownVersion(0));
});

test("property: parseLongHeader never throws and stays inside the datagram", () => {
  const h = newLongHeader();
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(80), (b, off) => {
      const p = parseLongHeader(b, Math.min(off, b.length), b.length, h);
      if (p === undefined) assert.ok(h.end <= b.length && h.end > h.start);
    }),
    { numRuns: 10000 },
  );
});
