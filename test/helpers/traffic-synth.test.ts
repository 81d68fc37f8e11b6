// The synthesizer around its conversations: UDP exchanges and DNS lookups as tshark counts them, determinism
// for a seed, and time ordering across interleaved conversations.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { writePcap } from "./capture-writer.ts";
import { conversations, pattern, saveSynth as save } from "./synth-tshark.ts";
import { Prng, TrafficSynth } from "./traffic-synth.ts";
import { NO_TSHARK } from "./tshark.ts";

test("UDP exchanges and DNS lookups count as tshark's UDP conversations", { skip: NO_TSHARK }, () => {
  const s = new TrafficSynth({ seed: 3 });
  s.udpExchange({
    client: "10.0.0.2",
    server: "10.0.0.9",
    clientPort: 5000,
    serverPort: 6000,
    datagrams: [
      { fromClient: true, data: pattern(10, 1) },
      { fromClient: false, data: pattern(20, 2) },
      { fromClient: true, data: pattern(30, 3) },
    ],
  });
  s.dnsQuery("example.com", ["192.0.2.1"], { clientPort: 5353 });
  const conv = conversations(save(s), "udp");
  // 42 bytes of headers (14 + 20 + 8): client 52 + 72, server 62.
  assert.deepEqual(conv.get("10.0.0.2:5000 <-> 10.0.0.9:6000"), [2, 124, 1, 62]);
  assert.deepEqual(conv.get("10.0.0.2:5353 <-> 10.0.0.1:53")?.slice(0, 1), [1]);
});

test("the same seed gives the same bytes; another seed does not", () => {
  const make = (seed: number) => {
    const s = new TrafficSynth({ seed });
    s.dnsQuery("example.com", ["192.0.2.1"]);
    s.tcpConversation({
      client: "10.0.0.2",
      server: "10.0.0.3",
      clientPort: 40000,
      serverPort: 80,
      reorder: true,
      exchanges: [{ fromClient: true, data: pattern(5000, 1) }],
    });
    return writePcap(s.sorted(), { linkType: s.linkType });
  };
  assert.deepEqual(make(42), make(42));
  assert.notDeepEqual(make(42), make(43));
});

test("sorted() interleaves conversations by time and the clock moves past each call", () => {
  const s = new TrafficSynth({ seed: 1, startTs: 100 });
  const a = s.tcpConversation({
    client: "10.0.0.2",
    server: "10.0.0.3",
    clientPort: 1,
    serverPort: 2,
    exchanges: [],
    startTs: 100,
  });
  const b = s.tcpConversation({
    client: "10.0.0.2",
    server: "10.0.0.4",
    clientPort: 3,
    serverPort: 4,
    exchanges: [],
    startTs: 100.01,
  });
  assert.ok(b.startTs < a.endTs, "the two overlap");
  const times = s.sorted().map((f) => f.tsSec + f.tsNsec / 1e9);
  assert.deepEqual(
    times,
    [...times].sort((x, y) => x - y),
  );
  assert.ok(s.nowUs / 1e6 > b.endTs);
  const c = s.dnsQuery("example.com", ["192.0.2.1"]);
  assert.ok(c[0].tsSec + c[0].tsNsec / 1e9 > b.endTs);
});

test("Prng.int stays within its bounds and a seed replays its sequence", () => {
  fc.assert(
    fc.property(fc.nat(), fc.integer({ min: -1000, max: 1000 }), fc.nat(5000), (seed, lo, span) => {
      const a = new Prng(seed);
      const v = a.int(lo, lo + span);
      assert.ok(Number.isInteger(v) && v >= lo && v <= lo + span);
      const b = new Prng(seed);
      assert.equal(b.int(lo, lo + span), v);
    }),
    { numRuns: 10000 },
  );
});
