import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import fc from "fast-check";
import type { ConnRecord } from "../../src/model/conn.ts";
import { CONN_STATES } from "../../src/model/conn.ts";
import { FlowTable } from "../../src/session/flow-table.ts";
import { corpusPath, NO_CORPUS } from "../helpers/corpus.ts";
import {
  build,
  Conversation,
  ETH_LEN,
  harness,
  IP4_LEN,
  IP6_LEN,
  TCP_ACK,
  TCP_FIN,
  TCP_LEN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  text,
  UDP_LEN,
} from "./session-fixtures.ts";

// Endpoints and Community IDs published in the community-id-spec baseline (baseline_deflt.json).
const SPEC_TCP = {
  c: "128.232.110.120",
  s: "66.35.250.204",
  cp: 34855,
  sp: 80,
  id: "1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
};
const SPEC_UDP = { c: "192.168.1.52", s: "8.8.8.8", cp: 54585, sp: 53, id: "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" };
const SPEC_TCP6 = {
  c: "2001:470:e5bf:dead:4957:2174:e82c:4887",
  s: "2607:f8b0:400c:c03::1a",
  cp: 63943,
  sp: 25,
  id: "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
};

const DA = TCP_PSH | TCP_ACK;

test("handshake, data both ways, FIN both ways → SF with exact counts", () => {
  const h = harness();
  const cv = new Conversation(h.table, SPEC_TCP.c, SPEC_TCP.s, SPEC_TCP.cp, SPEC_TCP.sp);
  const req = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
  const resp = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  cv.handshake(); // c SYN, s SYN-ACK, c ACK
  cv.send("c", DA, req);
  cv.send("s", TCP_ACK);
  cv.send("s", DA, resp);
  cv.send("c", TCP_ACK);
  cv.close(); // c FIN, s FIN, c ACK
  assert.equal(h.streams.length, 1);
  assert.equal(h.streams[0].ends, 1, "both FINs delivered: the consumer ends before the flow is closed");
  assert.equal(h.conns.length, 0, "a closed flow lingers for its last packets");
  h.table.finish();
  assert.equal(h.conns.length, 1);
  const c = h.conns[0];
  const origPkts = 6; // SYN, ACK, data, ACK, FIN, ACK
  const respPkts = 4; // SYN-ACK, ACK, data, FIN
  assert.equal(c.type, "conn");
  assert.equal(c.proto, "tcp");
  assert.equal(c.state, "SF");
  assert.equal(c.history, "ShADadFf");
  assert.equal(c.orig_h, SPEC_TCP.c);
  assert.equal(c.orig_p, SPEC_TCP.cp);
  assert.equal(c.resp_h, SPEC_TCP.s);
  assert.equal(c.resp_p, SPEC_TCP.sp);
  assert.equal(c.community_id, SPEC_TCP.id);
  assert.match(c.uid, /^C[0-9A-Za-z]{17}$/);
  assert.equal(c.orig_bytes, req.length);
  assert.equal(c.resp_bytes, resp.length);
  assert.equal(c.orig_pkts, origPkts);
  assert.equal(c.resp_pkts, respPkts);
  assert.equal(c.orig_ip_bytes, origPkts * (IP4_LEN + TCP_LEN) + req.length);
  assert.equal(c.resp_ip_bytes, respPkts * (IP4_LEN + TCP_LEN) + resp.length);
  assert.equal(c.orig_wire_bytes, c.orig_ip_bytes + origPkts * ETH_LEN);
  assert.equal(c.resp_wire_bytes, c.resp_ip_bytes + respPkts * ETH_LEN);
  assert.equal(c.missed_bytes, 0);
  assert.equal(c.first_frame, 1);
  assert.equal(c.last_frame, 10);
  assert.ok(Math.abs(c.duration - 0.09) < 1e-6, `duration ${c.duration}`);
  assert.ok(Math.abs(c.last_ts - c.ts - c.duration) < 1e-9);
  const s = h.streams[0];
  assert.equal(text(s.orig), req);
  assert.equal(text(s.resp), resp);
  assert.deepEqual(s.gaps, []);
  assert.equal(s.ctx.uid, c.uid);
  assert.equal(s.ctx.community_id, SPEC_TCP.id);
  assert.equal(s.ctx.proto, "tcp");
  assert.deepEqual(h.weirds, []);
  assert.equal(h.table.liveFlows, 0);
});

test("SYN only → S0; SYN then RST → REJ", () => {
  const h = harness();
  new Conversation(h.table, "10.0.0.2", "10.0.0.9", 40000, 443).send("c", TCP_SYN);
  const rej = new Conversation(h.table, "10.0.0.2", "10.0.0.9", 40001, 443);
  rej.send("c", TCP_SYN);
  rej.send("s", TCP_RST | TCP_ACK);
  h.table.finish();
  assert.deepEqual(
    h.conns.map((c) => [c.orig_p, c.state, c.history, c.orig_pkts, c.resp_pkts]),
    [
      [40000, "S0", "S", 1, 0],
      [40001, "REJ", "Sr", 1, 1],
    ],
  );
  assert.equal(h.streams[1].ends, 1);
});

