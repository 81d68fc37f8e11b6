// The DNS consumer: pairing by transaction id into one record per exchange (as Zeek's dns.log), unanswered
// queries at end(), TCP framing (several messages per segment, one message over several segments), mDNS,
// payloads for the detector, and streams that are not DNS after all.

import assert from "node:assert/strict";
import { test } from "node:test";
import { dnsDecoder } from "../../../src/decode/dns/dns-decoder.ts";
import { DNS_TYPE, dnsQueryMessage, dnsResponseMessage } from "../../helpers/app-messages.ts";
import { cat, hex } from "../decode-helpers.ts";
import { ctxFor, framed, harness } from "./dns-harness.ts";

const T0 = 1400000000;

test("UDP: a query and its response become one record with rtt, frames and answers", () => {
  const h = harness();
  const q = dnsQueryMessage(0x1234, "api.account.xiaomi.com");
  const r = dnsResponseMessage({
    id: 0x1234,
    name: "api.account.xiaomi.com",
    answers: ["lb.xiaomi.com", "1.2.3.4"],
    ttl: 120,
  });
  assert.equal(h.consumer.data(true, q, T0 + 0.5, 3), true);
  assert.equal(h.consumer.data(false, r, T0 + 0.53, 4), true);
  assert.equal(h.records.length, 1, "written as soon as the response pairs");
  h.consumer.end();
  assert.equal(h.records.length, 1);
  const rec = h.records[0];
  assert.equal(h.consumer.service, "dns");
  assert.deepEqual(
    {
      type: rec.type,
      ts: rec.ts,
      uid: rec.uid,
      proto: rec.proto,
      trans_id: rec.trans_id,
      rtt: rec.rtt,
      query: rec.query,
      qtype_name: rec.qtype_name,
      qclass_name: rec.qclass_name,
      rcode_name: rec.rcode_name,
      RD: rec.RD,
      RA: rec.RA,
      answers: rec.answers,
      ttls: rec.ttls,
      rejected: rec.rejected,
      saw: [rec.saw_query, rec.saw_response],
      frames: [rec.query_frame, rec.response_frame],
    },
    {
      type: "dns",
      ts: T0 + 0.5,
      uid: "CtestDnsUid000001",
      proto: "udp",
      trans_id: 0x1234,
      rtt: 0.03,
      query: "api.account.xiaomi.com",
      qtype_name: "A",
      qclass_name: "IN",
      rcode_name: "NOERROR",
      RD: true,
      RA: true,
      answers: ["lb.xiaomi.com", "1.2.3.4"],
      ttls: [120, 120],
      rejected: false,
      saw: [true, true],
      frames: [3, 4],
    },
  );
  assert.deepEqual(rec.answer_records, [
    { name: "api.account.xiaomi.com", type: "CNAME", ttl: 120, data: "lb.xiaomi.com" },
    { name: "lb.xiaomi.com", type: "A", ttl: 120, data: "1.2.3.4" },
  ]);
  assert.deepEqual(h.payloads, [
    { layer: "dns.query", text: "api.account.xiaomi.com", fromOrig: true, frame: 3, index: 0 },
  ]);
  assert.deepEqual(h.weirds, []);
});

test("an unanswered query is written at end(); a response without its query stands alone", () => {
  const h = harness();
  h.consumer.data(true, dnsQueryMessage(1, "unanswered.example"), T0, 1);
  h.consumer.data(
    false,
    dnsResponseMessage({ id: 2, name: "orphan.example", answers: ["10.0.0.9"] }),
    T0 + 1,
    2,
  );
  assert.equal(h.records.length, 1);
  assert.equal(h.records[0].query, "orphan.example");
  assert.deepEqual(
    [h.records[0].saw_query, h.records[0].saw_response, h.records[0].rtt],
    [false, true, undefined],
  );
  assert.equal(h.records[0].ts, T0 + 1);
  h.consumer.end();
  assert.equal(h.records.length, 2);
  const q = h.records[1];
  assert.deepEqual(
    [q.query, q.saw_query, q.saw_response, q.rcode, q.answers],
    ["unanswered.example", true, false, undefined, []],
  );
});

