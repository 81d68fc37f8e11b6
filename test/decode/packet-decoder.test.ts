// The packet decoder end to end: kinds, unknown link types, weirds with frame numbers, fragments through
// Ethernet and raw IPv6, tunnels, truncation at every byte, and properties on random and mutated bytes.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { PACKET_KINDS, PacketDecoder, type PacketKind } from "../../src/decode/packet-decoder.ts";
import { newPacketLayers } from "../../src/model/layers.ts";
import type { WeirdRecord } from "../../src/model/weird.ts";
import {
  addr,
  cat,
  decodeOnce,
  ETH_V4,
  hex,
  IPV4_TCP_SYN,
  IPV4_UDP_HELLO,
  IPV6_UDP_PING,
  packet,
  payloadText,
  VALID_FRAMES,
} from "./decode-helpers.ts";

function decoder(opts: ConstructorParameters<typeof PacketDecoder>[0]["defrag"] = {}) {
  const weirds: Omit<WeirdRecord, "type">[] = [];
  const dec = new PacketDecoder({ weird: (w) => weirds.push(w), defrag: opts });
  return { dec, weirds, out: newPacketLayers() };
}

test("every supported link type decodes its valid frame with no weird", () => {
  for (const [lt, f] of VALID_FRAMES) {
    const { kind, weirds } = decodeOnce(f, lt);
    assert.equal(kind, lt === 229 ? "udp" : "tcp", `link type ${lt}`);
    assert.equal(weirds.length, 0, `link type ${lt}`);
  }
});

test("kinds: other-ip for ICMP, not-ip for ARP, malformed with frame and time, no per-packet state", () => {
  const icmp = hex("45 00 00 1c 00 00 00 00 40 01 00 00 0a 00 00 01 0a 00 00 02 08 00 f7 ff 00 00 00 00");
  const o = decodeOnce(icmp, 101);
  assert.equal(o.kind, "other-ip");
  assert.equal(o.out.ipProto, 1);
  assert.equal(o.out.srcPort, 0);
  assert.equal(o.out.payloadLen, 8);
  assert.equal(
    decodeOnce(cat(hex("00 11 22 33 44 55 66 77 88 99 aa bb 08 06"), new Uint8Array(28)), 1).kind,
    "not-ip",
  );
  const bad = decodeOnce(IPV4_TCP_SYN.subarray(0, 30), 101, { frame: 42, tsSec: 7 });
  assert.equal(bad.kind, "malformed");
  assert.deepEqual(
    { ...bad.weirds[0], detail: undefined },
    { ts: 7, name: "ip_total_length_mismatch", frame: 42, detail: undefined },
  );
});

test("payload offsets are relative to the buffer, not the frame start", () => {
  const { kind, out } = decodeOnce(cat(ETH_V4, IPV4_UDP_HELLO), 1, { lead: 100 });
  assert.equal(kind, "udp");
  assert.equal(out.srcOff, 100 + 14 + 12);
  assert.equal(payloadText(out), "hello");
});

test("unknown link types are counted per type with one weird each", () => {
  const { dec, weirds, out } = decoder();
  for (let i = 1; i <= 3; i++)
    assert.equal(dec.decode(packet(IPV4_TCP_SYN, 147, { frame: i }), out), "unknown-link");
  dec.decode(packet(IPV4_TCP_SYN, 148, { frame: 4 }), out);
  assert.deepEqual(
    [...dec.unknownLinkTypes],
    [
      [147, 3],
      [148, 1],
    ],
  );
  assert.deepEqual(
    weirds.map((w) => [w.name, w.frame]),
    [
      ["unknown_link_type", 1],
      ["unknown_link_type", 4],
    ],
  );
});

test("IP in IP: an IPv6-in-IPv4 (6in4) tunnel yields the inner UDP", () => {
  const outer = hex(`
    45 00 00 48   # total length 72 = 20 + 52
    00 00 00 00 40 29 00 00   # protocol 41 (IPv6)
    c6 33 64 01 c6 33 64 02   # 198.51.100.1 → 198.51.100.2
  `);
  const { kind, out } = decodeOnce(cat(ETH_V4, outer, IPV6_UDP_PING), 1);
  assert.equal(kind, "udp");
  assert.equal(out.ipVersion, 6);
  assert.equal(addr(out, out.srcOff), "2001:db8:0:0:0:0:0:1");
  assert.equal(payloadText(out), "ping");
});

