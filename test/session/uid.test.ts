import assert from "node:assert/strict";
import { test } from "node:test";
import { makeUid, UID_DIGITS, UidGenerator } from "../../src/session/uid.ts";

test("uids look like Zeek's: C + 17 base62 characters", () => {
  const g = new UidGenerator("x");
  for (let i = 0; i < 1000; i++) assert.match(g.next(), /^C[0-9A-Za-z]{17}$/);
  assert.equal(UID_DIGITS, 17);
});

test("uids are deterministic from (seed, counter)", () => {
  const a = new UidGenerator("capture.pcap");
  const b = new UidGenerator("capture.pcap");
  for (let i = 0; i < 10; i++) assert.equal(a.next(), b.next());
  assert.equal(makeUid("s", 3), makeUid("s", 3));
  assert.notEqual(makeUid("s", 3), makeUid("s", 4));
  assert.notEqual(makeUid("s", 3), makeUid("t", 3));
  assert.notEqual(makeUid("a", 12), makeUid("a1", 2));
  // The counter's high half counts too: connection 2^32 + 5 is not connection 5.
  assert.notEqual(makeUid("s", 5), makeUid("s", 2 ** 32 + 5));
});

test("200 000 uids of one run are unique and use the whole alphabet in every position", () => {
  const g = new UidGenerator();
  const seen = new Set<string>();
  const perPos = Array.from({ length: UID_DIGITS }, () => new Set<string>());
  for (let i = 0; i < 200_000; i++) {
    const u = g.next();
    seen.add(u);
    for (let j = 0; j < UID_DIGITS; j++) perPos[j].add(u[j + 1]);
  }
  assert.equal(seen.size, 200_000);
  for (const s of perPos) assert.equal(s.size, 62);
});
