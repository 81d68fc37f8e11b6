// Bytes the dispatcher keeps while no decoder has claimed the connection must survive the capture reader
// reusing its read buffer (packets are views of a Node Buffer, whose slice() is a view, not a copy).
// Oracle: the bytes sent before the overwrite.

import assert from "node:assert/strict";
import { test } from "node:test";
import { dispatchFactory } from "../../src/decode/dispatch.ts";
import type { StreamDecoderDefinition } from "../../src/decode/stream-decoder.ts";

test("a first segment kept until the other direction names the protocol is a private copy", () => {
  const seen: string[] = [];
  const decoder: StreamDecoderDefinition = {
    name: "reply-first",
    protos: ["tcp"],
    probe: (b) => Buffer.from(b).toString("latin1").startsWith("OK "),
    create: () => ({
      data: (fromOrig, b) => {
        seen.push(`${fromOrig ? ">" : "<"}${Buffer.from(b).toString("latin1")}`);
        return undefined;
      },
      gap: () => {},
      end: () => {},
    }),
  };
  const out = { record: () => {}, weird: () => {}, payload: () => {} };
  const ctx = {
    ts: 1,
    uid: "Ctest",
    community_id: "1:x",
    orig_h: "10.0.0.1",
    orig_p: 40000,
    resp_h: "10.0.0.2",
    resp_p: 7000,
    proto: "tcp" as const,
  };
  const c = dispatchFactory({ decoders: [decoder], out })(ctx)!;
  const chunk = Buffer.from("..hello..", "latin1");
  c.data(true, chunk.subarray(2, 7), 1, 1); // nobody claims "hello": kept, waiting for the reply
  chunk.fill(0x21); // the reader's next chunk overwrites the buffer
  c.data(false, Buffer.from("OK fine", "latin1"), 2, 2);
  assert.deepEqual(seen, [">hello", "<OK fine"]);
});