test("mid-stream start: the first sender is the originator, state OTH, first seen seq is the base", () => {
  const h = harness();
  const cv = new Conversation(h.table, "10.1.1.1", "10.2.2.2", 50000, 8080, 6, 777_777, 999_999);
  cv.send("c", DA, "abc");
  cv.send("s", TCP_ACK);
  cv.send("s", DA, "xyzw");
  h.table.finish();
  const c = h.conns[0];
  assert.equal(c.state, "OTH");
  assert.equal(c.history, "Dad");
  assert.equal(c.orig_h, "10.1.1.1");
  assert.equal([c.orig_bytes, c.resp_bytes].join(), "3,4");
  assert.equal(text(h.streams[0].orig), "abc");
  assert.equal(text(h.streams[0].resp), "xyzw");
});

test("SYN-ACK seen first: its receiver is the originator and history starts with ^", () => {
  const h = harness();
  const cv = new Conversation(h.table, "10.0.0.2", "10.0.0.3", 51000, 443);
  cv.send("s", TCP_SYN | TCP_ACK);
  cv.send("c", TCP_ACK);
  cv.send("c", DA, "hi");
  cv.close();
  h.table.finish();
  const c = h.conns[0];
  assert.equal(c.orig_h, "10.0.0.2");
  assert.equal(c.orig_p, 51000);
  assert.equal(c.resp_p, 443);
  assert.equal(c.history, "^hADFf");
  assert.equal(c.state, "SF");
  assert.equal(c.orig_bytes, 2);
  assert.equal(text(h.streams[0].orig), "hi");
});

/**
 * A connection on SPEC_TCP's ports that sends "one" (then closes, or goes quiet), a new handshake on the same
 * ports with new ISNs, and, after `between`, "two!" and a close; the table is finished.
 */
function portReuse(closeFirst: boolean, between: (h: ReturnType<typeof harness>) => void = () => {}) {
  const h = harness();
  const cv = new Conversation(h.table, SPEC_TCP.c, SPEC_TCP.s, SPEC_TCP.cp, SPEC_TCP.sp);
  cv.handshake();
  cv.send("c", DA, "one");
  if (closeFirst) cv.close();
  cv.cSeq = 90_000;
  cv.sSeq = 70_000;
  cv.handshake();
  between(h);
  cv.send("c", DA, "two!");
  cv.close();
  h.table.finish();
  return h;
}

test("port reuse: a new SYN on a closed connection starts a new connection with a new uid", () => {
  const h = portReuse(true, (h) =>
    assert.equal(h.conns.length, 1, "the reuse SYN closes the first connection"),
  );
  assert.equal(h.conns.length, 2);
  const [a, b] = h.conns;
  assert.notEqual(a.uid, b.uid);
  assert.equal(a.community_id, b.community_id);
  assert.deepEqual([a.state, a.orig_bytes, a.orig_pkts], ["SF", 3, 5]);
  assert.deepEqual([b.state, b.orig_bytes, b.orig_pkts], ["SF", 4, 5]);
  assert.equal(text(h.streams[0].orig), "one");
  assert.equal(text(h.streams[1].orig), "two!");
});

test("port reuse on a connection that never closed: a SYN with a new ISN starts a new one (Zeek's rule)", () => {
  // No FIN, no RST: the phone went quiet, and later the same ports carry a new connection.
  const h = portReuse(false);
  assert.equal(h.conns.length, 2);
  const [a, b] = h.conns;
  assert.notEqual(a.uid, b.uid);
  assert.equal(text(h.streams[0].orig), "one");
  assert.equal(text(h.streams[1].orig), "two!", "the second connection's bytes reach its own consumer");
  assert.equal(b.orig_bytes, 4);
  assert.deepEqual(
    h.weirds.filter((w) => w.name === "active_connection_reuse").map((w) => w.uid),
    [a.uid],
  );
});

test("a retransmitted SYN (same ISN) after a RST stays in the same connection", () => {
  const h = harness();
  const cv = new Conversation(h.table, "10.0.0.2", "10.0.0.9", 40002, 443);
  cv.send("c", TCP_SYN, "", { seq: 1000 });
  cv.send("s", TCP_RST | TCP_ACK);
  cv.send("c", TCP_SYN, "", { seq: 1000 });
  h.table.finish();
  assert.equal(h.conns.length, 1);
  assert.equal(h.conns[0].orig_pkts, 2);
  assert.equal(h.conns[0].state, "REJ");
});

/** Handshake with ISNs 1000/5000, so client data starts at seq 1001. */
function opened(opts = {}, record = true) {
  const h = harness(opts, record);
  const cv = new Conversation(h.table);
  cv.handshake();
  return { h, cv, base: 1001 };
}

test("out-of-order segments are delivered in order", () => {
  const { h, cv, base } = opened();
  cv.send("c", DA, "ld!", { seq: base + 10 });
  cv.send("c", DA, "Hello, ", { seq: base });
  cv.send("c", DA, "wor", { seq: base + 7 });
  h.table.finish();
  assert.equal(text(h.streams[0].orig), "Hello, world!");
  assert.deepEqual(h.streams[0].gaps, []);
  assert.equal(h.conns[0].orig_bytes, 13);
  assert.equal(h.conns[0].missed_bytes, 0);
  assert.deepEqual(h.weirds, []);
});

