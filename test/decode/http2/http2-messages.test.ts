// Field sections as messages: pseudo-headers into HttpRequest / HttpResponse, and the malformations of
// RFC 9113 §8.2 and §8.3.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  malformation,
  requestFromFields,
  responseFromFields,
} from "../../../src/decode/http2/http2-messages.ts";
import type { HttpHeader } from "../../../src/model/http-message.ts";

const h = (pairs: [string, string][]): HttpHeader[] => pairs.map(([name, value]) => ({ name, value }));

test("request: method, target, host and port from :authority, scheme, content type", () => {
  const r = requestFromFields(
    h([
      [":method", "POST"],
      [":scheme", "https"],
      [":authority", "API.Example.com:8443"],
      [":path", "/v1/log?x=1"],
      ["content-type", "application/json"],
    ]),
    5,
    443,
    "tls-decrypted",
  );
  assert.deepEqual(
    [r.method, r.url, r.path, r.scheme, r.host, r.port, r.httpVersion, r.contentType, r.ts],
    ["POST", "/v1/log?x=1", "/v1/log?x=1", "https", "api.example.com", 8443, "2", "application/json", 5],
  );
});

test("request: CONNECT targets :authority; without :authority the Host field is used; scheme from transport", () => {
  const c = requestFromFields(
    h([
      [":method", "CONNECT"],
      [":authority", "push.example.cn:5223"],
    ]),
    0,
    80,
    "cleartext",
  );
  assert.deepEqual([c.url, c.host, c.port], ["push.example.cn:5223", "push.example.cn", 5223]);
  const noAuth = requestFromFields(
    h([
      [":method", "GET"],
      [":path", "/"],
      ["host", "h.example"],
    ]),
    0,
    8080,
    "cleartext",
  );
  assert.deepEqual([noAuth.host, noAuth.port, noAuth.scheme], ["h.example", 8080, "http"]);
});

test("response: status from :status, 0 when missing or not three digits; no reason phrase", () => {
  assert.equal(responseFromFields(h([[":status", "404"]]), 0).status, 404);
  assert.equal(responseFromFields(h([[":status", "20"]]), 0).status, 0);
  assert.equal(responseFromFields(h([["server", "x"]]), 0).status, 0);
  assert.equal(responseFromFields(h([[":status", "200"]]), 0).statusText, "");
});

test("malformed sections (RFC 9113 §8.2, §8.3)", () => {
  const req = (extra: [string, string][]) =>
    h([[":method", "GET"], [":scheme", "https"], [":path", "/"], [":authority", "a"], ...extra]);
  assert.equal(malformation(req([]), "request"), undefined);
  assert.equal(malformation(req([["te", "trailers"]]), "request"), undefined);
  const cases: [HttpHeader[], "request" | "response" | "trailers", RegExp][] = [
    [req([["User-Agent", "x"]]), "request", /upper-case/],
    [
      h([
        ["x", "1"],
        [":method", "GET"],
      ]),
      "request",
      /after a regular field/,
    ],
    [req([[":status", "200"]]), "request", /:status in request/],
    [req([[":path", "/again"]]), "request", /repeated :path/],
    [req([["connection", "keep-alive"]]), "request", /connection-specific/],
    [req([["te", "gzip"]]), "request", /te other than trailers/],
    [
      h([
        [":method", "GET"],
        [":path", "/"],
      ]),
      "request",
      /no :scheme/,
    ],
    [
      h([
        [":method", "GET"],
        [":scheme", "http"],
      ]),
      "request",
      /no :path/,
    ],
    [
      h([
        [":scheme", "http"],
        [":path", "/"],
      ]),
      "request",
      /no :method/,
    ],
    [
      h([
        [":method", "CONNECT"],
        [":authority", "a:1"],
        [":path", "/"],
      ]),
      "request",
      /CONNECT with/,
    ],
    [h([["server", "x"]]), "response", /no :status/],
    [h([[":status", "200"]]), "trailers", /pseudo-header :status in trailers/],
  ];
  for (const [fields, kind, re] of cases) assert.match(malformation(fields, kind) ?? "(none)", re);
});
