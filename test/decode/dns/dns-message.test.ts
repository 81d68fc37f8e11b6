// DNS messages from annotated hex (RFC 1035 §4.1): header flags, questions, compressed answers, RDATA of the
// types phones see (A, AAAA, CNAME, HTTPS with hints, MX, SRV, TXT, SOA, PTR), EDNS (RFC 6891, RFC 7871),
// and malformed messages that must end as weirds and partial results.

import assert from "node:assert/strict";
import { test } from "node:test";
import { type DnsMessage, MAX_ANSWERS, parseMessage } from "../../../src/decode/dns/dns-message.ts";
import { cat, hex } from "../decode-helpers.ts";

function parse(bytes: Uint8Array): { msg: DnsMessage | undefined; weirds: string[] } {
  const weirds: string[] = [];
  const msg = parseMessage(bytes, 0, bytes.length, (name) => weirds.push(name));
  return { msg, weirds };
}

const QUERY = hex(`
  ab cd                    # id 0xabcd
  01 00                    # QR=0 opcode=0 RD=1
  00 01 00 00 00 00 00 01  # 1 question, 1 additional
  03 777777 07 6578616d706c65 03 636f6d 00   # 12: www.example.com
  00 01 00 01              # A, IN
  00                       # OPT owner: root
  00 29                    # type OPT (41)
  04 d0                    # UDP payload size 1232
  00 00 80 00              # ext rcode 0, version 0, DO=1
  00 17                    # RDLENGTH 23
  00 0a 00 08  01 02 03 04 05 06 07 08   # COOKIE, 8-byte client cookie
  00 08 00 07  00 01 18 00 c0 00 02      # ECS: family 1, source /24, scope 0, 192.0.2
`);

test("query: header bits, the question, and EDNS with a cookie and a client subnet", () => {
  const { msg, weirds } = parse(QUERY);
  assert.deepEqual(weirds, []);
  assert.ok(msg);
  assert.equal(msg.id, 0xabcd);
  assert.deepEqual(
    [msg.qr, msg.opcode, msg.rd, msg.aa, msg.tc, msg.ra, msg.rcode],
    [false, 0, true, false, false, false, 0],
  );
  assert.deepEqual(msg.questions, [{ name: "www.example.com", qtype: 1, qclass: 1 }]);
  assert.deepEqual(msg.edns, {
    udpSize: 1232,
    extRcode: 0,
    version: 0,
    dnssecOk: true,
    options: ["cookie", "ecs"],
    clientSubnet: "192.0.2.0/24",
  });
});

const RESPONSE = hex(`
  ab cd  81 80             # QR=1 RD=1 RA=1, NOERROR
  00 01 00 02 00 00 00 00  # 1 question, 2 answers
  03 777777 07 6578616d706c65 03 636f6d 00   # 12: www.example.com
  00 01 00 01
  c0 0c  00 05 00 01  00 00 0e 10  00 06     # www.example.com CNAME, TTL 3600, RDLENGTH 6
  03 63646e c0 10                            # 45: cdn + pointer to 16 (example.com)
  c0 2d  00 01 00 01  00 00 00 3c  00 04     # cdn.example.com (pointer to 45) A, TTL 60
  5d b8 d8 22                                # 93.184.216.34
`);

test("response: compressed owner names and a CNAME target compressed onto the question", () => {
  const { msg, weirds } = parse(RESPONSE);
  assert.deepEqual(weirds, []);
  assert.ok(msg);
  assert.deepEqual([msg.qr, msg.ra, msg.rcode], [true, true, 0]);
  assert.deepEqual(msg.answers, [
    { name: "www.example.com", type: "CNAME", ttl: 3600, data: "cdn.example.com" },
    { name: "cdn.example.com", type: "A", ttl: 60, data: "93.184.216.34" },
  ]);
});

const HTTPS = hex(`
  00 07  81 80  00 01 00 01 00 00 00 00
  07 6578616d706c65 03 636f6d 00  00 41 00 01  # 12: example.com HTTPS IN
  c0 0c  00 41 00 01  00 00 01 2c  00 3b       # HTTPS, TTL 300, RDLENGTH 59
  00 01                                        # SvcPriority 1 (ServiceMode)
  00                                           # TargetName "." (the owner)
  00 01 00 06  02 6832 02 6833                 # alpn=h2,h3
  00 03 00 02  01 bb                           # port=443
  00 04 00 08  c0 00 02 01  c0 00 02 02        # ipv4hint=192.0.2.1,192.0.2.2
  00 05 00 04  de ad be ef                     # ech (base64 3q2+7w==)
  00 06 00 10  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # ipv6hint=2001:db8::1
`);