test("retransmissions and identical overlaps are dropped silently", () => {
  const { h, cv, base } = opened();
  cv.send("c", DA, "abcdef", { seq: base });
  cv.send("c", DA, "abcdef", { seq: base });
  cv.send("c", DA, "cdefgh", { seq: base + 2 });
  cv.send("c", DA, "mnop", { seq: base + 12 });
  cv.send("c", DA, "mnop", { seq: base + 12 });
  cv.send("c", DA, "ghijklmn", { seq: base + 6 });
  h.table.finish();
  assert.equal(text(h.streams[0].orig), "abcdefghijklmnop");
  assert.deepEqual(h.weirds, []);
  assert.equal(h.conns[0].orig_bytes, 16);
});

test("a conflicting overlap keeps the first data and reports tcp_overlap_mismatch", () => {
  const { h, cv, base } = opened();
  cv.send("c", DA, "WORLD", { seq: base + 5 });
  cv.send("c", DA, "XXXXX", { seq: base + 5 });
  cv.send("c", DA, "HELLO", { seq: base });
  h.table.finish();
  assert.equal(text(h.streams[0].orig), "HELLOWORLD");
  assert.equal(h.weirds.length, 1);
  assert.equal(h.weirds[0].name, "tcp_overlap_mismatch");
  assert.equal(h.weirds[0].uid, h.conns[0].uid);
  assert.equal(h.weirds[0].frame, 5);
});

test("sequence numbers wrapping past 2^32 reassemble and count right", () => {
  const h = harness();
  const cv = new Conversation(h.table, "10.0.0.2", "10.0.0.3", 45000, 80, 6, 0xfffffff8, 0xfffffffe);
  cv.handshake();
  const base = 0xfffffff9;
  cv.send("c", DA, "KLMNO", { seq: (base + 10) >>> 0 });
  cv.send("c", DA, "ABCDE", { seq: base });
  cv.send("c", DA, "FGHIJ", { seq: (base + 5) >>> 0 });
  cv.send("s", DA, "0123456789", { seq: 0xffffffff });
  h.table.finish();
  assert.equal(text(h.streams[0].orig), "ABCDEFGHIJKLMNO");
  assert.equal(text(h.streams[0].resp), "0123456789");
  assert.equal(h.conns[0].orig_bytes, 15);
  assert.equal(h.conns[0].resp_bytes, 10);
  assert.equal(h.conns[0].missed_bytes, 0);
});

test("the per-flow buffer bound forces a gap and reports tcp_buffer_limit", () => {
  const { h, cv, base } = opened({ maxBufferPerFlow: 10 });
  cv.send("c", DA, "BBBBB", { seq: base + 5 });
  cv.send("c", DA, "CCCCC", { seq: base + 10 });
  cv.send("c", DA, "DDDDD", { seq: base + 15 }); // 15 bytes would be held: give up on the hole
  cv.send("c", DA, "AAAAA", { seq: base }); // too late
  cv.send("c", DA, "EE", { seq: base + 20 });
  h.table.finish();
  const s = h.streams[0];
  assert.equal(text(s.orig), "?????BBBBBCCCCCDDDDDEE");
  assert.deepEqual(s.gaps, [{ fromOrig: true, len: 5 }]);
  assert.deepEqual(
    h.weirds.map((w) => w.name),
    ["tcp_buffer_limit"],
  );
  assert.equal(h.conns[0].missed_bytes, 5);
  assert.equal(h.conns[0].orig_bytes, 22);
  assert.equal(h.table.bufferedBytes, 0);
});

test("the table-wide buffer bound also cuts, so memory stays bounded across flows", () => {
  const h = harness({ maxBufferTotal: 8 });
  const a = new Conversation(h.table, "10.0.0.2", "10.0.0.3", 1111, 80);
  const b = new Conversation(h.table, "10.0.0.2", "10.0.0.3", 2222, 80);
  a.handshake();
  b.handshake();
  a.send("c", DA, "aaaaaa", { seq: 1001 + 4 }); // held (6 bytes)
  b.send("c", DA, "bbbbbb", { seq: 1001 + 4 }); // would make 12 > 8: b skips its hole
  assert.ok(h.table.bufferedBytes <= 8);
  h.table.finish();
  assert.equal(text(h.streams[0].orig), "????aaaaaa");
  assert.equal(text(h.streams[1].orig), "????bbbbbb");
  assert.deepEqual(
    h.weirds.map((w) => [w.name, w.uid]),
    [["tcp_buffer_limit", h.conns[1].uid]],
  );
});

test("data split into many segments reassembles to the planted string", () => {
  const { h, cv } = opened();
  const planted = "IMEI=861234567890123&phone=%2B8613800138000&carrier=China%20Mobile".repeat(20);
  for (let i = 0; i < planted.length; i += 7) cv.send("c", DA, planted.slice(i, i + 7));
  cv.close();
  h.table.finish();
  assert.equal(text(h.streams[0].orig), planted);
  assert.equal(h.streams[0].origCalls, Math.ceil(planted.length / 7));
  assert.equal(h.conns[0].orig_bytes, planted.length);
});

