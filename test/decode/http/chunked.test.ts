// The chunked reader on its own: extensions, trailers, any split, gaps inside data, and bad framing.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BodyBuffer } from "../../../src/decode/http/body-buffer.ts";
import { ChunkedReader } from "../../../src/decode/http/chunked.ts";

function reader() {
  const got = { trailers: [] as [string, string][], weirds: [] as string[] };
  const sink = {
    body: new BodyBuffer(1 << 20),
    trailer: (n: string, v: string) => got.trailers.push([n, v]),
    weird: (n: string) => got.weirds.push(n),
  };
  sink.body.reset();
  const r = new ChunkedReader(sink, 1024, 10);
  r.reset(0);
  return { r, sink, got };
}

const BODY = "4;a=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Sum: 9\r\n\r\nNEXT";

test("RFC 9112 §7.1 example body, split at every position, gives the same bytes and trailer", () => {
  for (let split = 1; split <= BODY.length; split++) {
    const { r, sink, got } = reader();
    const bytes = Buffer.from(BODY, "latin1");
    let off = 0;
    let stop = -1;
    for (let p = 0; p < bytes.length && !r.done; p += split) {
      const piece = bytes.subarray(p, p + split);
      off = r.step(piece, 0);
      if (r.done) stop = p + off;
    }
    assert.equal(
      Buffer.from(sink.body.bytes()).toString("latin1"),
      "Wikipedia in\r\n\r\nchunks.",
      `split ${split}`,
    );
    assert.deepEqual(got.trailers, [["X-Sum", "9"]]);
    assert.equal(BODY.slice(stop), "NEXT", `split ${split}`);
    assert.deepEqual(got.weirds, []);
  }
});

test("a gap inside chunk data is absorbed and counted; past the chunk it is not", () => {
  const { r, sink } = reader();
  r.step(Buffer.from("a\r\n0123"), 0);
  assert.equal(r.gap(4), 0);
  assert.equal(sink.body.total, 8);
  r.step(Buffer.from("89\r\n0\r\n\r\n"), 0);
  assert.equal(r.done, true);
  const { r: r2 } = reader();
  r2.step(Buffer.from("2\r\nab"), 0);
  assert.equal(r2.gap(10), 10);
});

test("bad chunk-size line and missing CRLF are http_bad_chunk; long trailers are http_header_too_long", () => {
  for (const [input, weird] of [
    ["xyz\r\n", "http_bad_chunk"],
    ["3\r\nabcd\r\n", "http_bad_chunk"],
    [`0\r\nT: ${"v".repeat(2000)}\r\n\r\n`, "http_header_too_long"],
  ]) {
    const { r, got } = reader();
    r.step(Buffer.from(input), 0);
    assert.equal(r.bad, true, input.slice(0, 10));
    assert.deepEqual(got.weirds, [weird]);
  }
});
