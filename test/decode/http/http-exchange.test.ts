// Parsed heads → the shared HttpRequest / HttpResponse model, and what a request asks of the connection.

import assert from "node:assert/strict";
import { test } from "node:test";
import { requestFromHead, responseFromHead, upgradeOf } from "../../../src/decode/http/http-exchange.ts";
import { parseHead } from "../../../src/decode/http/http-head.ts";

function head(text: string) {
  const b = Buffer.from(text, "latin1");
  const h = parseHead(b, b.length, 100, () => {});
  assert.ok(h);
  return h;
}

test("origin-form target: path as sent, host and port from Host, scheme from the transport", () => {
  const req = requestFromHead(
    head("GET /a?b=1 HTTP/1.1\r\nHost: API.Example.com:8080\r\n\r\n"),
    5,
    80,
    "cleartext",
  );
  assert.deepEqual(
    { ...req, headers: req.headers.length },
    {
      method: "GET",
      url: "/a?b=1",
      path: "/a?b=1",
      httpVersion: "HTTP/1.1",
      headers: 1,
      ts: 5,
      scheme: "http",
      host: "api.example.com",
      port: 8080,
    },
  );
  assert.equal(
    requestFromHead(head("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), 0, 443, "tls-decrypted").scheme,
    "https",
  );
});

test("absolute-form target (to a proxy): scheme, host, port and path from the URL", () => {
  const req = requestFromHead(
    head("POST http://h.cn:81/x HTTP/1.1\r\nHost: other\r\nContent-Type: a/b\r\n\r\n"),
    0,
    3128,
    "cleartext",
  );
  assert.deepEqual(
    [req.scheme, req.host, req.port, req.path, req.contentType],
    ["http", "h.cn", 81, "/x", "a/b"],
  );
});

test("responses carry status, reason, version, fields and content type", () => {
  const res = responseFromHead(
    head("HTTP/1.1 302 Found\r\nContent-Type: text/html\r\nLocation: /\r\n\r\n"),
    7,
  );
  assert.deepEqual(
    [res.status, res.statusText, res.httpVersion, res.headers.length, res.contentType, res.ts],
    [302, "Found", "HTTP/1.1", 2, "text/html", 7],
  );
});

test("upgradeOf: CONNECT, Upgrade: websocket (in a list, any case), other upgrades, none", () => {
  assert.equal(upgradeOf(head("CONNECT h:443 HTTP/1.1\r\n\r\n")), "connect");
  assert.equal(upgradeOf(head("GET / HTTP/1.1\r\nUpgrade: foo, WebSocket\r\n\r\n")), "websocket");
  assert.equal(upgradeOf(head("GET / HTTP/1.1\r\nUpgrade: h2c\r\n\r\n")), "other");
  assert.equal(upgradeOf(head("GET / HTTP/1.1\r\n\r\n")), undefined);
});
