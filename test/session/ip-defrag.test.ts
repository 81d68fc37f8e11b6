// IP reassembly: in order, out of order, duplicates, overlaps (same and conflicting bytes), timeouts,
// bounds, inconsistent lengths, IPv6, and the end of input. The oracle is the datagram before splitting.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { WeirdRecord } from "../../src/model/weird.ts";
import { type FragmentInfo, IpDefrag, type IpDefragOptions } from "../../src/session/ip-defrag.ts";
import { cat, hex } from "../decode/decode-helpers.ts";

/** The 20-byte IPv4 header of the whole datagram: 10.0.0.1 → 10.0.0.2, UDP, id 0x4242, DF clear. */
function v4Header(totalLen: number, id = 0x4242, flagsOffset = 0, src = 1): Uint8Array {
  const h = hex(`
    45 00 00 00   # version 4, IHL 5, total length (set below)
    00 00 00 00   # id, flags + fragment offset (set below)
    40 11 00 00   # TTL 64, UDP
    0a 00 00 01   # source 10.0.0.1
    0a 00 00 02   # destination 10.0.0.2
  `);
  h[2] = totalLen >> 8;
  h[3] = totalLen & 0xff;
  h[4] = id >> 8;
  h[5] = id & 0xff;
  h[6] = flagsOffset >> 8;
  h[7] = flagsOffset & 0xff;
  h[15] = src;
  return h;
}

/** A UDP datagram payload of `n` bytes with a recognisable pattern. */
function payload(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
}

/** The IPv4 fragment of `body` covering [start, end). */
function frag4(body: Uint8Array, start: number, end: number, id = 0x4242, src = 1): FragmentInfo {
  const more = end < body.length;
  const data = cat(
    v4Header(20 + end - start, id, (more ? 0x2000 : 0) | (start >> 3), src),
    body.subarray(start, end),
  );
  return {
    version: 4,
    data,
    ipOff: 0,
    hdrLen: 20,
    id,
    proto: 17,
    offset: start,
    more,
    payOff: 20,
    payLen: end - start,
  };
}

function setup(opts: IpDefragOptions = {}) {
  const weirds: Omit<WeirdRecord, "type">[] = [];
  const d = new IpDefrag((w) => weirds.push(w), opts);
  return { d, weirds };
}

const BODY = payload(3000);
const WHOLE = cat(v4Header(3020), BODY);
const CUTS: [number, number][] = [
  [0, 1480],
  [1480, 2960],
  [2960, 3000],
];

test("in order: the last fragment yields the original datagram", () => {
  const { d, weirds } = setup();
  assert.equal(d.add(frag4(BODY, 0, 1480), 1, 1), undefined);
  assert.equal(d.add(frag4(BODY, 1480, 2960), 1, 2), undefined);
  const whole = d.add(frag4(BODY, 2960, 3000), 1, 3);
  assert.deepEqual(whole, WHOLE);
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  assert.equal(d.size, 0);
  assert.equal(d.bytesHeld, 0);
});

test("out of order, every permutation of three fragments", () => {
  const perms = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  for (const perm of perms) {
    const { d, weirds } = setup();
    let whole: Uint8Array | undefined;
    for (const i of perm) whole = d.add(frag4(BODY, ...CUTS[i]), 1, i + 1);
    assert.deepEqual(whole, WHOLE, `order ${perm}`);
    assert.equal(weirds.length, 0, JSON.stringify(weirds));
  }
});

test("duplicates and overlaps with equal bytes are silent", () => {
  const { d, weirds } = setup();
  d.add(frag4(BODY, 0, 1480), 1, 1);
  d.add(frag4(BODY, 0, 1480), 1, 2);
  d.add(frag4(BODY, 1000, 2000), 1, 3);
  d.add(frag4(BODY, 1480, 2960), 1, 4);
  const whole = d.add(frag4(BODY, 2000, 3000), 1, 5);
  assert.deepEqual(whole, WHOLE);
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
});

test("an overlap with different bytes is a weird; the bytes seen first are kept", () => {
  const { d, weirds } = setup();
  d.add(frag4(BODY, 0, 1480), 1, 1);
  const evil = payload(3000, 99);
  d.add(frag4(evil, 1000, 2000), 1, 2);
  d.add(frag4(evil, 1100, 1200), 1, 3);
  d.add(frag4(BODY, 2000, 2960), 1, 4);
  const whole = d.add(frag4(BODY, 2960, 3000), 1, 5);
  assert.equal(weirds.length, 1);
  assert.equal(weirds[0].name, "fragment_overlap_mismatch");
  assert.equal(weirds[0].frame, 2);
  // Bytes 1000..1480 came from BODY first; 1480..2000 from `evil` first.
  assert.deepEqual(whole?.subarray(20, 1500), BODY.subarray(0, 1480));
  assert.deepEqual(whole?.subarray(1500, 2020), evil.subarray(1480, 2000));
  assert.deepEqual(whole?.subarray(2020), BODY.subarray(2000));
});