test("NXDOMAIN is not a rejection; SERVFAIL and REFUSED are", () => {
  const h = harness();
  for (const [id, rcode] of [
    [1, 3],
    [2, 2],
    [3, 5],
  ]) {
    h.consumer.data(true, dnsQueryMessage(id, "x.example"), T0, id * 2 - 1);
    h.consumer.data(false, dnsResponseMessage({ id, name: "x.example", answers: [], rcode }), T0, id * 2);
  }
  assert.deepEqual(
    h.records.map((r) => [r.rcode_name, r.rejected]),
    [
      ["NXDOMAIN", false],
      ["SERVFAIL", true],
      ["REFUSED", true],
    ],
  );
});

test("a response travelling the same way as the query does not pair with it", () => {
  const h = harness("udp", 5353, 5353);
  h.consumer.data(true, dnsQueryMessage(0, "printer.local"), T0, 1);
  h.consumer.data(true, dnsResponseMessage({ id: 0, name: "phone.local", answers: ["192.168.1.7"] }), T0, 2);
  h.consumer.end();
  assert.deepEqual(
    h.records.map((r) => [r.query, r.saw_query, r.saw_response]),
    [
      ["phone.local", false, true],
      ["printer.local", true, false],
    ],
  );
});

test("a reused transaction id writes the earlier query out unanswered", () => {
  const h = harness();
  h.consumer.data(true, dnsQueryMessage(7, "first.example"), T0, 1);
  h.consumer.data(true, dnsQueryMessage(7, "second.example"), T0 + 2, 2);
  h.consumer.data(
    false,
    dnsResponseMessage({ id: 7, name: "second.example", answers: ["10.0.0.1"] }),
    T0 + 2.1,
    3,
  );
  assert.deepEqual(
    h.records.map((r) => [r.query, r.saw_response]),
    [
      ["first.example", false],
      ["second.example", true],
    ],
  );
});

test("a query waiting longer than 60 s is written out when later traffic arrives", () => {
  const h = harness();
  h.consumer.data(true, dnsQueryMessage(1, "old.example"), T0, 1);
  h.consumer.data(true, dnsQueryMessage(2, "new.example"), T0 + 61, 2);
  assert.deepEqual(
    h.records.map((r) => r.query),
    ["old.example"],
  );
  h.consumer.data(
    false,
    dnsResponseMessage({ id: 1, name: "old.example", answers: ["10.0.0.1"] }),
    T0 + 62,
    3,
  );
  assert.equal(h.records[1].saw_query, false, "the late response no longer finds its query");
});

test("a response whose question differs from its query: paired, with dns_question_mismatch", () => {
  const h = harness();
  h.consumer.data(true, dnsQueryMessage(9, "asked.example"), T0, 1);
  h.consumer.data(false, dnsResponseMessage({ id: 9, name: "other.example", answers: ["10.0.0.1"] }), T0, 2);
  assert.deepEqual(
    h.weirds.map((w) => w.name),
    ["dns_question_mismatch"],
  );
  assert.equal(h.records[0].query, "asked.example");
});

test("TCP: two messages in one segment and one message split over three segments", () => {
  const h = harness("tcp");
  const q1 = dnsQueryMessage(1, "one.example");
  const q2 = dnsQueryMessage(2, "two.example", DNS_TYPE.AAAA);
  assert.equal(h.consumer.data(true, cat(framed(q1), framed(q2)), T0, 4), true);
  const r1 = framed(dnsResponseMessage({ id: 1, name: "one.example", answers: ["10.0.0.1", "10.0.0.2"] }));
  // Cut inside the length prefix, then in the middle of the message.
  assert.equal(h.consumer.data(false, r1.subarray(0, 1), T0 + 0.1, 5), true);
  assert.equal(h.consumer.data(false, r1.subarray(1, 20), T0 + 0.1, 6), true);
  assert.equal(h.records.length, 0);
  assert.equal(h.consumer.data(false, r1.subarray(20), T0 + 0.2, 7), true);
  const r2 = framed(dnsResponseMessage({ id: 2, name: "two.example", answers: ["2001:db8::2"] }));
  h.consumer.data(false, r2, T0 + 0.3, 8);
  h.consumer.end();
  assert.deepEqual(
    h.records.map((r) => [r.query, r.qtype_name, r.answers, r.query_frame, r.response_frame]),
    [
      ["one.example", "A", ["10.0.0.1", "10.0.0.2"], 4, 7],
      ["two.example", "AAAA", ["2001:db8::2"], 4, 8],
    ],
  );
  assert.deepEqual(h.weirds, []);
});

