// Content detection: DNS is recognised on any port by its header and first question or record, and other
// protocols a phone speaks (TLS, HTTP, QUIC, STUN) are not taken for DNS; DNS ports only relax the checks.

import assert from "node:assert/strict";
import { test } from "node:test";
import { dnsPortHint, plausibleDns } from "../../../src/decode/dns/dns-probe.ts";
import {
  dnsQueryMessage,
  dnsResponseMessage,
  httpRequest,
  quicLikeInitial,
  tlsClientHello,
} from "../../helpers/app-messages.ts";
import { hex } from "../decode-helpers.ts";

function strict(b: Uint8Array): boolean {
  return plausibleDns(b, 0, b.length, b.length, false);
}

function lenient(b: Uint8Array): boolean {
  return plausibleDns(b, 0, b.length, b.length, true);
}

test("queries and responses pass the strict checks", () => {
  assert.equal(strict(dnsQueryMessage(0x1234, "www.example.com")), true);
  assert.equal(strict(dnsQueryMessage(1, "_services._dns-sd._udp.local", 12)), true);
  assert.equal(
    strict(dnsResponseMessage({ id: 1, name: "a.example", answers: ["a.cdn.example", "10.0.0.1"] })),
    true,
  );
  assert.equal(strict(dnsResponseMessage({ id: 1, name: "nx.example", answers: [], rcode: 3 })), true);
});

test("a question-less mDNS announcement passes when its first record parses", () => {
  const announce = hex(`
    00 00 84 00 00 00 00 01 00 00 00 00
    05 70686f6e65 05 6c6f63616c 00  00 01 80 01 00 00 00 78 00 04 c0 a8 01 07
  `);
  assert.equal(strict(announce), true);
  assert.equal(strict(announce.subarray(0, announce.length - 2)), false, "RDATA past the end");
  const query = Uint8Array.from(announce);
  query[2] = 0x00; // a question-less query makes no sense
  assert.equal(strict(query), false);
});

test("other protocols are refused", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.equal(strict(tlsClientHello({ sni: "example.com" })), false, "TLS");
  assert.equal(strict(httpRequest({ host: "example.com", path: "/" })), false, "HTTP");
  assert.equal(strict(enc("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")), false, "HTTP response");
  const quic = quicLikeInitial(new Uint8Array(8).fill(1), new Uint8Array(8).fill(2), enc("x"));
  assert.equal(strict(quic), false, "QUIC");
  // STUN Binding Request (RFC 8489 §5): type 0x0001, length, magic cookie, transaction id.
  assert.equal(strict(hex("0001 0000 2112a442 000102030405060708090a0b")), false, "STUN");
  assert.equal(strict(new Uint8Array(64)), false, "zeros");
  assert.equal(strict(hex("00 01 01 00 00 01")), false, "shorter than a header");
});

test("header checks: opcode, Z bit, rcode in a query, counts against the length", () => {
  const q = dnsQueryMessage(1, "a.example");
  const variant = (i: number, v: number) => {
    const b = Uint8Array.from(q);
    b[i] = v;
    return b;
  };
  assert.equal(strict(variant(2, 0x01 | (3 << 3))), false, "opcode 3 is unassigned");
  assert.equal(strict(variant(2, 0x01 | (4 << 3))), true, "NOTIFY");
  assert.equal(strict(variant(3, 0x40)), false, "Z set");
  assert.equal(strict(variant(3, 0x02)), false, "rcode in a query");
  assert.equal(strict(variant(7, 0x05)), false, "5 answers cannot fit");
  assert.equal(strict(variant(5, 0)), false, "no question in a query");
  assert.equal(strict(variant(q.length - 1, 0x09)), false, "class 9");
  assert.equal(strict(variant(q.length - 3, 0x00)), false, "type 0");
});

test("the first question may not be compressed unless the port says DNS", () => {
  const m = hex("00 01 01 00 00 01 00 00 00 00 00 00  c0 0c 00 01 00 01");
  assert.equal(strict(m), false);
  assert.equal(lenient(m), true);
});

test("on a DNS port odd headers pass (the forward-pointer fuzz case must reach the decoder)", () => {
  const odd = hex("c9 80 ff ef fb 03 01 fb 03 01 fb 03  fb 03 01 fb 03 01 fb 03");
  assert.equal(strict(odd), false);
  assert.equal(lenient(odd), true);
  assert.equal(lenient(hex("00 01 01 00 00 01 00 00 00 00 00 00 41")), false, "bad label type");
});

test("a TCP message's declared length bounds the counts even when only part has arrived", () => {
  const q = dnsQueryMessage(1, "a.example");
  assert.equal(plausibleDns(q, 0, 20, q.length, false), false, "question cut: cannot be judged");
  assert.equal(plausibleDns(q, 0, q.length, 12, false), false, "a 12-byte message cannot hold a question");
});

test("DNS ports: 53, 5353 (mDNS), 5355 (LLMNR), on either side", () => {
  assert.equal(dnsPortHint(53, 40000), true);
  assert.equal(dnsPortHint(40000, 5353), true);
  assert.equal(dnsPortHint(5355, 5355), true);
  assert.equal(dnsPortHint(443, 40000), false);
});
