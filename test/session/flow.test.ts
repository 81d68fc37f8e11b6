import assert from "node:assert/strict";
import { test } from "node:test";
import { Flow } from "../../src/session/flow.ts";
import type { StreamConsumer } from "../../src/session/stream-consumer.ts";

/** A consumer that counts its end() calls. */
function counting(service?: string): StreamConsumer & { ends: number } {
  const c = { service, ends: 0, data: () => true, gap: () => {}, end: () => void c.ends++ };
  return c;
}

test("retire ends the consumer once and keeps one stub with its service name", () => {
  const f = new Flow(6, 4);
  const c = counting("tls");
  f.consumer = c;
  f.retire();
  const stub = f.consumer;
  assert.equal(c.ends, 1);
  assert.notEqual(stub, c);
  assert.equal(stub?.service, "tls");
  // Later packets of a declined flow call retire again: nothing is re-created, nothing is ended twice.
  f.retire();
  f.retire();
  assert.equal(f.consumer, stub);
  assert.equal(c.ends, 1);
  assert.equal(stub?.data(true, new Uint8Array(1), 0, 1), false);
});

test("retire drops a consumer that named no service", () => {
  const f = new Flow(17, 4);
  const c = counting();
  f.consumer = c;
  f.retire();
  assert.equal(f.consumer, undefined);
  assert.equal(c.ends, 1);
});
