// Held out-of-order bytes must survive the capture reader reusing its read buffer: packets arrive as views
// of a Node Buffer, whose slice() is a view too, not a copy. Oracle: the bytes written before the overwrite.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { StreamConsumer } from "../../src/session/stream-consumer.ts";
import { TcpReassembler } from "../../src/session/tcp-reassembler.ts";

test("a segment held out of order from a Buffer is a private copy", () => {
  const out: number[] = [];
  const c: StreamConsumer = {
    data: (_o, b) => {
      out.push(...b);
      return undefined;
    },
    gap: () => {},
    end: () => {},
  };
  const r = new TcpReassembler(c, true, 1024);
  const chunk = Buffer.from("..EFGH..", "latin1"); // the reader's chunk; the packet is a view into it
  r.add(4, chunk.subarray(2, 6), 0, 4, 4, 0, 2);
  chunk.fill(0x21); // the next read lands in the same buffer
  r.add(0, Buffer.from("ABCD", "latin1"), 0, 4, 4, 0, 1);
  assert.equal(Buffer.from(out).toString("latin1"), "ABCDEFGH");
});