test("TCP: a stream that ends inside a message reports dns_truncated", () => {
  const h = harness("tcp");
  const q = framed(dnsQueryMessage(1, "cut.example"));
  h.consumer.data(true, q.subarray(0, q.length - 3), T0, 1);
  h.consumer.end();
  assert.deepEqual(
    h.weirds.map((w) => w.name),
    ["dns_truncated"],
  );
  assert.equal(h.records.length, 0);
});

test("TCP: after a gap a direction is given up, the other goes on", () => {
  const h = harness("tcp");
  h.consumer.data(true, framed(dnsQueryMessage(1, "a.example")), T0, 1);
  h.consumer.gap(false, 100);
  assert.equal(
    h.consumer.data(false, framed(dnsResponseMessage({ id: 1, name: "a.example", answers: [] })), T0, 2),
    true,
  );
  h.consumer.data(true, framed(dnsQueryMessage(2, "b.example")), T0, 3);
  h.consumer.gap(true, 10);
  assert.equal(
    h.consumer.data(true, framed(dnsQueryMessage(3, "c.example")), T0, 4),
    false,
    "both sides lost",
  );
  h.consumer.end();
  assert.deepEqual(
    h.records.map((r) => [r.query, r.saw_response]),
    [
      ["a.example", false],
      ["b.example", false],
    ],
  );
});

test("TCP: a length prefix shorter than a header after good messages: dns_bad_length and stop", () => {
  const h = harness("tcp");
  h.consumer.data(true, framed(dnsQueryMessage(1, "a.example")), T0, 1);
  assert.equal(h.consumer.data(true, hex("00 05 0102030405"), T0, 2), false);
  assert.deepEqual(
    h.weirds.map((w) => w.name),
    ["dns_bad_length"],
  );
});

test("a stream that is not DNS stops the decoder without output", () => {
  const udp = harness("udp", 40000, 9999);
  assert.equal(
    udp.consumer.data(true, new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), T0, 1),
    false,
  );
  udp.consumer.end();
  const tcp = harness("tcp", 40000, 9999);
  assert.equal(
    tcp.consumer.data(true, new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), T0, 1),
    false,
  );
  tcp.consumer.end();
  for (const h of [udp, tcp]) {
    assert.deepEqual([h.records, h.weirds, h.payloads, h.consumer.service], [[], [], [], undefined]);
  }
});

test("garbage after good messages is a weird; the connection goes on", () => {
  const h = harness("udp", 40000, 9999);
  h.consumer.data(true, dnsQueryMessage(1, "a.example"), T0, 1);
  assert.equal(h.consumer.data(true, new Uint8Array(40).fill(0xff), T0, 2), true);
  assert.deepEqual(
    h.weirds.map((w) => w.name),
    ["dns_bad_message"],
  );
  assert.equal(h.weirds[0].frame, 2);
  assert.equal(h.weirds[0].uid, "CtestDnsUid000001");
});

test("weirds are capped per connection", () => {
  const h = harness("udp", 40000, 9999);
  h.consumer.data(true, dnsQueryMessage(1, "a.example"), T0, 1);
  for (let i = 0; i < 500; i++) h.consumer.data(true, new Uint8Array(40).fill(0xff), T0, i + 2);
  assert.equal(h.weirds.length, 50);
});