test("HTTPS (RFC 9460): parameters in presentation form, hints handed back as addresses", () => {
  const { msg, weirds } = parse(HTTPS);
  assert.deepEqual(weirds, []);
  assert.deepEqual(msg?.answers, [
    {
      name: "example.com",
      type: "HTTPS",
      ttl: 300,
      data: "1 . alpn=h2,h3 port=443 ipv4hint=192.0.2.1,192.0.2.2 ech=3q2+7w== ipv6hint=2001:db8::1",
      target: ".",
      hints: ["192.0.2.1", "192.0.2.2", "2001:db8::1"],
    },
  ]);
});

test("SVCB AliasMode: priority 0 and a target name, no parameters", () => {
  const m = hex(`
    00 08 81 80 00 00 00 01 00 00 00 00
    04 5f646e73 07 6578616d706c65 03 636f6d 00   # 12: _dns.example.com
    00 40 00 01 00 00 00 3c 00 08                # SVCB, TTL 60, RDLENGTH 8
    00 00  03 646e73 c0 11                        # priority 0, dns + pointer to 17 (example.com)
  `);
  const { msg, weirds } = parse(m);
  assert.deepEqual(weirds, []);
  assert.deepEqual(msg?.answers[0], {
    name: "_dns.example.com",
    type: "SVCB",
    ttl: 60,
    data: "0 dns.example.com",
    target: "dns.example.com",
  });
});

test("MX, SRV, TXT, SOA, PTR and an unknown type (RFC 3597 generic form)", () => {
  const m = hex(`
    00 09 84 00 00 00 00 06 00 00 00 00          # AA response, no question, 6 answers
    01 61 00  00 0f 00 01 00 00 00 0a 00 07  00 0a 02 6d78 c0 0c     # 12: a MX 10 mx.a
    c0 0c  00 21 00 01 00 00 00 0a 00 0a  00 01 00 02 14 66 01 73 c0 0c   # SRV 1 2 5222 s.a
    c0 0c  00 10 00 01 00 00 00 0a 00 0a  03 763d31 05 22 7a 5c 0a 79      # TXT "v=1" "\\"z\\\\\\010y"
    c0 0c  00 06 00 01 00 00 00 0a 00 1a  02 6e73 c0 0c 00  00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00 05
    c0 0c  00 0c 00 01 00 00 00 0a 00 02  c0 0c                       # PTR a
    c0 0c  ff 00 00 01 00 00 00 0a 00 02  ab cd                       # TYPE65280
  `);
  const { msg, weirds } = parse(m);
  assert.deepEqual(weirds, []);
  assert.deepEqual(
    msg?.answers.map((a) => [a.type, a.data]),
    [
      ["MX", "10 mx.a"],
      ["SRV", "1 2 5222 s.a"],
      ["TXT", '"v=1" "\\"z\\\\\\010y"'],
      ["SOA", "ns.a . 1 2 3 4 5"],
      ["PTR", "a"],
      ["TYPE65280", "\\# 2 abcd"],
    ],
  );
});

test("extended rcode: OPT TTL upper bits + header rcode (BADCOOKIE = 1 << 4 | 7 = 23)", () => {
  const m = hex(`
    00 0a 81 87 00 00 00 00 00 00 00 01   # header rcode 7
    00 00 29 10 00 01 00 00 00 00 00      # OPT: size 4096, ext rcode 1, no options
  `);
  const { msg } = parse(m);
  assert.equal(msg?.rcode, 7);
  assert.equal(msg?.edns?.extRcode, 1);
});

test("a message cut inside an answer: the answers before it, and dns_truncated", () => {
  const cut = RESPONSE.subarray(0, RESPONSE.length - 3);
  const { msg, weirds } = parse(cut);
  assert.deepEqual(weirds, ["dns_truncated"]);
  assert.equal(msg?.answers.length, 1);
  assert.equal(msg?.answers[0].type, "CNAME");
});

