// Streams as exchanges: requests and responses paired per stream (interleaved), pseudo-headers into the
// record, bodies joined and bounded, gzip undone for the detector, trailers, interim responses, resets, server
// push, streams cut by the end of the connection, and the bound on open streams. Expected values are the
// planted ones.

import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { hpackBlock, hpackIndexed, hpackLiteral } from "../../helpers/hpack-encoder.ts";
import { data, headers, pushPromise, rstStream, settings } from "../../helpers/http2-builder.ts";
import { clientStart, requestBlock, responseBlock, runH2 } from "./http2-helpers.ts";

const cat = (...b: Uint8Array[]) => Buffer.concat(b);

test("one GET: the record carries method, :authority, :path, url, version, status, fields and sizes", () => {
  const r = runH2([
    {
      orig: true,
      data: cat(
        clientStart(),
        headers(1, requestBlock("/v1/ping?imei=861234", [["user-agent", "ua/1"]]), { end: true }),
      ),
    },
    {
      orig: false,
      data: cat(
        settings(),
        headers(1, responseBlock(200, [["content-type", "text/plain"]])),
        data(1, "pong", { end: true }),
      ),
    },
  ]);
  assert.deepEqual(r.weirdNames(), []);
  assert.equal(r.records.length, 1);
  const x = r.records[0];
  assert.equal(x.method, "GET");
  assert.equal(x.host, "api.example.com");
  assert.equal(x.uri, "/v1/ping?imei=861234");
  assert.equal(x.url, "http://api.example.com/v1/ping?imei=861234");
  assert.equal(x.version, "2");
  assert.equal(x.status_code, 200);
  assert.equal(x.user_agent, "ua/1");
  assert.deepEqual(x.query, [["imei", "861234"]]);
  assert.equal(x.trans_depth, 1);
  assert.equal(x.response_body_len, 4);
  assert.equal(x.response_content_type, "text/plain");
  assert.equal(x.transport, "cleartext");
  assert.deepEqual(x.request_headers[0], [":method", "GET"]);
  assert.deepEqual(x.response_headers, [
    [":status", "200"],
    ["content-type", "text/plain"],
  ]);
  assert.deepEqual(x.frames, [1, 2]);
  assert.deepEqual(r.layer("http.uri"), ["/v1/ping?imei=861234"]);
  assert.deepEqual(r.layer("http.body"), ["pong"]);
  assert.ok(r.layer("http.header")[0].includes(":authority: api.example.com\r\n"));
  assert.equal(r.payloads.find((p) => p.layer === "http.body")?.fromOrig, false);
  assert.ok(r.payloads.every((p) => p.transport === undefined && p.index === 1));
});

test("interleaved streams pair by stream id; bodies join across DATA frames; 1-byte pieces change nothing", () => {
  const client = cat(
    clientStart(),
    headers(1, requestBlock("/a", [], "POST")),
    headers(3, requestBlock("/b", [], "POST")),
    data(3, "b-1,"),
    data(1, "a-1,"),
    data(1, "a-2", { end: true }),
    data(3, "b-2", { end: true }),
  );
  const server = cat(
    settings(),
    headers(3, responseBlock(201)),
    headers(1, responseBlock(202)),
    data(1, "ra", { end: true }),
    data(3, "rb", { end: true }),
  );
  for (const split of [undefined, 1]) {
    const r = runH2([
      { orig: true, data: client, split },
      { orig: false, data: server, split },
    ]);
    assert.deepEqual(r.weirdNames(), []);
    assert.deepEqual(
      r.records.map((x) => [x.uri, x.status_code, x.request_body_len, x.response_body_len, x.trans_depth]),
      [
        ["/a", 202, 7, 2, 1],
        ["/b", 201, 7, 2, 2],
      ],
    );
    assert.deepEqual(r.layer("http.body"), ["a-1,a-2", "b-1,b-2", "ra", "rb"]);
  }
});