test("data after FIN is ignored with tcp_data_after_fin", () => {
  const { h, cv, base } = opened();
  cv.send("c", DA, "abc");
  cv.send("c", TCP_FIN | TCP_ACK);
  cv.send("c", DA, "zzz", { seq: base + 4 });
  h.table.finish();
  assert.equal(text(h.streams[0].orig), "abc");
  assert.deepEqual(
    h.weirds.map((w) => w.name),
    ["tcp_data_after_fin"],
  );
  assert.equal(h.conns[0].orig_bytes, 3);
});

test("RST ends the stream at once: held data is delivered after a gap, then end()", () => {
  const { h, cv, base } = opened();
  cv.send("c", DA, "BBBBB", { seq: base + 5 });
  cv.send("c", TCP_RST | TCP_ACK, "", { seq: base + 10 });
  const s = h.streams[0];
  assert.equal(s.ends, 1);
  assert.equal(text(s.orig), "?????BBBBB");
  cv.send("s", DA, "late"); // accounted, not delivered
  h.table.finish();
  assert.equal(s.ends, 1);
  assert.equal(text(s.resp), "");
  const c = h.conns[0];
  assert.equal(c.state, "RSTO");
  assert.equal(c.missed_bytes, 5);
  assert.equal(c.resp_pkts, 2);
});

test("gaps never filled count as missed_bytes, also without a consumer", () => {
  const { h, cv, base } = opened({}, false);
  cv.send("c", DA, "12345", { seq: base });
  cv.send("c", DA, "ABCDE", { seq: base + 10 });
  cv.send("c", TCP_FIN | TCP_ACK, "", { seq: base + 15 });
  cv.send("s", TCP_FIN | TCP_ACK);
  h.table.finish();
  assert.equal(h.streams.length, 0);
  const c = h.conns[0];
  assert.equal(c.missed_bytes, 5);
  assert.equal(c.orig_bytes, 15);
  assert.equal(c.state, "SF");
});

test("a snaplen-cut segment delivers what was captured and a gap for the rest", () => {
  const { h, cv } = opened();
  cv.send("c", DA, "abcd", { wireLen: 10 });
  cv.send("c", DA, "XYZ");
  h.table.finish();
  assert.equal(text(h.streams[0].orig), "abcd??????XYZ");
  assert.equal(h.conns[0].missed_bytes, 6);
  assert.equal(h.conns[0].orig_bytes, 13);
  assert.equal(h.conns[0].orig_ip_bytes, 4 * (IP4_LEN + TCP_LEN) + 13); // SYN, ACK, two data
});

test("UDP: one conn per 5-tuple, one data() per datagram in the order seen", () => {
  const h = harness();
  const q = new Conversation(h.table, SPEC_UDP.c, SPEC_UDP.s, SPEC_UDP.cp, SPEC_UDP.sp, 17);
  q.send("c", 0, "query-1");
  q.send("s", 0, "answer-1!");
  q.send("c", 0, "query-2");
  const other = new Conversation(h.table, SPEC_UDP.c, SPEC_UDP.s, SPEC_UDP.cp + 1, SPEC_UDP.sp, 17);
  other.send("c", 0, "q");
  h.table.finish();
  assert.equal(h.conns.length, 2);
  const c = h.conns[0];
  assert.equal(c.proto, "udp");
  assert.equal(c.state, "OTH");
  assert.equal(c.history, "Dd");
  assert.equal(c.community_id, SPEC_UDP.id);
  assert.deepEqual([c.orig_pkts, c.resp_pkts, c.orig_bytes, c.resp_bytes], [2, 1, 14, 9]);
  assert.equal(c.orig_ip_bytes, 2 * (IP4_LEN + UDP_LEN) + 14);
  assert.equal(c.resp_wire_bytes, ETH_LEN + IP4_LEN + UDP_LEN + 9);
  assert.equal(c.missed_bytes, 0);
  const s = h.streams[0];
  assert.equal(s.ctx.proto, "udp");
  assert.deepEqual([s.origCalls, s.respCalls], [2, 1]);
  assert.equal(text(s.orig), "query-1query-2");
  assert.deepEqual(s.frames, [1, 2, 3]);
  assert.equal(h.conns[1].orig_p, SPEC_UDP.cp + 1);
  assert.equal(h.conns[1].history, "D");
});

test("idle timeouts split a flow: UDP after udpIdleSec, TCP after tcpIdleSec", () => {
  const h = harness({ udpIdleSec: 60, tcpIdleSec: 300 });
  const u = new Conversation(h.table, "10.0.0.2", "10.0.0.53", 5353, 53, 17);
  u.send("c", 0, "a");
  u.ts += 59;
  u.send("s", 0, "b"); // within the timeout
  u.ts += 61;
  u.send("c", 0, "c"); // after it: a new flow
  const t = new Conversation(h.table, "10.0.0.2", "10.0.0.80", 40000, 80);
  t.ts = u.ts;
  t.send("c", DA, "x");
  t.ts += 301;
  t.send("c", DA, "y");
  h.table.finish();
  const byStart = [...h.conns].sort((a, b) => a.ts - b.ts);
  assert.deepEqual(
    byStart.map((c) => [c.proto, c.orig_pkts + c.resp_pkts, c.state]),
    [
      ["udp", 2, "OTH"],
      ["udp", 1, "OTH"],
      ["tcp", 1, "OTH"],
      ["tcp", 1, "OTH"],
    ],
  );
  assert.equal(new Set(h.conns.map((c) => c.uid)).size, 4);
});

