// What the detector receives from HTTP: the URI, the header block and the body with its content codings
// undone, for request and response, whatever the coding; decoding problems are weirds on the connection.

import assert from "node:assert/strict";
import { test } from "node:test";
import zlib from "node:zlib";
import { CTX, runSteps } from "./http-helpers.ts";

const PLANTED = "imei=868031020761234&phone=%2B8613800138000&carrier=CMCC";
// A zstd frame of PLANTED made by `zstd -19` (zstd 1.5).
const ZSTD_PLANTED = Buffer.from(
  "KLUv/SQ4wQEAaW1laT04NjgwMzEwMjA3NjEyMzQmcGhvbmU9JTJCODYxMzgwMDEzODAwMCZjYXJyaWVyPUNNQ0PoM1xc",
  "base64",
);

function exchange(encoding: string, body: Uint8Array, chunked = false) {
  const head = chunked
    ? `HTTP/1.1 200 OK\r\nContent-Encoding: ${encoding}\r\nTransfer-Encoding: chunked\r\n\r\n`
    : `HTTP/1.1 200 OK\r\nContent-Encoding: ${encoding}\r\nContent-Length: ${body.length}\r\n\r\n`;
  const framed = chunked
    ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n0\r\n\r\n")])
    : body;
  return runSteps([
    { orig: true, data: "GET /cfg?imei=868031020761234 HTTP/1.1\r\nHost: api.example.com\r\n\r\n" },
    { orig: false, data: Buffer.concat([Buffer.from(head, "latin1"), framed]), split: 50 },
  ]);
}

test("the zstd fixture is what the test says it is", () => {
  assert.equal(ZSTD_PLANTED.readUInt32LE(0), 0xfd2fb528);
});

const CASES: [string, Uint8Array][] = [
  ["gzip", zlib.gzipSync(PLANTED)],
  ["deflate", zlib.deflateSync(PLANTED)],
  ["deflate", zlib.deflateRawSync(PLANTED)],
  ["br", zlib.brotliCompressSync(PLANTED)],
  ["zstd", ZSTD_PLANTED],
];

for (const [encoding, body] of CASES) {
  for (const chunked of [false, true]) {
    test(`${encoding} body (${chunked ? "chunked" : "Content-Length"}) reaches the detector decoded`, () => {
      const r = exchange(encoding, body, chunked);
      assert.deepEqual(r.weirds, []);
      assert.deepEqual(r.layer("http.body"), [PLANTED]);
      assert.equal(r.records[0].content_encoding, encoding);
      assert.equal(r.records[0].response_body_len, body.length);
    });
  }
}

test("stacked gzip, br decodes to the planted text", () => {
  const r = exchange("gzip, br", zlib.brotliCompressSync(zlib.gzipSync(PLANTED)));
  assert.deepEqual(r.layer("http.body"), [PLANTED]);
});

test("a gzip request body (as phone SDKs upload) is decoded too", () => {
  const gz = zlib.gzipSync(PLANTED);
  const r = runSteps([
    {
      orig: true,
      data: Buffer.concat([
        Buffer.from(
          `POST /log HTTP/1.1\r\nHost: h\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`,
        ),
        gz,
      ]),
    },
    { orig: false, data: "HTTP/1.1 204 No Content\r\n\r\n" },
  ]);
  assert.deepEqual(r.layer("http.body"), [PLANTED]);
  assert.equal(r.records[0].request_content_encoding, "gzip");
});

test("layers: each message's header block (before the URI, so the Host is known), the body; with direction, uid and index", () => {
  const r = exchange("identity", Buffer.from("plain"));
  assert.deepEqual(
    r.payloads.map((p) => [p.layer, p.fromOrig, p.uid, p.index]),
    [
      ["http.header", true, CTX.uid, 1],
      ["http.uri", true, CTX.uid, 1],
      ["http.header", false, CTX.uid, 1],
      ["http.body", false, CTX.uid, 1],
    ],
  );
  assert.deepEqual(r.layer("http.uri"), ["/cfg?imei=868031020761234"]);
  assert.deepEqual(r.layer("http.header")[0], "Host: api.example.com\r\n");
});

test("a corrupt gzip body is decompression_failed on the connection; the raw bytes still go on", () => {
  const junk = Buffer.from("this is not gzip at all");
  const r = exchange("gzip", junk);
  assert.deepEqual(r.weirdNames(), ["decompression_failed"]);
  assert.equal(r.weirds[0].uid, CTX.uid);
  assert.deepEqual(r.layer("http.body"), [junk.toString()]);
});

test("a compressed body over the decoded bound is decompressed_size_limit, keeping the decoded part", () => {
  const r = runSteps(
    [
      { orig: true, data: "GET / HTTP/1.1\r\nHost: h\r\n\r\n" },
      {
        orig: false,
        data: Buffer.concat([
          Buffer.from("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n"),
          zlib.gzipSync(Buffer.alloc(1 << 20, 0x41)),
        ]),
      },
    ],
    { maxDecodedBytes: 100_000 },
  );
  assert.deepEqual(r.weirdNames(), ["decompressed_size_limit"]);
  const body = r.payloads.find((p) => p.layer === "http.body")!;
  assert.ok(body.data.length <= 100_000 && body.data.length > 90_000, `kept ${body.data.length}`);
});
