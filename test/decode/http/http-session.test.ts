// Pairing on one connection: pipelining, keep-alive, unanswered requests, responses without requests,
// the pending bound, CONNECT tunnels, protocol upgrades, which side is the client, and gaps.

import assert from "node:assert/strict";
import { test } from "node:test";
import { runSteps } from "./http-helpers.ts";

const ok = (body: string): string => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: api.example.com\r\n\r\n`;

test("pipelining: three requests in one segment, responses later, paired in order", () => {
  const r = runSteps([
    { orig: true, data: get("/one") + get("/two") + get("/three") },
    { orig: false, data: ok("1") },
    { orig: false, data: ok("22") + ok("333") },
  ]);
  assert.deepEqual(
    r.records.map((x) => [x.trans_depth, x.uri, x.response_body_len]),
    [
      [1, "/one", 1],
      [2, "/two", 2],
      [3, "/three", 3],
    ],
  );
  // Frames: all three requests are in frame 1; responses end in frames 2, 3 and 3.
  assert.deepEqual(
    r.records.map((x) => x.frames),
    [
      [1, 2],
      [1, 3],
      [1, 3],
    ],
  );
});

test("keep-alive: request, response, request, response on one connection", () => {
  const r = runSteps([
    { orig: true, data: get("/a") },
    { orig: false, data: ok("alpha") },
    { orig: true, data: `POST /b HTTP/1.1\r\nHost: api.example.com\r\nContent-Length: 4\r\n\r\nbeta` },
    { orig: false, data: ok("") },
  ]);
  assert.deepEqual(
    r.records.map((x) => [x.trans_depth, x.method, x.uri, x.request_body_len, x.response_body_len]),
    [
      [1, "GET", "/a", 0, 5],
      [2, "POST", "/b", 4, 0],
    ],
  );
  assert.deepEqual(r.records[1].frames, [3, 4]);
});

test("a request without a response is logged at the end with tag no-response", () => {
  const r = runSteps([{ orig: true, data: get("/lost") }]);
  assert.equal(r.records.length, 1);
  assert.deepEqual(r.records[0].tags, ["no-response"]);
  assert.equal(r.records[0].status_code, undefined);
});

test("a response without a request (capture started mid-connection) is tagged no-request", () => {
  const r = runSteps([{ orig: false, data: ok("late") }]);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].method, "");
  assert.equal(r.records[0].status_code, 200);
  assert.deepEqual(r.records[0].tags, ["no-request"]);
});

test("the client is whoever sends requests, even when the server's bytes came first", () => {
  // Mid-stream start where the originator is the server: orig sends responses, resp sends requests.
  const r = runSteps([
    { orig: false, data: get("/x") },
    { orig: true, data: ok("y") },
  ]);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].uri, "/x");
  assert.equal(r.records[0].status_code, 200);
});

test("more pending requests than the bound: the oldest is logged without a response, with a weird", () => {
  const r = runSteps([{ orig: true, data: get("/1") + get("/2") + get("/3") }], { maxPending: 2 });
  assert.deepEqual(r.weirdNames(), ["http_too_many_pending"]);
  assert.deepEqual(
    r.records.map((x) => x.uri),
    ["/1", "/2", "/3"],
  );
});

test("CONNECT: the tunnel after 200 is not parsed, the exchange is tagged connect, data() says stop", () => {
  const tls = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";
  const r = runSteps([
    { orig: true, data: "CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n" },
    { orig: true, data: tls }, // a client that does not wait for the 200
    { orig: false, data: "HTTP/1.1 200 Connection established\r\n\r\n" },
    { orig: false, data: "\x16\x03\x03\x00\x5a\x02\x00\x00\x56" },
  ]);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].method, "CONNECT");
  assert.equal(r.records[0].uri, "api.example.com:443");
  assert.deepEqual(r.records[0].tags, ["connect"]);
  assert.equal(r.records[0].url, undefined);
  assert.deepEqual(r.weirds, []);
  assert.equal(r.more, false);
});

test("CONNECT refused: the client's next request is parsed as HTTP again", () => {
  const r = runSteps([
    { orig: true, data: "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n" },
    { orig: false, data: "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n" },
    { orig: true, data: "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\nProxy-Authorization: Basic dTpw\r\n\r\n" },
    { orig: false, data: "HTTP/1.1 200 OK\r\n\r\n" },
  ]);
  assert.deepEqual(
    r.records.map((x) => [x.status_code, x.tags]),
    [
      [407, undefined],
      [200, ["connect"]],
    ],
  );
});

test("an Upgrade to another protocol (h2c) is tagged upgrade and not parsed further", () => {
  const r = runSteps([
    {
      orig: true,
      data: "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\r\n",
    },
    {
      orig: false,
      data: "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n\x00\x00\x12\x04",
    },
  ]);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].status_code, 101);
  assert.deepEqual(r.records[0].tags, ["upgrade"]);
  assert.deepEqual(r.weirds, []);
});

test("an Upgrade the server declines leaves the connection HTTP", () => {
  const r = runSteps([
    { orig: true, data: "GET /a HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n" },
    { orig: true, data: get("/b") },
    { orig: false, data: ok("no") + ok("b") },
  ]);
  assert.deepEqual(
    r.records.map((x) => x.uri),
    ["/a", "/b"],
  );
});

test("a binary stream is not HTTP: no record, no weird, data() says stop", () => {
  const r = runSteps([{ orig: true, data: Uint8Array.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00]) }]);
  assert.deepEqual(r.records, []);
  assert.deepEqual(r.weirds, []);
  assert.equal(r.more, false);
});

test("garbage after a first good request is http_bad_request_line", () => {
  const r = runSteps([
    { orig: true, data: `${get("/ok")}\x00\x01\x02 binary` },
    { orig: false, data: ok("fine") },
  ]);
  assert.deepEqual(r.weirdNames(), ["http_bad_request_line"]);
  assert.equal(r.records.length, 1);
});

test("a gap inside a Content-Length body is counted, the message is incomplete, the next one parses", () => {
  const r = runSteps([
    { orig: true, data: get("/a") + get("/b") },
    { orig: false, data: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc" },
    { orig: false, gap: 4 },
    { orig: false, data: `xyz${ok("b")}` },
  ]);
  assert.deepEqual(r.weirds, []);
  assert.deepEqual(
    r.records.map((x) => [x.uri, x.response_body_len, x.tags]),
    [
      ["/a", 10, ["incomplete"]],
      ["/b", 1, undefined],
    ],
  );
});

test("a gap inside a head makes the direction unreadable: http_content_gap", () => {
  const r = runSteps([
    { orig: true, data: "GET /a HTTP/1.1\r\nHo" },
    { orig: true, gap: 100 },
    { orig: true, data: "st: h\r\n\r\n" },
  ]);
  assert.deepEqual(r.weirdNames(), ["http_content_gap"]);
});