test("idle flows are closed as packet time advances, without waiting for finish()", () => {
  const h = harness({ udpIdleSec: 60 });
  new Conversation(h.table, "10.0.0.2", "10.0.0.53", 5353, 53, 17).send("c", 0, "a");
  const later = new Conversation(h.table, "10.0.0.2", "10.0.0.54", 5354, 53, 17);
  later.ts += 30;
  later.send("c", 0, "b");
  assert.equal(h.conns.length, 0);
  later.ts += 31;
  later.send("c", 0, "c");
  assert.equal(h.conns.length, 1);
  assert.equal(h.conns[0].resp_h, "10.0.0.53");
  assert.equal(h.streams[0].ends, 1);
  assert.equal(h.table.liveFlows, 1);
});

test("maxFlows: the least recently seen flow is closed, flow_table_full reported once", () => {
  const h = harness({ maxFlows: 2 });
  const flows = [1, 2, 3, 4].map((i) => new Conversation(h.table, "10.0.0.2", "10.0.0.53", 6000 + i, 53, 17));
  flows[0].send("c", 0, "a");
  flows[1].send("c", 0, "b");
  flows[0].send("c", 0, "a2"); // flow 1 is now the least recently seen
  flows[2].send("c", 0, "c");
  assert.deepEqual(
    h.conns.map((c) => c.orig_p),
    [6002],
  );
  flows[3].send("c", 0, "d");
  assert.deepEqual(
    h.conns.map((c) => c.orig_p),
    [6002, 6001],
  );
  assert.equal(h.table.liveFlows, 2);
  assert.deepEqual(
    h.weirds.map((w) => w.name),
    ["flow_table_full"],
  );
});

test("IPv6 connection: RFC 5952 address text and the spec's Community ID", () => {
  const h = harness();
  const cv = new Conversation(h.table, SPEC_TCP6.c, SPEC_TCP6.s, SPEC_TCP6.cp, SPEC_TCP6.sp);
  cv.handshake();
  cv.send("c", DA, "EHLO x\r\n");
  h.table.finish();
  const c = h.conns[0];
  assert.equal(c.orig_h, SPEC_TCP6.c);
  assert.equal(c.resp_h, SPEC_TCP6.s);
  assert.equal(c.community_id, SPEC_TCP6.id);
  assert.equal(c.state, "S1");
  assert.equal(c.orig_ip_bytes, 3 * (IP6_LEN + TCP_LEN) + 8);
});

test("flows whose factory returns no consumer are only counted; a consumer's service is reported", () => {
  const conns: ConnRecord[] = [];
  let calls = 0;
  const table = new FlowTable({
    onConn: (c) => conns.push(c),
    weird: () => {},
    consumers: (ctx) =>
      ctx.resp_p === 53
        ? { service: "dns", data: () => void calls++, gap: () => {}, end: () => {} }
        : undefined,
  });
  new Conversation(table, "10.0.0.2", "10.0.0.53", 7000, 53, 17).send("c", 0, "q");
  const t = new Conversation(table, "10.0.0.2", "10.0.0.80", 7001, 80);
  t.handshake();
  t.send("c", DA, "GET /");
  table.finish();
  assert.equal(calls, 1);
  assert.equal(conns[0].service, "dns");
  assert.equal(conns[1].service, undefined);
  assert.equal(conns[1].orig_bytes, 5);
});

/** A consumer that declines (data() → false) after `keep` calls, counting what it is given. */
function decliner(keep: number) {
  const seen = { data: 0, gaps: 0, ends: 0 };
  const factory = () => ({
    data: () => ++seen.data < keep,
    gap: () => void seen.gaps++,
    end: () => void seen.ends++,
  });
  return { seen, factory };
}

test("a TCP consumer that declines gets no more bytes; held data is freed and counting goes on", () => {
  const d = decliner(1);
  const h = harness({ consumers: d.factory });
  const cv = new Conversation(h.table);
  cv.handshake();
  cv.send("s", DA, "BBBB", { seq: 5001 + 4 }); // held for the responder stream
  assert.equal(h.table.bufferedBytes, 4);
  cv.send("c", DA, "hello"); // delivered, and the consumer declines
  assert.equal(h.table.bufferedBytes, 0);
  cv.send("c", DA, "more");
  cv.send("s", DA, "AAAA", { seq: 5001 });
  cv.send("c", DA, "ok", { seq: 1001 + 20 }); // leaves a hole
  h.table.finish();
  assert.deepEqual(d.seen, { data: 1, gaps: 0, ends: 1 });
  const c = h.conns[0];
  assert.deepEqual([c.orig_bytes, c.resp_bytes, c.missed_bytes], [22, 8, 11]);
});