test("dynamic table across streams: a field indexed on stream 1 is referred to on stream 3", () => {
  const first = Uint8Array.from([
    ...hpackIndexed(2), // :method GET
    ...hpackIndexed(6), // :scheme http
    ...hpackLiteral(1, "push.example.cn", "indexed"), // :authority, now index 62
    ...hpackLiteral(4, "/first", "plain"),
  ]);
  const second = Uint8Array.from([
    ...hpackIndexed(2),
    ...hpackIndexed(6),
    ...hpackIndexed(62),
    ...hpackLiteral(4, "/second"),
  ]);
  const r = runH2([
    {
      orig: true,
      data: cat(clientStart(), headers(1, first, { end: true }), headers(3, second, { end: true })),
    },
    {
      orig: false,
      data: cat(
        settings(),
        headers(1, responseBlock(204), { end: true }),
        headers(3, responseBlock(204), { end: true }),
      ),
    },
  ]);
  assert.deepEqual(
    r.records.map((x) => [x.host, x.uri]),
    [
      ["push.example.cn", "/first"],
      ["push.example.cn", "/second"],
    ],
  );
});

test("gzip'd response body: the detector gets it decoded; the record keeps the coding and wire length", () => {
  const plain = JSON.stringify({ imei: "868031020761234", phone: "+8613800138000" });
  const gz = gzipSync(plain);
  const r = runH2([
    { orig: true, data: cat(clientStart(), headers(1, requestBlock("/cfg"), { end: true })) },
    {
      orig: false,
      data: cat(
        settings(),
        headers(1, responseBlock(200, [["content-encoding", "gzip"]])),
        data(1, gz.subarray(0, 10)),
        data(1, gz.subarray(10), { end: true }),
      ),
    },
  ]);
  assert.deepEqual(r.layer("http.body"), [plain]);
  assert.equal(r.records[0].content_encoding, "gzip");
  assert.equal(r.records[0].response_body_len, gz.length);
});

test("trailers follow the fields of their message; request trailers too", () => {
  const r = runH2([
    {
      orig: true,
      data: cat(
        clientStart(),
        headers(1, requestBlock("/rpc", [["te", "trailers"]], "POST")),
        data(1, "req"),
        headers(1, hpackBlock([["x-checksum", "abc"]]), { end: true }),
      ),
    },
    {
      orig: false,
      data: cat(
        settings(),
        headers(1, responseBlock(200)),
        data(1, "res"),
        headers(1, hpackBlock([["grpc-status", "0"]]), { end: true }),
      ),
    },
  ]);
  assert.deepEqual(r.weirdNames(), []);
  const x = r.records[0];
  assert.deepEqual(x.request_headers.at(-1), ["x-checksum", "abc"]);
  assert.deepEqual(x.response_headers.at(-1), ["grpc-status", "0"]);
  assert.equal(r.layer("http.header").length, 4);
});

test("a 100 (Continue) is interim: info_code 100, then the final status", () => {
  const r = runH2([
    {
      orig: true,
      data: cat(clientStart(), headers(1, requestBlock("/up", [["expect", "100-continue"]], "PUT"))),
    },
    { orig: false, data: cat(settings(), headers(1, responseBlock(100))) },
    { orig: true, data: data(1, "payload", { end: true }) },
    { orig: false, data: headers(1, responseBlock(201), { end: true }) },
  ]);
  assert.equal(r.records[0].info_code, 100);
  assert.equal(r.records[0].status_code, 201);
});

test("RST_STREAM: the request is still logged (no-response); CANCEL is no weird, PROTOCOL_ERROR is", () => {
  const r = runH2([
    {
      orig: true,
      data: cat(
        clientStart(),
        headers(1, requestBlock("/slow"), { end: true }),
        rstStream(1, 8),
        headers(3, requestBlock("/bad"), { end: true }),
      ),
    },
    { orig: false, data: cat(settings(), rstStream(3, 1), data(3, "late")) },
  ]);
  assert.deepEqual(
    r.records.map((x) => [x.uri, x.status_code, x.tags]),
    [
      ["/slow", undefined, ["no-response"]],
      ["/bad", undefined, ["no-response"]],
    ],
  );
  // DATA on the reset stream is ignored silently (RFC 9113 §5.1).
  assert.deepEqual(r.weirdNames(), ["http2_stream_reset"]);
  assert.match(r.weirds[0].detail!, /stream 3: PROTOCOL_ERROR/);
});