test("mDNS (5353): the unicast-response bit is not part of QCLASS; announcements go to the detector", () => {
  const h = harness("udp", 5353, 5353);
  const q = dnsQueryMessage(0, "_companion-link._tcp.local", 12);
  q[q.length - 2] |= 0x80; // QU bit (RFC 6762 §5.4)
  h.consumer.data(true, q, T0, 1);
  const announce = hex(`
    00 00 84 00 00 00 00 01 00 00 00 00     # response, AA, no question, 1 answer
    0c 4a6f686e732d6950686f6e65 05 6c6f63616c 00   # Johns-iPhone.local
    00 01 80 01 00 00 00 78 00 04 c0 a8 01 07       # A, cache-flush + IN, TTL 120, 192.168.1.7
  `);
  h.consumer.data(true, announce, T0 + 1, 2);
  h.consumer.end();
  assert.deepEqual(h.weirds, []);
  const [a, qr] = h.records;
  assert.deepEqual(
    [a.query, a.saw_response, a.answers, a.answer_records?.[0].name],
    [undefined, true, ["192.168.1.7"], "Johns-iPhone.local"],
  );
  assert.deepEqual(
    [qr.query, qr.qclass, qr.qclass_name, qr.qtype_name],
    ["_companion-link._tcp.local", 1, "IN", "PTR"],
  );
  assert.deepEqual(
    h.payloads.map((p) => [p.layer, p.text]),
    [
      ["dns.query", "_companion-link._tcp.local"],
      ["dns.answer", "Johns-iPhone.local\n192.168.1.7"],
    ],
  );
});

test("EDNS fields: the query's size, DO bit and client subnet; both messages' options", () => {
  const h = harness();
  const q = hex(`
    00 05 01 00 00 01 00 00 00 00 00 01  01 61 00 00 01 00 01
    00 00 29 04 d0 00 00 80 00 00 0b  00 08 00 07 00 01 18 00 c0 00 02   # ECS 192.0.2.0/24
  `);
  const r = hex(`
    00 05 81 80 00 01 00 00 00 00 00 01  01 61 00 00 01 00 01
    00 00 29 10 00 00 00 00 00 00 04  00 0c 00 00                         # padding
  `);
  h.consumer.data(true, q, T0, 1);
  h.consumer.data(false, r, T0, 2);
  const rec = h.records[0];
  assert.deepEqual(
    [rec.edns_udp_size, rec.edns_do, rec.edns_options, rec.edns_client_subnet],
    [1232, true, ["ecs", "padding"], "192.0.2.0/24"],
  );
});

test("records are JSON-safe: a round trip through JSON changes nothing", () => {
  const h = harness();
  h.consumer.data(true, dnsQueryMessage(1, "a.example"), T0, 1);
  h.consumer.data(
    false,
    dnsResponseMessage({ id: 1, name: "a.example", answers: ["b.example", "10.0.0.1"] }),
    T0,
    2,
  );
  assert.deepEqual(JSON.parse(JSON.stringify(h.records)), h.records);
});

test("probe: the definition claims DNS on any port and refuses other protocols", () => {
  const q = dnsQueryMessage(1, "a.example");
  assert.equal(dnsDecoder.probe(q, true, ctxFor("udp", 40000, 9999)), true);
  assert.equal(dnsDecoder.probe(framed(q), true, ctxFor("tcp", 40000, 8053)), true);
  assert.equal(
    dnsDecoder.probe(framed(q).subarray(0, 2), true, ctxFor("tcp", 40000, 53)),
    true,
    "prefix only, port 53",
  );
  assert.equal(dnsDecoder.probe(framed(q).subarray(0, 2), true, ctxFor("tcp", 40000, 8053)), false);
  assert.equal(
    dnsDecoder.probe(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"), true, ctxFor("tcp")),
    false,
  );
  assert.deepEqual([dnsDecoder.name, dnsDecoder.protos], ["dns", ["udp", "tcp"]]);
});