test("a UDP consumer that declines gets no more datagrams but is still ended", () => {
  const d = decliner(2);
  const h = harness({ consumers: d.factory });
  const u = new Conversation(h.table, "10.0.0.2", "10.0.0.53", 5353, 53, 17);
  for (const q of ["a", "b", "c", "d"]) u.send("c", 0, q);
  h.table.finish();
  assert.deepEqual(d.seen, { data: 2, gaps: 0, ends: 1 });
  assert.equal(h.conns[0].orig_bytes, 4);
});

test("packets of other protocols and layers with offsets outside the buffer are not tracked", () => {
  const h = harness();
  const [p, l] = build({ src: "10.0.0.1", dst: "10.0.0.2", sport: 0, dport: 0, proto: 6, ts: 1, frame: 1 });
  l.ipProto = 1;
  h.table.packet(p, l);
  l.ipProto = 6;
  l.dstOff = 100;
  h.table.packet(p, l);
  h.table.finish();
  assert.equal(h.conns.length, 0);
  assert.deepEqual(
    h.weirds.map((w) => [w.name, w.frame]),
    [["session_bad_layers", 1]],
  );
});

test("uids are deterministic per seed", () => {
  const run = (seed: string) => {
    const h = harness({ seed });
    for (let i = 0; i < 3; i++)
      new Conversation(h.table, "10.0.0.2", "10.0.0.3", 1000 + i, 80).send("c", TCP_SYN);
    h.table.finish();
    return h.conns.map((c) => c.uid);
  };
  assert.deepEqual(run("capture-a"), run("capture-a"));
  assert.notDeepEqual(run("capture-a"), run("capture-b"));
  assert.equal(new Set(run("")).size, 3);
});

test("TCP FIN+ACK retransmissions and final ACKs after close stay in the same connection", () => {
  const h = harness();
  const cv = new Conversation(h.table);
  cv.handshake();
  cv.close();
  cv.send("s", TCP_FIN | TCP_ACK, "", { seq: cv.sSeq - 1 });
  cv.send("c", TCP_ACK);
  h.table.finish();
  assert.equal(h.conns.length, 1);
  assert.equal(h.conns[0].orig_pkts + h.conns[0].resp_pkts, 8);
  assert.equal(h.conns[0].state, "SF");
  assert.equal(h.conns[0].orig_bytes, 0);
});

/** Cuts `len` bytes into segments at the given points, plus extra (overlapping) ranges. */
function segmentsOf(len: number, cuts: number[], extras: [number, number][]): [number, number][] {
  const points = [...new Set([0, len, ...cuts.map((c) => c % len)])].sort((a, b) => a - b);
  const segs: [number, number][] = [];
  for (let i = 1; i < points.length; i++) segs.push([points[i - 1], points[i]]);
  for (const [a, b] of extras) {
    const s = a % len;
    const e = s + 1 + (b % (len - s));
    segs.push([s, e]);
  }
  return segs;
}

test("property: any order and duplication of a planted string's segments reassembles to it", () => {
  const input = fc
    .record({
      payload: fc.uint8Array({ minLength: 1, maxLength: 120 }),
      isn: fc.integer({ min: 0, max: 0xffffffff }),
      cuts: fc.array(fc.nat(), { maxLength: 12 }),
      extras: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
    })
    .chain((r) => {
      const segs = segmentsOf(r.payload.length, r.cuts, r.extras);
      return fc.tuple(fc.constant(r), fc.shuffledSubarray(segs, { minLength: segs.length }));
    });
  fc.assert(
    fc.property(input, ([r, segs]) => {
      const h = harness();
      const cv = new Conversation(h.table, "10.0.0.2", "10.0.0.3", 40000, 80, 6, r.isn, 7);
      cv.handshake();
      const base = (r.isn + 1) >>> 0;
      for (const [s, e] of segs) cv.send("c", DA, r.payload.subarray(s, e), { seq: (base + s) >>> 0 });
      cv.cSeq = (base + r.payload.length) >>> 0;
      cv.close();
      h.table.finish();
      const st = h.streams[0];
      assert.deepEqual(new Uint8Array(st.orig), r.payload);
      assert.deepEqual(st.gaps, []);
      assert.deepEqual(h.weirds, []);
      assert.equal(st.ends, 1);
      assert.equal(h.conns[0].orig_bytes, r.payload.length);
      assert.equal(h.conns[0].missed_bytes, 0);
      assert.equal(h.conns[0].state, "SF");
    }),
    { numRuns: 10_000 },
  );
});