test("server push: the promised request and its response make a record of their own", () => {
  const r = runH2([
    { orig: true, data: cat(clientStart(), headers(1, requestBlock("/index.html"), { end: true })) },
    {
      orig: false,
      data: cat(
        settings(),
        pushPromise(1, 2, requestBlock("/style.css")),
        headers(1, responseBlock(200), { end: true }),
        headers(2, responseBlock(200, [["content-type", "text/css"]])),
        data(2, "body{}", { end: true }),
      ),
    },
  ]);
  assert.deepEqual(r.weirdNames(), []);
  assert.deepEqual(
    r.records.map((x) => [x.uri, x.status_code, x.response_content_type ?? ""]),
    [
      ["/index.html", 200, ""],
      ["/style.css", 200, "text/css"],
    ],
  );
});

test("the end of the connection logs open streams; an unfinished body is marked incomplete", () => {
  const r = runH2([
    { orig: true, data: cat(clientStart(), headers(1, requestBlock("/up", [], "POST")), data(1, "part")) },
    { orig: false, data: settings() },
  ]);
  assert.equal(r.records.length, 1);
  assert.deepEqual(r.records[0].tags, ["incomplete", "no-response"]);
  assert.deepEqual(r.layer("http.body"), ["part"]);
});

test("bodies are bounded per message and per connection; lengths still count every byte", () => {
  const big = "x".repeat(1000);
  const client = cat(
    clientStart(),
    headers(1, requestBlock("/a"), { end: true }),
    headers(3, requestBlock("/b"), { end: true }),
  );
  const server = cat(
    settings(),
    headers(1, responseBlock(200)),
    headers(3, responseBlock(200)),
    data(1, big),
    data(1, big), // stream 1 reaches its own bound: 500 of these kept
    data(3, big), // the connection's 2000 are reached: 500 of these kept
    data(1, "", { end: true }),
    data(3, "", { end: true }),
  );
  const r = runH2(
    [
      { orig: true, data: client },
      { orig: false, data: server },
    ],
    { maxBodyBytes: 1500, maxHeldBodyBytes: 2000 },
  );
  assert.deepEqual(
    r.records.map((x) => [x.uri, x.response_body_len, x.response_body_truncated]),
    [
      ["/a", 2000, true],
      ["/b", 1000, true],
    ],
  );
  assert.deepEqual(
    r.layer("http.body").map((b) => b.length),
    [1500, 500],
  );
});

test("at most maxStreams open: the oldest is logged to make room, with a weird", () => {
  const reqs = [1, 3, 5].map((id) => headers(id, requestBlock(`/s${id}`), { end: true }));
  const r = runH2(
    [
      { orig: true, data: cat(clientStart(), ...reqs) },
      { orig: false, data: settings() },
    ],
    { maxStreams: 2 },
  );
  assert.deepEqual(r.weirdNames(), ["http2_too_many_streams"]);
  assert.deepEqual(
    r.records.map((x) => [x.uri, x.tags]),
    [
      ["/s1", ["no-response"]],
      ["/s3", ["no-response"]],
      ["/s5", ["no-response"]],
    ],
  );
});

test("transport tls-decrypted: on the record and on every payload chunk; scheme https by default", () => {
  const block = hpackBlock([
    [":method", "GET"],
    [":authority", "api.example.com"],
    [":path", "/x"],
  ]);
  const r = runH2(
    [
      { orig: true, data: cat(clientStart(), headers(1, block, { end: true })) },
      { orig: false, data: cat(settings(), headers(1, responseBlock(200)), data(1, "ok", { end: true })) },
    ],
    { transport: "tls-decrypted" },
  );
  assert.equal(r.records[0].transport, "tls-decrypted");
  assert.equal(r.records[0].url, "https://api.example.com/x");
  assert.ok(r.payloads.length >= 3);
  assert.ok(r.payloads.every((p) => p.transport === "tls-decrypted"));
});

test("the client may be the responder side (preface from the responder)", () => {
  const r = runH2([
    { orig: true, data: settings() },
    { orig: false, data: cat(clientStart(), headers(1, requestBlock("/flip"), { end: true })) },
    { orig: true, data: headers(1, responseBlock(200), { end: true }) },
  ]);
  assert.deepEqual(r.weirdNames(), []);
  assert.deepEqual(
    r.records.map((x) => [x.uri, x.status_code]),
    [["/flip", 200]],
  );
  assert.equal(r.payloads.find((p) => p.layer === "http.uri")?.fromOrig, false);
});
