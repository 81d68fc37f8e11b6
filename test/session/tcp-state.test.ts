import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CONN_STATES } from "../../src/model/conn.ts";
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from "../../src/model/layers.ts";
import { TcpConnState } from "../../src/session/tcp-state.ts";

const S = TCP_SYN;
const SA = TCP_SYN | TCP_ACK;
const A = TCP_ACK;
const FA = TCP_FIN | TCP_ACK;
const R = TCP_RST;
const RA = TCP_RST | TCP_ACK;

/** Packets as [sender ("o" | "r"), flags, payload length]. */
type Step = ["o" | "r", number, number];

function run(steps: Step[], sizes: [number, number] = [0, 0]): [string, string] {
  const st = new TcpConnState();
  for (const [who, flags, len] of steps) st.packet(who === "o", flags, len);
  return [st.connState(...sizes), st.history];
}

const HANDSHAKE: Step[] = [
  ["o", S, 0],
  ["r", SA, 0],
  ["o", A, 0],
];

// Expected states follow Zeek's conn.log documentation of each conn_state value.
test("each Zeek conn_state arises from its documented packet pattern", () => {
  const cases: [string, Step[], string, string][] = [
    ["S0: connection attempt seen, no reply", [["o", S, 0]], "S0", "S"],
    [
      "REJ: attempt rejected",
      [
        ["o", S, 0],
        ["r", RA, 0],
      ],
      "REJ",
      "Sr",
    ],
    ["S1: established, not terminated", [...HANDSHAKE, ["o", A, 10]], "S1", "ShAD"],
    ["SF: normal establishment and termination", [...HANDSHAKE, ["o", FA, 0], ["r", FA, 0]], "SF", "ShAFf"],
    ["S2: established, originator close, no reply", [...HANDSHAKE, ["o", FA, 0]], "S2", "ShAF"],
    ["S3: established, responder close, no reply", [...HANDSHAKE, ["r", FA, 0]], "S3", "ShAf"],
    ["RSTO: established, originator aborted", [...HANDSHAKE, ["o", RA, 0]], "RSTO", "ShAR"],
    ["RSTR: responder sent a RST", [...HANDSHAKE, ["r", RA, 0]], "RSTR", "ShAr"],
    [
      "RSTOS0: originator SYN then RST, no SYN-ACK",
      [
        ["o", S, 0],
        ["o", R, 0],
      ],
      "RSTOS0",
      "SR",
    ],
    [
      "RSTRH: responder SYN-ACK then RST, no SYN",
      [
        ["r", SA, 0],
        ["r", R, 0],
      ],
      "RSTRH",
      "hr",
    ],
    [
      "SH: originator SYN then FIN, no SYN-ACK",
      [
        ["o", S, 0],
        ["o", FA, 0],
      ],
      "SH",
      "SF",
    ],
    [
      "SHR: responder SYN-ACK then FIN, no SYN",
      [
        ["r", SA, 0],
        ["r", FA, 0],
      ],
      "SHR",
      "hf",
    ],
    [
      "OTH: no SYN, just midstream traffic",
      [
        ["o", A, 100],
        ["r", A, 0],
        ["r", A, 50],
      ],
      "OTH",
      "Dad",
    ],
  ];
  for (const [what, steps, state, history] of cases) {
    assert.deepEqual(run(steps), [state, history], what);
  }
});

// Histories and states Zeek itself printed for its own traces (zeek testing baseline
// scripts.base.protocols.conn.conn_state-RST-behavior): R → OTH, SR → RSTOS0, SaR → RSTOS0, SaFR → OTH.
test("RST corner cases match Zeek's own baseline", () => {
  assert.deepEqual(run([["o", R, 0]]), ["OTH", "R"]);
  assert.deepEqual(
    run([
      ["o", S, 0],
      ["o", R, 0],
    ]),
    ["RSTOS0", "SR"],
  );
  assert.deepEqual(
    run([
      ["o", S, 0],
      ["r", A, 0],
      ["o", R, 0],
    ]),
    ["RSTOS0", "SaR"],
  );
  assert.deepEqual(
    run([
      ["o", S, 0],
      ["r", A, 0],
      ["o", FA, 0],
      ["o", R, 0],
    ]),
    ["OTH", "SaFR"],
  );
});

test("both sides reset with no data is a rejection, with data an abort", () => {
  const steps: Step[] = [...HANDSHAKE, ["o", R, 0], ["r", R, 0]];
  assert.equal(run(steps, [0, 0])[0], "REJ");
  assert.equal(run(steps, [10, 0])[0], "RSTR");
});

test("a RST after FINs both ways keeps SF; a FIN answering FIN-then-RST is a normal close", () => {
  assert.equal(run([...HANDSHAKE, ["o", FA, 0], ["r", FA, 0], ["o", RA, 0]])[0], "SF");
  assert.equal(run([...HANDSHAKE, ["o", FA, 0], ["o", RA, 0], ["r", FA, 0]])[0], "SF");
});

test("a SYN-ACK whose SYN was missed, then the ACK, establishes the connection", () => {
  assert.equal(
    run([
      ["r", SA, 0],
      ["o", A, 0],
    ])[0],
    "S1",
  );
});

test("closed is set by FIN both ways or any RST", () => {
  const st = new TcpConnState();
  for (const [who, f] of [
    ["o", S],
    ["r", SA],
    ["o", A],
    ["o", FA],
  ] as const)
    st.packet(who === "o", f, 0);
  assert.equal(st.closed, false);
  st.packet(false, FA, 0);
  assert.equal(st.closed, true);
  assert.equal(st.origState, "closed");
  assert.equal(st.respState, "closed");
  const rst = new TcpConnState();
  rst.packet(true, A, 5);
  rst.packet(false, RA, 0);
  assert.equal(rst.closed, true);
});

test("property: any flag sequence gives a known state and each history letter at most once", () => {
  const step = fc.tuple(fc.boolean(), fc.nat(255), fc.constantFrom(0, 0, 1, 1460));
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40 }), fc.nat(5), fc.nat(5), (steps, o, r) => {
      const st = new TcpConnState();
      for (const [orig, flags, len] of steps) st.packet(orig, flags, len);
      assert.ok(CONN_STATES.includes(st.connState(o, r)));
      assert.equal(new Set(st.history).size, st.history.length);
      assert.match(st.history, /^[SHADFRshadfr]*$/);
    }),
    { numRuns: 10_000 },
  );
});
