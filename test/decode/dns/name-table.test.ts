// The name ↔ address table: validity windows from response time to TTL, CNAME chains followed back to the
// name the phone asked for, SVCB/HTTPS hints, most-recent-first answers, and the LRU bound.

import assert from "node:assert/strict";
import { test } from "node:test";
import { NameTable } from "../../../src/decode/dns/name-table.ts";
import type { DnsAnswer, DnsRecord } from "../../../src/model/dns.ts";

const T0 = 1400000000;

/** A minimal answered dns record: query at `ts`, response `rtt` later. */
function rec(query: string, answers: DnsAnswer[], ts = T0, rtt = 0.5): DnsRecord {
  return {
    type: "dns",
    ts,
    uid: "C1",
    community_id: "1:x",
    orig_h: "10.0.0.2",
    orig_p: 40000,
    resp_h: "10.0.0.1",
    resp_p: 53,
    proto: "udp",
    trans_id: 1,
    rtt,
    query,
    opcode: 0,
    opcode_name: "QUERY",
    AA: false,
    TC: false,
    RD: true,
    RA: true,
    Z: 0,
    answers: answers.map((a) => a.data),
    ttls: answers.map((a) => a.ttl),
    answer_records: answers,
    rejected: false,
    saw_query: true,
    saw_response: true,
  };
}

const a = (name: string, ip: string, ttl: number): DnsAnswer => ({
  name,
  type: ip.includes(":") ? "AAAA" : "A",
  ttl,
  data: ip,
});
const cname = (name: string, target: string, ttl: number): DnsAnswer => ({
  name,
  type: "CNAME",
  ttl,
  data: target,
});

test("an address maps to its owner and to every name of the CNAME chain, from response time for the TTL", () => {
  const t = new NameTable();
  t.add(
    rec("api.account.xiaomi.com", [
      cname("api.account.xiaomi.com", "lb.Xiaomi.com", 600),
      cname("lb.xiaomi.com", "edge.cdn.example", 600),
      a("edge.cdn.example", "1.2.3.4", 60),
    ]),
  );
  const at = T0 + 0.5; // response arrival
  assert.deepEqual(
    new Set(t.namesFor("1.2.3.4", at)),
    new Set(["edge.cdn.example", "lb.xiaomi.com", "api.account.xiaomi.com"]),
  );
  assert.deepEqual(t.namesFor("1.2.3.4", at + 60).length, 3, "valid through ts + ttl");
  assert.deepEqual(t.namesFor("1.2.3.4", at + 60.001), [], "expired");
  assert.deepEqual(t.namesFor("1.2.3.4", at - 0.001), [], "not before the answer arrived");
  assert.deepEqual(t.namesFor("5.6.7.8", at), []);
});

test("an alias is valid only as long as the shortest TTL on its chain", () => {
  const t = new NameTable();
  t.add(
    rec("www.example.com", [
      cname("www.example.com", "cdn.example.net", 30),
      a("cdn.example.net", "1.2.3.4", 300),
    ]),
  );
  const at = T0 + 0.5;
  assert.deepEqual(new Set(t.namesFor("1.2.3.4", at + 10)), new Set(["cdn.example.net", "www.example.com"]));
  assert.deepEqual(t.namesFor("1.2.3.4", at + 31), ["cdn.example.net"]);
});

test("names come back most recently resolved first, each once", () => {
  const t = new NameTable();
  t.add(rec("old.example", [a("old.example", "1.2.3.4", 3600)], T0));
  t.add(rec("new.example", [a("new.example", "1.2.3.4", 3600)], T0 + 100));
  t.add(rec("old.example", [a("old.example", "1.2.3.4", 3600)], T0 + 10)); // overlapping: merged, not repeated
  assert.deepEqual(t.namesFor("1.2.3.4", T0 + 200), ["new.example", "old.example"]);
  assert.deepEqual(t.namesFor("1.2.3.4", T0 + 50), ["old.example"]);
});

test("names are case-insensitive (RFC 4343) and IPv6 addresses work", () => {
  const t = new NameTable();
  t.add(rec("WWW.Example.COM", [a("WWW.Example.COM", "2001:db8::1", 60)]));
  assert.deepEqual(t.namesFor("2001:DB8::1", T0 + 1), ["www.example.com"]);
});

test("SVCB/HTTPS hints map to the owner and the target; AliasMode acts like a CNAME", () => {
  const t = new NameTable();
  t.add(
    rec("example.com", [
      {
        name: "example.com",
        type: "HTTPS",
        ttl: 300,
        data: "1 svc.example.net ipv4hint=192.0.2.1",
        target: "svc.example.net",
        hints: ["192.0.2.1"],
      },
    ]),
  );
  assert.deepEqual(new Set(t.namesFor("192.0.2.1", T0 + 1)), new Set(["example.com", "svc.example.net"]));
  const u = new NameTable();
  u.add(
    rec("alias.example", [
      { name: "alias.example", type: "HTTPS", ttl: 300, data: "0 real.example", target: "real.example" },
      a("real.example", "192.0.2.9", 300),
    ]),
  );
  assert.deepEqual(new Set(u.namesFor("192.0.2.9", T0 + 1)), new Set(["real.example", "alias.example"]));
});

test("a CNAME loop in the answers does not hang", () => {
  const t = new NameTable();
  t.add(
    rec("x.example", [
      cname("x.example", "y.example", 60),
      cname("y.example", "x.example", 60),
      a("x.example", "1.1.1.1", 60),
    ]),
  );
  assert.deepEqual(new Set(t.namesFor("1.1.1.1", T0 + 1)), new Set(["x.example", "y.example"]));
});

test("records without answers teach nothing", () => {
  const t = new NameTable();
  const r = rec("nx.example", []);
  delete r.answer_records;
  t.add(r);
  assert.equal(t.size, 0);
});

test("bounded: the least recently used address is forgotten first", () => {
  const t = new NameTable({ maxAddresses: 2 });
  t.add(rec("a.example", [a("a.example", "10.0.0.1", 60)]));
  t.add(rec("b.example", [a("b.example", "10.0.0.2", 60)]));
  assert.deepEqual(t.namesFor("10.0.0.1", T0 + 1), ["a.example"]); // 10.0.0.1 is now the most recently used
  t.add(rec("c.example", [a("c.example", "10.0.0.3", 60)]));
  assert.equal(t.size, 2);
  assert.deepEqual(t.namesFor("10.0.0.2", T0 + 1), [], "evicted");
  assert.deepEqual(t.namesFor("10.0.0.1", T0 + 1), ["a.example"]);
  assert.deepEqual(t.namesFor("10.0.0.3", T0 + 1), ["c.example"]);
});

test("bounded: names per address, dropping the one that expired first", () => {
  const t = new NameTable({ maxNamesPerAddress: 3 });
  for (let i = 0; i < 5; i++) t.addName("10.0.0.1", `n${i}.example`, T0, T0 + 100 + i);
  assert.deepEqual(t.namesFor("10.0.0.1", T0 + 1).sort(), ["n2.example", "n3.example", "n4.example"]);
});

test("re-resolving after expiry keeps separate windows", () => {
  const t = new NameTable();
  t.addName("10.0.0.1", "a.example", T0, T0 + 10);
  t.addName("10.0.0.1", "b.example", T0 + 5, T0 + 30);
  t.addName("10.0.0.1", "a.example", T0 + 20, T0 + 40);
  assert.deepEqual(t.namesFor("10.0.0.1", T0 + 15), ["b.example"]);
  assert.deepEqual(t.namesFor("10.0.0.1", T0 + 25), ["a.example", "b.example"]);
});