/** A UDP datagram of `n` payload bytes split into IPv4 fragments of `step` bytes (Ethernet frames). */
function v4Fragments(n: number, step: number, id: number): { frames: Uint8Array[]; body: Uint8Array } {
  const body = cat(
    hex("30 39 00 35"),
    Uint8Array.of((n + 8) >> 8, (n + 8) & 0xff, 0, 0),
    Uint8Array.from({ length: n }, (_, i) => i & 0xff),
  );
  const frames: Uint8Array[] = [];
  for (let o = 0; o < body.length; o += step) {
    const part = body.subarray(o, Math.min(o + step, body.length));
    const more = o + step < body.length;
    const fo = (more ? 0x2000 : 0) | (o >> 3);
    const ip = cat(
      Uint8Array.of(
        0x45,
        0,
        (20 + part.length) >> 8,
        (20 + part.length) & 0xff,
        id >> 8,
        id & 0xff,
        fo >> 8,
        fo & 0xff,
      ),
      hex("40 11 00 00 0a 00 00 01 0a 00 00 02"),
      part,
    );
    frames.push(cat(ETH_V4, ip));
  }
  return { frames, body };
}

test("IPv4 fragments through Ethernet: fragment, fragment, then the whole UDP datagram", () => {
  const { frames, body } = v4Fragments(2992, 1480, 7);
  assert.equal(frames.length, 3);
  const { dec, weirds, out } = decoder();
  const kinds = frames.map((f, i) => dec.decode(packet(f, 1, { frame: i + 1 }), out));
  assert.deepEqual(kinds, ["fragment", "fragment", "udp"]);
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  assert.equal(out.ipTotalLen, 20 + 3000);
  assert.equal(out.srcPort, 12345);
  assert.equal(out.dstPort, 53);
  assert.equal(out.payloadLen, 2992);
  assert.deepEqual(out.data.subarray(out.payloadOff, out.payloadOff + out.payloadLen), body.subarray(8));
  assert.equal(dec.pendingFragments, 0);
});

test("IPv4 fragments out of order and duplicated, plus a timeout in packet time", () => {
  const { frames } = v4Fragments(2992, 1480, 8);
  const { dec, weirds, out } = decoder({ timeoutSec: 10 });
  const order = [2, 0, 2, 1];
  const kinds = order.map((i, n) => dec.decode(packet(frames[i], 1, { frame: n + 1 }), out));
  assert.deepEqual(kinds, ["fragment", "fragment", "fragment", "udp"]);
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  dec.decode(packet(frames[0], 1, { frame: 5, tsSec: 1_400_000_000 }), out);
  dec.decode(packet(IPV4_TCP_SYN, 101, { frame: 6, tsSec: 1_400_000_011 }), out);
  assert.deepEqual(
    weirds.map((w) => [w.name, w.frame]),
    [["fragment_reassembly_timeout", 5]],
  );
  dec.decode(packet(frames[1], 1, { frame: 7 }), out);
  dec.end();
  assert.equal(weirds.at(-1)?.name, "fragment_incomplete");
});

test("IPv4 fragments with conflicting overlap: weird, then the datagram from the first bytes", () => {
  const { frames, body } = v4Fragments(2992, 1480, 9);
  const evil = frames[1].slice();
  evil[40] ^= 0xff; // a payload byte of the second fragment
  const { dec, weirds, out } = decoder();
  dec.decode(packet(frames[1], 1, { frame: 1 }), out);
  dec.decode(packet(evil, 1, { frame: 2 }), out);
  dec.decode(packet(frames[0], 1, { frame: 3 }), out);
  assert.equal(dec.decode(packet(frames[2], 1, { frame: 4 }), out), "udp");
  assert.deepEqual(
    weirds.map((w) => [w.name, w.frame]),
    [["fragment_overlap_mismatch", 2]],
  );
  assert.deepEqual(out.data.subarray(out.payloadOff, out.payloadOff + out.payloadLen), body.subarray(8));
});