/** Numbers a broken decoder might leave in a layers field. */
const oddNumber = fc.oneof(
  fc.integer({ min: -8, max: 90 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5, 2 ** 31, 2 ** 40, 0xffffffff),
);

test("property: random PacketLayers never throw and every stream ends exactly once", () => {
  const pkt = fc.record({
    data: fc.uint8Array({ maxLength: 72 }),
    addrLen: fc.constantFrom(4, 16, 4, 16, 0, 5),
    ipProto: fc.constantFrom(6, 17, 6, 17, 1),
    srcOff: oddNumber,
    dstOff: oddNumber,
    srcPort: fc.constantFrom(80, 443, 53, 70000, -1),
    dstPort: fc.constantFrom(80, 443, 53, 40000),
    tcpSeq: fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0xffffffe0, max: 0xffffffff }),
      oddNumber,
    ),
    tcpFlags: fc.nat(255),
    payloadOff: oddNumber,
    payloadLen: oddNumber,
    payloadWireLen: oddNumber,
    ipTotalLen: oddNumber,
    dt: fc.constantFrom(0, 0.001, 1, 70, 400, -5, Number.NaN),
  });
  fc.assert(
    fc.property(fc.array(pkt, { maxLength: 30 }), (pkts) => {
      const h = harness({ maxFlows: 3, maxBufferPerFlow: 16, maxBufferTotal: 40 });
      let ts = 1000;
      pkts.forEach((r, i) => {
        ts += r.dt;
        const [p, l] = build({
          src: "1.2.3.4",
          dst: "5.6.7.8",
          sport: 1,
          dport: 2,
          proto: 6,
          ts: 1,
          frame: i + 1,
        });
        Object.assign(l, r, { addrLen: r.addrLen as 4 | 16, ipVersion: 4 });
        p.tsSec = Math.floor(ts);
        p.tsNsec = 0;
        p.origLen = r.ipTotalLen;
        h.table.packet(p, l);
        assert.ok(h.table.bufferedBytes <= 40);
      });
      h.table.finish();
      assert.equal(h.table.liveFlows, 0);
      assert.equal(h.table.bufferedBytes, 0);
      assert.equal(h.conns.length, h.streams.length);
      for (const s of h.streams) {
        assert.equal(s.ends, 1);
        const c = h.conns.find((x) => x.uid === s.ctx.uid);
        assert.ok(c);
        if (c.proto === "tcp") {
          assert.ok(
            s.orig.length <= c.orig_bytes && s.resp.length <= c.resp_bytes,
            "delivered beyond the stream",
          );
        }
      }
      for (const c of h.conns) {
        assert.ok(CONN_STATES.includes(c.state));
        assert.ok(c.missed_bytes >= 0 && c.orig_bytes >= 0 && c.resp_bytes >= 0);
        assert.ok(Number.isFinite(c.orig_ip_bytes + c.resp_wire_bytes + c.duration));
      }
    }),
    { numRuns: 10_000 },
  );
});

test("property: random well-formed traffic on a few 5-tuples keeps every invariant", () => {
  const pkt = fc.record({
    tuple: fc.nat(5),
    back: fc.boolean(),
    flags: fc.oneof(fc.nat(255), fc.constantFrom(TCP_SYN, TCP_SYN | TCP_ACK, DA, TCP_FIN | TCP_ACK, TCP_RST)),
    seq: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0xffffffd0, max: 0xffffffff })),
    payload: fc.uint8Array({ maxLength: 24 }),
    cut: fc.constantFrom(0, 0, 0, 5),
    dt: fc.constantFrom(0, 0.5, 3, 70, 400),
  });
  fc.assert(
    fc.property(fc.array(pkt, { maxLength: 30 }), (pkts) => {
      const h = harness({ maxFlows: 4, maxBufferPerFlow: 32, maxBufferTotal: 48 });
      let ts = 1000;
      pkts.forEach((r, i) => {
        ts += r.dt;
        const proto = r.tuple < 4 ? 6 : 17;
        const a = { h: r.tuple % 2 ? "10.0.0.1" : "2001:db8::1", p: 1000 + r.tuple };
        const b = { h: r.tuple % 2 ? "10.0.0.2" : "2001:db8::2", p: 443 };
        const [s, d] = r.back ? [b, a] : [a, b];
        const wireLen = r.payload.length + r.cut;
        const spec = {
          src: s.h,
          dst: d.h,
          sport: s.p,
          dport: d.p,
          proto,
          flags: r.flags,
          seq: r.seq,
        } as const;
        const [p, l] = build({ ...spec, payload: r.payload, wireLen, ts, frame: i + 1 });
        h.table.packet(p, l);
        assert.ok(h.table.bufferedBytes <= 48);
        assert.ok(h.table.liveFlows <= 4);
      });
      h.table.finish();
      assert.equal(h.table.liveFlows, 0);
      assert.equal(h.table.bufferedBytes, 0);
      assert.equal(h.conns.length, h.streams.length);
      assert.equal(new Set(h.conns.map((c) => c.uid)).size, h.conns.length);
      for (const s of h.streams) {
        assert.equal(s.ends, 1);
        const c = h.conns.find((x) => x.uid === s.ctx.uid);
        assert.ok(c);
        assert.equal(c.orig_pkts + c.resp_pkts > 0, true);
        if (c.proto === "tcp") assert.ok(s.orig.length <= c.orig_bytes && s.resp.length <= c.resp_bytes);
        else assert.equal(s.orig.length + s.resp.length, c.orig_bytes + c.resp_bytes);
      }
      assert.equal(
        h.conns.reduce((n, c) => n + c.orig_pkts + c.resp_pkts, 0),
        pkts.length,
      );
    }),
    { numRuns: 10_000 },
  );
});