test("the reassembled header keeps DF and options, drops MF and the offset, fixes the length", () => {
  const { d } = setup();
  const body = payload(24);
  const hdr = hex(`
    46 00 00 24   # IHL 6, total length 36 (24 + 12)
    43 21 60 00   # id 0x4321, DF + MF, offset 0
    40 11 00 00 0a 00 00 01 0a 00 00 02
    94 04 00 00   # router alert option
  `);
  const first: FragmentInfo = {
    version: 4,
    data: cat(hdr, body.subarray(0, 16)),
    ipOff: 0,
    hdrLen: 24,
    id: 0x4321,
    proto: 17,
    offset: 0,
    more: true,
    payOff: 24,
    payLen: 16,
  };
  const second: FragmentInfo = {
    ...first,
    data: cat(hdr, body.subarray(16)),
    offset: 16,
    more: false,
    payLen: 8,
  };
  assert.equal(d.add(second, 1, 1), undefined);
  const whole = d.add(first, 1, 2);
  assert.ok(whole);
  assert.equal(whole.length, 48);
  assert.deepEqual([...whole.subarray(0, 8)], [0x46, 0, 0, 48, 0x43, 0x21, 0x40, 0]);
  assert.deepEqual(whole.subarray(20, 24), hex("94 04 00 00"));
  assert.deepEqual(whole.subarray(24), body);
});

test("fragments of different datagrams (id or source) do not mix", () => {
  const { d } = setup();
  d.add(frag4(BODY, 0, 1480, 1), 1, 1);
  d.add(frag4(BODY, 0, 1480, 2), 1, 2);
  d.add(frag4(BODY, 0, 1480, 2, 9), 1, 3);
  assert.equal(d.size, 3);
  assert.equal(d.add(frag4(BODY, 1480, 3000, 2), 1, 4)?.length, 3020);
  assert.equal(d.size, 2);
});

test("timeout in packet time: reported with the first fragment's frame, then a fresh start", () => {
  const { d, weirds } = setup({ timeoutSec: 30 });
  d.add(frag4(BODY, 0, 1480), 100, 1);
  d.add(frag4(BODY, 1480, 2960), 129.9, 2);
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  assert.equal(d.add(frag4(BODY, 2960, 3000), 130.5, 3), undefined);
  assert.equal(weirds.length, 1);
  assert.equal(weirds[0].name, "fragment_reassembly_timeout");
  assert.equal(weirds[0].frame, 1);
  assert.equal(d.size, 1);
  d.expire(200);
  assert.equal(weirds.length, 2);
  assert.equal(d.size, 0);
});

test("a fragment beyond the 65535-byte limit is fragment_too_big", () => {
  const { d, weirds } = setup();
  const big = payload(65600);
  assert.equal(d.add(frag4(big, 65000, 65600), 1, 7), undefined);
  assert.equal(weirds[0].name, "fragment_too_big");
  assert.equal(weirds[0].frame, 7);
  const small = setup({ maxBytes: 2000 });
  small.d.add(frag4(BODY, 1480, 2960), 1, 1);
  assert.equal(small.weirds[0].name, "fragment_too_big");
  // IPv4's 16-bit total length: header + payload must fit (the ping of death).
  const pod = setup();
  pod.d.add(frag4(big, 0, 1480), 1, 1);
  const ends: FragmentInfo = { ...frag4(big, 65520, 65528), more: false };
  for (let o = 1480; o < 65520; o += 8000) pod.d.add(frag4(big, o, Math.min(o + 8000, 65520)), 1, 2);
  assert.equal(pod.d.add(ends, 1, 3), undefined);
  assert.equal(pod.weirds.at(-1)?.name, "fragment_too_big");
});

test("bounds: datagrams pending and bytes held evict the oldest with a weird", () => {
  const { d, weirds } = setup({ maxDatagrams: 2 });
  d.add(frag4(BODY, 0, 1480, 1), 1, 1);
  d.add(frag4(BODY, 0, 1480, 2), 1, 2);
  d.add(frag4(BODY, 0, 1480, 3), 1, 3);
  assert.equal(d.size, 2);
  assert.equal(weirds[0].name, "fragment_evicted");
  assert.equal(weirds[0].frame, 1);
  const mem = setup({ maxBytes: 4000, maxTotalBytes: 5000 });
  mem.d.add(frag4(BODY, 1480, 2960, 1), 1, 1);
  mem.d.add(frag4(BODY, 1480, 2960, 2), 1, 2);
  assert.equal(mem.weirds[0]?.name, "fragment_evicted");
  assert.ok(mem.d.bytesHeld <= 5000);
  assert.equal(mem.d.size, 1);
});

