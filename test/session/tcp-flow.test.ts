import assert from "node:assert/strict";
import { test } from "node:test";
import type { PacketLayers } from "../../src/model/layers.ts";
import { TcpFlow } from "../../src/session/tcp-flow.ts";
import { build, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from "./session-fixtures.ts";

function seg(fromOrig: boolean, flags: number, seq: number, payload = ""): PacketLayers {
  const [, l] = build({
    src: fromOrig ? "10.0.0.1" : "10.0.0.2",
    dst: fromOrig ? "10.0.0.2" : "10.0.0.1",
    sport: fromOrig ? 1000 : 80,
    dport: fromOrig ? 80 : 1000,
    proto: 6,
    flags,
    seq,
    payload,
    ts: 1,
    frame: 1,
  });
  return l;
}

test("SYN and FIN each take one sequence number; the stream counts payload only", () => {
  const t = new TcpFlow(undefined, 1024);
  t.segment(true, seg(true, TCP_SYN, 100), 1, 1);
  t.segment(false, seg(false, TCP_SYN | TCP_ACK, 900), 1, 2);
  t.segment(true, seg(true, TCP_ACK, 101, "hello"), 1, 3);
  t.segment(true, seg(true, TCP_FIN | TCP_ACK, 106), 1, 4);
  assert.equal(t.orig.base, 101);
  assert.equal(t.orig.high, 5);
  assert.equal(t.orig.fin, 5);
  assert.equal(t.orig.done, true);
  assert.equal(t.finished, false, "the responder has not finished");
  t.segment(false, seg(false, TCP_FIN | TCP_ACK, 901), 1, 5);
  assert.equal(t.finished, true);
  assert.equal(t.resp.high, 0);
});

test("a RST's sequence number and payload are not stream data", () => {
  const t = new TcpFlow(undefined, 1024);
  t.segment(true, seg(true, TCP_ACK, 500, "ab"), 1, 1);
  t.segment(true, seg(true, TCP_RST, 90_000, "garbage"), 1, 2);
  assert.equal(t.orig.high, 2);
  assert.equal(t.finished, true);
});

test("isReuse: a SYN with a new ISN, on a closed connection or from a side whose SYN was seen", () => {
  const t = new TcpFlow(undefined, 1024);
  t.segment(true, seg(true, TCP_SYN, 100), 1, 1);
  assert.equal(t.isReuse(true, seg(true, TCP_SYN, 100)), false, "open: a retransmitted SYN");
  assert.equal(
    t.isReuse(false, seg(false, TCP_SYN, 7)),
    false,
    "open: the other side's first SYN (simultaneous open)",
  );
  assert.equal(
    t.isReuse(true, seg(true, TCP_SYN, 200)),
    true,
    "open: a new ISN from the same side (Zeek: reuse)",
  );
  t.segment(false, seg(false, TCP_RST | TCP_ACK, 0), 1, 2);
  assert.equal(t.isReuse(true, seg(true, TCP_SYN, 100)), false, "a retransmitted SYN");
  assert.equal(t.isReuse(true, seg(true, TCP_SYN | TCP_ACK, 200)), false, "a SYN-ACK");
  assert.equal(t.isReuse(true, seg(true, TCP_SYN, 200)), true);
  assert.equal(t.isReuse(false, seg(false, TCP_SYN, 7)), true, "the other side opening anew");
});
