// Message framing of one direction (RFC 9112 §6–§7): Content-Length, chunked with extensions and trailers,
// close-delimited, bodiless responses (HEAD, 1xx, 204, 304), bytes split anywhere, gaps, and the bounds.

import assert from "node:assert/strict";
import { test } from "node:test";
import { hex } from "../decode-helpers.ts";
import { runSteps } from "./http-helpers.ts";

const GET = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";

test("Content-Length body: annotated bytes give method, target, status and body", () => {
  const request = hex(`
    47 45 54 20                 # "GET "
    2f 61 70 69 3f 69 64 3d 37  # "/api?id=7"
    20 48 54 54 50 2f 31 2e 31  # " HTTP/1.1"
    0d 0a                       # CRLF ends the request line
    48 6f 73 74 3a 20 61 2e 62  # "Host: a.b"
    0d 0a 0d 0a                 # end of the field line, then the empty line that ends the head
  `);
  const response = hex(`
    48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d 0a  # "HTTP/1.1 200 OK" CRLF
    43 6f 6e 74 65 6e 74 2d 4c 65 6e 67 74 68 3a 20 33  # "Content-Length: 3"
    0d 0a 0d 0a                                         # CRLF, empty line
    61 62 63                                            # body "abc" (3 bytes)
  `);
  const r = runSteps([
    { orig: true, data: request },
    { orig: false, data: response },
  ]);
  assert.equal(r.records.length, 1);
  const h = r.records[0];
  assert.equal(h.method, "GET");
  assert.equal(h.host, "a.b");
  assert.equal(h.uri, "/api?id=7");
  assert.equal(h.status_code, 200);
  assert.equal(h.status_msg, "OK");
  assert.equal(h.response_body_len, 3);
  assert.deepEqual(r.layer("http.body"), ["abc"]);
  assert.deepEqual(r.weirds, []);
});

test("chunked body with chunk extensions and trailer fields", () => {
  const response = hex(`
    48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d 0a           # "HTTP/1.1 200 OK"
    54 72 61 6e 73 66 65 72 2d 45 6e 63 6f 64 69 6e 67 3a 20     # "Transfer-Encoding: "
    63 68 75 6e 6b 65 64 0d 0a 0d 0a                              # "chunked", end of head
    34 3b 6e 61 6d 65 3d 76 61 6c 0d 0a                           # chunk-size 4, extension ";name=val"
    57 69 6b 69 0d 0a                                             # "Wiki" CRLF
    35 20 3b 20 78 0d 0a                                          # chunk-size 5, BWS, extension "; x"
    70 65 64 69 61 0d 0a                                          # "pedia" CRLF
    30 0d 0a                                                      # last-chunk
    45 78 70 69 72 65 73 3a 20 6e 65 76 65 72 0d 0a               # trailer field "Expires: never"
    0d 0a                                                         # end of the trailer section
  `);
  const r = runSteps([
    { orig: true, data: GET },
    { orig: false, data: response },
  ]);
  assert.deepEqual(r.weirds, []);
  assert.equal(r.records[0].response_body_len, 9);
  assert.deepEqual(r.records[0].response_headers, [
    ["Transfer-Encoding", "chunked"],
    ["Expires", "never"],
  ]);
  assert.deepEqual(r.layer("http.body"), ["Wikipedia"]);
});

test("close-delimited response body runs to the end of the connection", () => {
  const r = runSteps([
    { orig: true, data: "GET / HTTP/1.0\r\n\r\n" },
    { orig: false, data: "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst part, " },
    { orig: false, data: "second part" },
  ]);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].response_body_len, 23);
  assert.equal(r.records[0].response_content_type, "text/plain");
  assert.deepEqual(r.layer("http.body"), ["first part, second part"]);
});