test("more answers than counted bytes: truncated; counts beyond the data never loop", () => {
  const m = cat(hex("00 01 81 80 ff ff ff ff ff ff ff ff"), hex("00 00 01 00 01"));
  const { msg, weirds } = parse(m);
  assert.ok(msg);
  assert.deepEqual(weirds, ["dns_truncated"]);
});

test("more than MAX_ANSWERS answers: the first are kept and a weird says so", () => {
  const n = MAX_ANSWERS + 5;
  const parts = [
    Uint8Array.of(0, 1, 0x81, 0x80, 0, 1, n >> 8, n & 0xff, 0, 0, 0, 0),
    hex("01 61 00 00 01 00 01"),
  ];
  for (let i = 0; i < n; i++)
    parts.push(hex("c0 0c 00 01 00 01 00 00 00 3c 00 04 0a 00 00"), Uint8Array.of(i));
  const { msg, weirds } = parse(cat(...parts));
  assert.deepEqual(weirds, ["dns_too_many_records"]);
  assert.equal(msg?.answers.length, MAX_ANSWERS);
  assert.equal(msg?.answers[MAX_ANSWERS - 1].data, `10.0.0.${MAX_ANSWERS - 1}`);
});

test("bytes after the last record: dns_trailing_bytes", () => {
  assert.deepEqual(parse(cat(QUERY, hex("00 00"))).weirds, ["dns_trailing_bytes"]);
});

test("an A record with 5 bytes of RDATA: dns_bad_rdata, shown in generic form", () => {
  const m = hex("00 01 81 80 00 00 00 01 00 00 00 00  01 61 00 00 01 00 01 00 00 00 3c 00 05 0a 00 00 01 ff");
  const { msg, weirds } = parse(m);
  assert.deepEqual(weirds, ["dns_bad_rdata"]);
  assert.equal(msg?.answers[0].data, "\\# 5 0a000001ff");
});

test("a CNAME whose target loops: dns_name_loop, the record still walked past", () => {
  const m = hex(`
    00 01 81 80 00 00 00 02 00 00 00 00
    01 61 00  00 05 00 01 00 00 00 3c 00 02  c0 19    # 12: a CNAME → pointer to 25 (itself)
    c0 0c  00 01 00 01 00 00 00 3c 00 04  0a 00 00 01
  `);
  const { msg, weirds } = parse(m);
  assert.deepEqual(weirds, ["dns_name_loop"]);
  assert.equal(msg?.answers.length, 2);
  assert.equal(msg?.answers[1].data, "10.0.0.1");
});

test("a question with a forward pointer: dns_bad_pointer and no usable question", () => {
  const m = hex("00 01 01 00 00 01 00 00 00 00 00 00  c0 20 00 01 00 01");
  const { msg, weirds } = parse(m);
  assert.deepEqual(weirds, ["dns_bad_pointer"]);
  assert.equal(msg?.badQuestion, true);
  assert.deepEqual(msg?.questions, []);
});

test("two OPT records, or OPT among the answers: dns_bad_opt", () => {
  const opt = hex("00 00 29 10 00 00 00 00 00 00 00");
  assert.deepEqual(parse(cat(hex("00 01 01 00 00 00 00 00 00 00 00 02"), opt, opt)).weirds, ["dns_bad_opt"]);
  const m = cat(hex("00 01 81 00 00 00 00 00 00 01 00 00"), opt);
  assert.deepEqual(parse(m).weirds, ["dns_bad_opt"]);
});

test("an OPT option running past its record: dns_bad_opt", () => {
  const m = hex("00 01 01 00 00 00 00 00 00 00 00 01  00 00 29 10 00 00 00 00 00 00 04 00 0a 00 08");
  assert.deepEqual(parse(m).weirds, ["dns_bad_opt"]);
});

test("ECS for IPv6 with a /56 prefix: seven address bytes", () => {
  const m = hex(`
    00 01 01 00 00 00 00 00 00 00 00 01
    00 00 29 10 00 00 00 00 00 00 0f
    00 08 00 0b 00 02 38 00 20 01 0d b8 12 34 56
  `);
  assert.equal(parse(m).msg?.edns?.clientSubnet, "2001:db8:1234:5600::/56");
});

test("shorter than a header: no message", () => {
  assert.equal(parse(hex("00 01 01 00 00 01")).msg, undefined);
});
