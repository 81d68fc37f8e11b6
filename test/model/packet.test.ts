import assert from "node:assert/strict";
import { test } from "node:test";
import { packetTime } from "../../src/model/packet.ts";

test("packetTime joins seconds and nanoseconds", () => {
  assert.equal(packetTime({ tsSec: 1_400_000_000, tsNsec: 500_000_000 }), 1_400_000_000.5);
  assert.equal(packetTime({ tsSec: 0, tsNsec: 1 }), 1e-9);
});
