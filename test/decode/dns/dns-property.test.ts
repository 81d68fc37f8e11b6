// Property tests: the DNS parser, name reader, probe and consumer never throw and always finish, on random
// bytes and on real messages with bytes overwritten, cut short, or split at random points over TCP.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { dnsDecoder } from "../../../src/decode/dns/dns-decoder.ts";
import { parseMessage } from "../../../src/decode/dns/dns-message.ts";
import { newNameResult, readName } from "../../../src/decode/dns/dns-names.ts";
import { DNS_WEIRD_NAMES } from "../../../src/decode/dns/dns-types.ts";
import { NameTable } from "../../../src/decode/dns/name-table.ts";
import type { DnsRecord } from "../../../src/model/dns.ts";
import { dnsQueryMessage, dnsResponseMessage } from "../../helpers/app-messages.ts";
import { hex } from "../decode-helpers.ts";
import { ctxFor, framed } from "./dns-harness.ts";

const RUNS = { numRuns: 10000 };

/** Real messages of every shape the decoder handles: the seeds mutations start from. */
const SEEDS: Uint8Array[] = [
  dnsQueryMessage(0x1234, "www.example.com"),
  dnsResponseMessage({
    id: 1,
    name: "a.example",
    answers: ["b.example.net", "c.example.org", "10.0.0.1", "10.0.0.2"],
  }),
  dnsResponseMessage({ id: 2, name: "v6.example", answers: ["2001:db8::1"] }),
  hex(`
    00 07 81 80 00 01 00 01 00 00 00 01  07 6578616d706c65 03 636f6d 00 00 41 00 01
    c0 0c 00 41 00 01 00 00 01 2c 00 3b 00 01 00  00 01 00 06 02 6832 02 6833  00 03 00 02 01 bb
    00 04 00 08 c0 00 02 01 c0 00 02 02  00 05 00 04 de ad be ef
    00 06 00 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
    00 00 29 04 d0 00 00 80 00 00 17 00 0a 00 08 01 02 03 04 05 06 07 08 00 08 00 07 00 01 18 00 c0 00 02
  `),
  hex(`
    00 09 84 00 00 00 00 05 00 00 00 00
    01 61 00  00 0f 00 01 00 00 00 0a 00 07  00 0a 02 6d78 c0 0c
    c0 0c  00 21 00 01 00 00 00 0a 00 0a  00 01 00 02 14 66 01 73 c0 0c
    c0 0c  00 10 00 01 00 00 00 0a 00 0a  03 763d31 05 22 7a 5c 0a 79
    c0 0c  00 06 00 01 00 00 00 0a 00 1a  02 6e73 c0 0c 00  00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00 05
    c0 0c  00 0c 00 01 00 00 00 0a 00 02  c0 0c
  `),
];

/** A seed with some bytes overwritten (pointer-like bytes favoured) and maybe cut short. */
const mutated = fc
  .record({
    seed: fc.integer({ min: 0, max: SEEDS.length - 1 }),
    edits: fc.array(
      fc.tuple(
        fc.nat(),
        fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0xc0, 0xc0, 0x3f, 0, 0xff)),
      ),
      {
        maxLength: 6,
      },
    ),
    cut: fc.option(fc.nat(), { freq: 3 }),
  })
  .map(({ seed, edits, cut }) => {
    const b = Uint8Array.from(SEEDS[seed]);
    for (const [pos, v] of edits) b[pos % b.length] = v;
    return cut === null ? b : b.subarray(0, cut % (b.length + 1));
  });

const KNOWN_WEIRDS = new Set<string>(DNS_WEIRD_NAMES);

function checkParse(b: Uint8Array): void {
  const msg = parseMessage(b, 0, b.length, (name) => assert.ok(KNOWN_WEIRDS.has(name), name));
  if (b.length < 12) assert.equal(msg, undefined);
  else assert.ok(msg && msg.answers.length <= 100 && msg.questions.length <= 16);
}

test("parseMessage on random bytes: never throws", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), checkParse), RUNS);
});

test("parseMessage on mutated real messages: never throws, only known weirds", () => {
  fc.assert(fc.property(mutated, checkParse), RUNS);
});

test("readName on random bytes: never throws, ends inside the message, at most 255 octets of labels", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 12, maxLength: 300 }), fc.nat(), (b, start) => {
      const r = newNameResult();
      const off = 12 + (start % (b.length - 11));
      readName(b, 0, off, b.length, r);
      assert.ok(r.next <= b.length);
      assert.ok(r.text.length <= 255 * 4 + 1);
    }),
    RUNS,
  );
});

test("the probe on random and mutated bytes: never throws", () => {
  const ctxs = [
    ctxFor("udp", 40000, 53),
    ctxFor("udp", 40000, 9999),
    ctxFor("tcp", 40000, 53),
    ctxFor("tcp", 1, 2),
  ];
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), fc.nat(3), (b, i) => {
      assert.equal(typeof dnsDecoder.probe(b, true, ctxs[i]), "boolean");
    }),
    RUNS,
  );
});

const sink = () => {};
const records: DnsRecord[] = [];
const out = { record: (r: object) => records.push(r as DnsRecord), weird: sink, payload: sink };

test("the UDP consumer on mutated datagrams: never throws; its records teach the name table safely", () => {
  const table = new NameTable({ maxAddresses: 64 });
  fc.assert(
    fc.property(fc.array(mutated, { minLength: 1, maxLength: 4 }), fc.boolean(), (msgs, onDnsPort) => {
      records.length = 0;
      const c = dnsDecoder.create(ctxFor("udp", 40000, onDnsPort ? 53 : 9999), out);
      for (const [i, m] of msgs.entries()) c.data(i % 2 === 0, m, 1400000000 + i, i + 1);
      c.end();
      for (const r of records) {
        JSON.stringify(r);
        table.add(r);
      }
      assert.ok(table.size <= 64);
    }),
    RUNS,
  );
});

test("the TCP consumer on mutated messages split at random points: never throws", () => {
  fc.assert(
    fc.property(
      fc.array(mutated, { minLength: 1, maxLength: 3 }),
      fc.array(fc.nat(), { maxLength: 4 }),
      (msgs, cuts) => {
        const stream = Uint8Array.from(msgs.flatMap((m) => [...framed(m)]));
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const c = dnsDecoder.create(ctxFor("tcp", 40000, 53), out);
        let prev = 0;
        for (const p of [...points, stream.length]) {
          c.data(true, stream.subarray(prev, p), 1400000000, 1);
          prev = p;
        }
        c.gap(false, 5);
        c.end();
      },
    ),
    RUNS,
  );
});
