import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Flow } from "../../src/session/flow.ts";
import { FlowIndex } from "../../src/session/flow-index.ts";
import { build } from "./session-fixtures.ts";

/** A flow keyed on IPv4 words (a, b) and ports (pa, pb) with a forced hash. */
function flow(a: number, b: number, pa: number, pb: number, hash: number): Flow {
  const f = new Flow(6, 4);
  f.o0 = a;
  f.r0 = b;
  f.origPort = pa;
  f.respPort = pb;
  f.hash = hash;
  return f;
}

/** Points the index's scratch tuple at a packet from (a, pa) to (b, pb) whose hash is `hash`. */
function query(x: FlowIndex, a: number, b: number, pa: number, pb: number, hash: number): Flow | null {
  x.s0 = a;
  x.d0 = b;
  x.s1 = x.s2 = x.s3 = x.d1 = x.d2 = x.d3 = 0;
  x.sport = pa;
  x.dport = pb;
  x.hash = hash;
  return x.find(6, 4);
}

test("both directions of a packet find the same flow and tell the direction", () => {
  const x = new FlowIndex();
  const [, out] = build({
    src: "10.0.0.1",
    dst: "10.0.0.2",
    sport: 1234,
    dport: 80,
    proto: 6,
    ts: 1,
    frame: 1,
  });
  const [, back] = build({
    src: "10.0.0.2",
    dst: "10.0.0.1",
    sport: 80,
    dport: 1234,
    proto: 6,
    ts: 1,
    frame: 2,
  });
  x.read(out);
  const h = x.hash;
  assert.equal(x.find(6, 4), null);
  const f = new Flow(6, 4);
  [f.o0, f.r0, f.origPort, f.respPort, f.hash] = [x.s0, x.d0, x.sport, x.dport, x.hash];
  x.insert(f);
  x.read(back);
  assert.equal(x.hash, h, "the hash does not depend on direction");
  assert.equal(x.find(6, 4), f);
  assert.equal(x.fromOrig, false);
  x.read(out);
  assert.equal(x.find(6, 4), f);
  assert.equal(x.fromOrig, true);
  assert.equal(x.find(17, 4), null, "UDP is another flow");
  const [, v6] = build({ src: "a00:1::", dst: "a00:2::", sport: 1234, dport: 80, proto: 6, ts: 1, frame: 3 });
  x.read(v6);
  assert.equal(x.find(6, 16), null, "an IPv6 tuple sharing the first words is another flow");
});

test("property: the index agrees with a Map under inserts and removals in crowded probe chains", () => {
  // Few distinct hashes (including ones at the table's end) make long chains that wrap around.
  const hashArb = fc.constantFrom(0, 1, 2, 1022, 1023, 1023 + 1024);
  const op = fc.tuple(fc.boolean(), fc.nat(40), hashArb);
  fc.assert(
    fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
      const x = new FlowIndex();
      const model = new Map<number, Flow>();
      for (const [add, key, hash] of ops) {
        const have = model.get(key);
        if (add && !have) {
          const f = flow(key, 1000 + key, key, 80, hash);
          x.insert(f);
          model.set(key, f);
        } else if (!add && have) {
          x.remove(have);
          model.delete(key);
        }
        assert.equal(x.size, model.size);
      }
      for (let key = 0; key <= 40; key++) {
        const f = model.get(key);
        const h = f?.hash ?? 0;
        assert.equal(query(x, key, 1000 + key, key, 80, h), f ?? null, `key ${key}`);
        if (f) assert.equal(query(x, 1000 + key, key, 80, key, h), f);
      }
    }),
    { numRuns: 10_000 },
  );
});

test("the table grows past its initial size and keeps every flow", () => {
  const x = new FlowIndex();
  const flows: Flow[] = [];
  for (let i = 0; i < 5000; i++) {
    const f = flow(i, i + 1, 1, 2, (i * 2654435761) >>> 0);
    x.insert(f);
    flows.push(f);
  }
  for (const f of flows) assert.equal(query(x, f.o0, f.r0, 1, 2, f.hash), f);
  for (const f of flows.slice(0, 2500)) x.remove(f);
  assert.equal(x.size, 2500);
  for (const f of flows.slice(2500)) assert.equal(query(x, f.o0, f.r0, 1, 2, f.hash), f);
  assert.equal(query(x, 0, 1, 1, 2, flows[0].hash), null);
});