test("last fragments that disagree on the length drop the datagram with a weird", () => {
  const { d, weirds } = setup();
  d.add(frag4(BODY, 2960, 3000), 1, 1);
  d.add({ ...frag4(BODY, 1480, 2960), more: false }, 1, 2);
  assert.equal(weirds[0].name, "fragment_inconsistent_length");
  assert.equal(d.size, 0);
  const beyond = setup();
  beyond.d.add(frag4(BODY, 1480, 2960), 1, 1);
  beyond.d.add({ ...frag4(BODY, 0, 1480), more: false }, 1, 2);
  assert.equal(beyond.weirds[0].name, "fragment_inconsistent_length");
});

test("IPv6: fixed header kept, next header from the fragment header, payload length fixed", () => {
  const body = payload(2000);
  const fixed = cat(
    hex("60 00 00 00 05 c0 2c 40   # payload length 1472, next header 44 (fragment), hop limit 64"),
    hex("20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"),
    hex("20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02"),
  );
  const f6 = (start: number, end: number): FragmentInfo => ({
    version: 6,
    data: cat(fixed, hex("11 00 00 00 00 00 00 2a"), body.subarray(start, end)),
    ipOff: 0,
    hdrLen: 40,
    id: 42,
    proto: 17,
    offset: start,
    more: end < body.length,
    payOff: 48,
    payLen: end - start,
  });
  const { d } = setup();
  assert.equal(d.add(f6(1456, 2000), 1, 1), undefined);
  const whole = d.add(f6(0, 1456), 1, 2);
  assert.ok(whole);
  assert.equal(whole.length, 2040);
  assert.deepEqual([...whole.subarray(4, 7)], [2000 >> 8, 2000 & 0xff, 17]);
  assert.deepEqual(whole.subarray(8, 40), fixed.subarray(8, 40));
  assert.deepEqual(whole.subarray(40), body);
});

test("end of input reports what is still incomplete", () => {
  const { d, weirds } = setup();
  d.add(frag4(BODY, 0, 1480), 5, 3);
  d.end(9);
  assert.equal(weirds.length, 1);
  assert.equal(weirds[0].name, "fragment_incomplete");
  assert.equal(weirds[0].frame, 3);
  assert.match(weirds[0].detail ?? "", /1480 of \? bytes/);
  assert.equal(d.size, 0);
});

test("property: any split, order and duplication of a datagram reassembles to the original", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 400 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 12 }),
      fc.array(fc.nat(), { maxLength: 30 }),
      (body, steps, shuffle) => {
        const cuts: [number, number][] = [];
        let o = 0;
        for (let i = 0; o < body.length; i++) {
          const e = Math.min(body.length, o + steps[i % steps.length] * 8);
          cuts.push([o, e]);
          o = e;
        }
        if (cuts.length < 2) return;
        // A shuffled order, with some fragments sent twice.
        const order = cuts.map((_, i) => i);
        for (let i = 0; i < shuffle.length; i++) {
          const j = shuffle[i] % order.length;
          if (i % 3 === 0) order.push(order[j]);
          else [order[i % order.length], order[j]] = [order[j], order[i % order.length]];
        }
        const { d, weirds } = setup();
        const done: Uint8Array[] = [];
        for (const i of order) {
          const w = d.add(frag4(body, ...cuts[i]), 1, i + 1);
          if (w) done.push(w);
        }
        assert.equal(weirds.length, 0);
        assert.ok(done.length >= 1);
        assert.deepEqual(done[0], cat(v4Header(20 + body.length), body));
      },
    ),
    { numRuns: 10_000 },
  );
});

test("property: random fragments never throw and stay within every bound", () => {
  const { d } = setup({ maxDatagrams: 4, maxBytes: 20_000, maxTotalBytes: 50_000, timeoutSec: 3 });
  const body = payload(70_000);
  let t = 0;
  fc.assert(
    fc.property(fc.nat(3), fc.nat(8300), fc.nat(1500), fc.boolean(), fc.nat(3), (id, unit, len, more, dt) => {
      t += dt;
      const start = Math.min(unit * 8, body.length);
      const f = { ...frag4(body, start, Math.min(body.length, start + len), id), more };
      const whole = d.add(f, t, 1);
      if (whole) assert.equal(whole.length, (whole[2] << 8) | whole[3]);
      assert.ok(d.size <= 4);
      assert.ok(d.bytesHeld <= 50_000);
    }),
    { numRuns: 10_000 },
  );
});