test("IPv6 fragments (raw IPv6), last one first, with a destination option inside the fragmentable part", () => {
  const udp = cat(hex("9c 40 01 bb 05 e0 00 00   # UDP length 1504 = 8 + 4 + 1492"), hex("70 69 6e 67"));
  const fragmentable = cat(
    hex("11 00 01 04 00 00 00 00   # destination options: next 17"),
    udp,
    new Uint8Array(1492),
  );
  const addrs = hex(
    "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02",
  );
  const frag = (start: number, end: number) => {
    const part = fragmentable.subarray(start, end);
    const more = end < fragmentable.length ? 1 : 0;
    const fh = Uint8Array.of(60, 0, start >> 8, (start & 0xf8) | more, 0, 0, 0x12, 0x34); // next 60 (dest opts)
    const plen = 8 + part.length;
    return cat(Uint8Array.of(0x60, 0, 0, 0, plen >> 8, plen & 0xff, 44, 64), addrs, fh, part);
  };
  const { dec, weirds, out } = decoder();
  assert.equal(dec.decode(packet(frag(1448, fragmentable.length), 229, { frame: 1 }), out), "fragment");
  assert.equal(dec.decode(packet(frag(0, 1448), 229, { frame: 2 }), out), "udp");
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  assert.equal(out.ipVersion, 6);
  assert.equal(out.ipTotalLen, 40 + fragmentable.length);
  assert.equal(out.dstPort, 443);
  assert.equal(out.payloadOff, 40 + 8 + 8);
  assert.equal(out.payloadLen, 1496);
  assert.equal(payloadText(out).slice(0, 4), "ping");
});

test("fragments cut by the snaplen: the first still shows its UDP header (as in tshark), later ones wait", () => {
  const { frames } = v4Fragments(2992, 1480, 10);
  const { dec, weirds, out } = decoder();
  const first = frames[0].subarray(0, 100);
  assert.equal(dec.decode(packet(first, 1, { frame: 1, origLen: frames[0].length }), out), "udp");
  assert.equal(out.srcPort, 12345);
  assert.equal(out.payloadLen, 100 - 14 - 20 - 8);
  assert.equal(out.payloadWireLen, 2992); // the UDP length speaks for the whole datagram
  const second = frames[1].subarray(0, 100);
  assert.equal(dec.decode(packet(second, 1, { frame: 2, origLen: frames[1].length }), out), "fragment");
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  assert.equal(dec.pendingFragments, 0);
});

test("truncation at every byte never throws: malformed (or not-ip), and with a snaplen the headers decide", () => {
  for (const [lt, f] of VALID_FRAMES) {
    const full = decodeOnce(f, lt).kind;
    for (let cut = 0; cut < f.length; cut++) {
      const d = f.subarray(0, cut);
      const k = decodeOnce(d, lt).kind;
      assert.ok(k === "malformed" || k === "not-ip", `link ${lt} cut ${cut}: ${k}`);
      const snap = decodeOnce(d, lt, { origLen: f.length }).kind;
      assert.ok(
        snap === "malformed" || snap === "not-ip" || snap === full,
        `link ${lt} snaplen ${cut}: ${snap}`,
      );
    }
  }
});

const LINK_TYPES = [...VALID_FRAMES.map(([lt]) => lt), 147];

test("property: decode never throws and returns a kind, on random bytes for every link type", () => {
  for (const lt of LINK_TYPES) {
    const { dec, out } = decoder();
    let frame = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), fc.nat(3), (bytes, extra) => {
        const p = packet(bytes, lt, {
          frame: ++frame,
          origLen: bytes.length + extra,
          tsSec: 1_400_000_000 + frame,
        });
        const k: PacketKind = dec.decode(p, out);
        assert.ok(PACKET_KINDS.includes(k));
      }),
      { numRuns: 10_000 },
    );
  }
});

test("property: mutated valid frames never throw; reassembly stays within its bounds", () => {
  const frag = v4Fragments(2992, 1480, 11).frames;
  const seeds = [...VALID_FRAMES.map(([lt, f]) => [lt, f] as const), ...frag.map((f) => [1, f] as const)];
  const { dec, out } = decoder({ maxDatagrams: 8, maxTotalBytes: 200_000, timeoutSec: 5 });
  let frame = 0;
  fc.assert(
    fc.property(
      fc.nat(seeds.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }),
      fc.nat(60),
      (i, edits, trim) => {
        const [lt, f] = seeds[i];
        const d = f.slice(0, Math.max(0, f.length - (trim > 40 ? trim - 40 : 0)));
        for (const [pos, v] of edits) if (d.length > 0) d[pos % d.length] = v;
        frame++;
        const k = dec.decode(packet(d, lt, { frame, tsSec: 1_400_000_000 + (frame >> 4) }), out);
        assert.ok(PACKET_KINDS.includes(k));
        assert.ok(dec.pendingFragments <= 8);
      },
    ),
    { numRuns: 10_000 },
  );
  dec.end();
  assert.equal(dec.pendingFragments, 0);
});