test("HEAD response has no body although it names a Content-Length; the next response follows", () => {
  const r = runSteps([
    { orig: true, data: "HEAD /big HTTP/1.1\r\nHost: h\r\n\r\nGET /small HTTP/1.1\r\nHost: h\r\n\r\n" },
    {
      orig: false,
      data: "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    },
  ]);
  assert.deepEqual(
    r.records.map((x) => [x.method, x.uri, x.status_code, x.response_body_len]),
    [
      ["HEAD", "/big", 200, 0],
      ["GET", "/small", 200, 2],
    ],
  );
});

test("204 and 304 have no body (RFC 9112 §6.3 rule 1)", () => {
  const r = runSteps([
    { orig: true, data: `${GET}${GET}${GET}` },
    {
      orig: false,
      data:
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n" +
        "HTTP/1.1 204 No Content\r\n\r\n" +
        "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody",
    },
  ]);
  assert.deepEqual(
    r.records.map((x) => [x.status_code, x.response_body_len]),
    [
      [304, 0],
      [204, 0],
      [200, 4],
    ],
  );
  assert.deepEqual(r.weirds, []);
});

test("100-continue: the interim response is noted, the request body and final response pair up", () => {
  const r = runSteps([
    { orig: true, data: "POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 6\r\n\r\n" },
    { orig: false, data: "HTTP/1.1 100 Continue\r\n\r\n" },
    { orig: true, data: "secret" },
    { orig: false, data: "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n" },
  ]);
  assert.equal(r.records.length, 1);
  const h = r.records[0];
  assert.equal(h.info_code, 100);
  assert.equal(h.info_msg, "Continue");
  assert.equal(h.status_code, 201);
  assert.equal(h.request_body_len, 6);
  assert.deepEqual(r.layer("http.body"), ["secret"]);
});

test("bodies split across many segments, at every split size, give the same records", () => {
  const body = "x".repeat(300);
  const req = `POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const res =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n6\r\n world\r\n0\r\nT: 1\r\n\r\n";
  const whole = runSteps([
    { orig: true, data: req },
    { orig: false, data: res },
  ]);
  const strip = (recs: typeof whole.records) => recs.map(({ frames: _f, ts: _t, ...rest }) => rest);
  for (const split of [1, 2, 3, 7, 13, 64]) {
    const r = runSteps([
      { orig: true, data: req, split },
      { orig: false, data: res, split },
    ]);
    assert.deepEqual(strip(r.records), strip(whole.records), `split ${split}`);
    assert.deepEqual(r.layer("http.body"), [body, "hello world"], `split ${split}`);
    assert.deepEqual(r.weirds, []);
  }
});

test("a bad chunk-size line is http_bad_chunk; the message is logged as incomplete", () => {
  const r = runSteps([
    { orig: true, data: GET },
    { orig: false, data: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nnot-hex\r\n" },
  ]);
  assert.deepEqual(r.weirdNames(), ["http_bad_chunk"]);
  assert.equal(r.records[0].response_body_len, 5);
  assert.deepEqual(r.records[0].tags, ["incomplete"]);
});

test("missing CRLF after chunk data is http_bad_chunk", () => {
  const r = runSteps([
    { orig: true, data: GET },
    { orig: false, data: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n" },
  ]);
  assert.deepEqual(r.weirdNames(), ["http_bad_chunk"]);
});

test("a head longer than the bound is http_header_too_long and the direction stops", () => {
  const long = `GET / HTTP/1.1\r\nHost: h\r\nCookie: ${"c".repeat(2000)}\r\n\r\n`;
  const r = runSteps([{ orig: true, data: long, split: 100 }], { maxHeadBytes: 1024 });
  assert.deepEqual(r.weirdNames(), ["http_header_too_long"]);
  assert.equal(r.records.length, 0);
});

test("bodies past the body bound are counted but cut, and flagged truncated", () => {
  const body = "A".repeat(5000);
  const r = runSteps(
    [
      { orig: true, data: `POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n${body}` },
      { orig: false, data: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" },
    ],
    { maxBodyBytes: 1000 },
  );
  assert.equal(r.records[0].request_body_len, 5000);
  assert.equal(r.records[0].request_body_truncated, true);
  assert.deepEqual(r.layer("http.body"), ["A".repeat(1000)]);
});

test("leading empty lines before a request are ignored (RFC 9112 §2.2)", () => {
  const r = runSteps([
    { orig: true, data: `POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi\r\n${GET}` },
    {
      orig: false,
      data: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    },
  ]);
  assert.deepEqual(r.weirds, []);
  assert.deepEqual(
    r.records.map((x) => x.uri),
    ["/", "/index.html"],
  );
});

test("bare LF line ends are accepted", () => {
  const r = runSteps([
    { orig: true, data: "GET /lf HTTP/1.1\nHost: h\n\n" },
    { orig: false, data: "HTTP/1.1 200 OK\nContent-Length: 1\n\n!" },
  ]);
  assert.equal(r.records[0].uri, "/lf");
  assert.equal(r.records[0].host, "h");
  assert.equal(r.records[0].response_body_len, 1);
});