const HAS_TSHARK = (() => {
  try {
    execFileSync("tshark", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const TSHARK_FIELDS = [
  ...["frame.number", "frame.time_epoch", "frame.len", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "ip.len"],
  ...["ipv6.plen", "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "tcp.len"],
  ...["udp.srcport", "udp.dstport", "udp.length", "tcp.stream", "udp.stream"],
];

/** Per-direction frames and frame bytes of one tshark stream, keyed by its first frame. */
interface TsharkStream {
  first: number;
  a: string;
  counts: [number, number, number, number];
}

/** Feeds tshark's per-packet fields of `file` to a flow table and groups them by tshark's stream numbers. */
function viaTshark(file: string): { conns: ConnRecord[]; streams: Map<string, TsharkStream> } {
  const args = [
    "-r",
    corpusPath(file),
    "-Y",
    "not icmp and not icmpv6",
    "-T",
    "fields",
    "-E",
    "occurrence=f",
  ];
  for (const f of TSHARK_FIELDS) args.push("-e", f);
  const out = execFileSync("tshark", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  // tshark never times flows out: neither may the table here.
  const h = harness({ tcpIdleSec: Number.POSITIVE_INFINITY, udpIdleSec: Number.POSITIVE_INFINITY }, false);
  const streams = new Map<string, TsharkStream>();
  for (const line of out.split("\n")) {
    const v = line.split("\t");
    const [
      fn,
      te,
      flen,
      s4,
      s6,
      d4,
      d6,
      iplen,
      plen,
      tsp,
      tdp,
      seq,
      ack,
      flags,
      tlen,
      usp,
      udp,
      ulen,
      tst,
      ust,
    ] = v;
    const tcp = tsp !== undefined && tsp !== "";
    if (!tcp && !usp) continue;
    const ts = Number(te);
    const len = Math.max(0, tcp ? Number(tlen) : Number(ulen) - UDP_LEN);
    const [p, l] = build({
      ...{ src: s4 || s6, dst: d4 || d6, proto: tcp ? 6 : 17, ts, frame: Number(fn) },
      ...{ sport: Number(tcp ? tsp : usp), dport: Number(tcp ? tdp : udp), payload: new Uint8Array(len) },
      ...{ flags: tcp ? Number.parseInt(flags, 16) : 0, seq: Number(seq || 0), ack: Number(ack || 0) },
    });
    l.ipTotalLen = s4 ? Number(iplen) : IP6_LEN + Number(plen);
    p.origLen = Number(flen);
    h.table.packet(p, l);
    const key = (tcp ? "tcp " : "udp ") + (tcp ? tst : ust);
    const from = `${s4 || s6} ${l.srcPort}`;
    const st = streams.get(key) ?? { first: p.frame, a: from, counts: [0, 0, 0, 0] };
    streams.set(key, st);
    const i = from === st.a ? 0 : 2;
    st.counts[i]++;
    st.counts[i + 1] += p.origLen;
  }
  h.table.finish();
  return { conns: h.conns, streams };
}

const CONV_FIXTURES = [
  "tcpdump-tests/tests/of13_ericsson.pcapng",
  "tcpdump-tests/tests/bgp-4byte-asn.pcap",
  "tcpdump-tests/tests/kday7.pcap",
  "tcpdump-tests/tests/dns_tcp.pcap",
  "tcpdump-tests/tests/babel.pcap",
  "zeek-traces/testing/btest/Traces/tls/ecdhe.pcap",
];

for (const file of CONV_FIXTURES) {
  test(`connections and per-side frame counts equal tshark's streams on ${file}`, {
    skip: NO_CORPUS || (!HAS_TSHARK && "tshark is absent"),
  }, () => {
    const { conns, streams } = viaTshark(file);
    assert.ok(streams.size > 0);
    assert.equal(conns.length, streams.size, "one conn per tshark tcp.stream / udp.stream");
    const byFirst = new Map(conns.map((c) => [c.first_frame, c]));
    for (const [key, st] of streams) {
      const c = byFirst.get(st.first);
      assert.ok(c, `${key} (first frame ${st.first}) has no conn`);
      const mine = [c.orig_pkts, c.orig_wire_bytes, c.resp_pkts, c.resp_wire_bytes];
      const flipped = [st.counts[2], st.counts[3], st.counts[0], st.counts[1]];
      const a = `${c.orig_h} ${c.orig_p}` === st.a ? st.counts : flipped;
      assert.deepEqual(mine, a, `${key}: ${c.orig_h}:${c.orig_p} → ${c.resp_h}:${c.resp_p}`);
    }
  });
}

test("a consumer that declines is ended at once and let go; its service name stays on the conn record", () => {
  let ends = 0;
  const factory = () => ({
    service: "tls",
    data: () => false,
    gap: () => {},
    end: () => {
      ends++;
    },
  });
  const h = harness({ consumers: factory });
  const cv = new Conversation(h.table);
  cv.handshake();
  cv.send("c", DA, "hello"); // the consumer declines here
  assert.equal(ends, 1, "ended when it declined, not an hour later");
  cv.send("c", DA, "more");
  h.table.finish();
  assert.equal(ends, 1, "ended once");
  assert.equal(h.conns[0].service, "tls");
});
