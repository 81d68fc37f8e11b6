// Body framing decisions of RFC 9112 §6.3, and the weirds of conflicting or invalid framing fields.

import assert from "node:assert/strict";
import { test } from "node:test";
import { bodyFraming, contentLength } from "../../../src/decode/http/http-framing.ts";
import type { ParsedHead } from "../../../src/decode/http/http-head.ts";

function head(kind: "request" | "response", fields: [string, string][], status = 200): ParsedHead {
  return {
    kind,
    method: kind === "request" ? "POST" : "",
    target: "/",
    version: "HTTP/1.1",
    status,
    reason: "",
    headers: fields.map(([name, value]) => ({ name, value })),
    targetStart: 0,
    targetEnd: 0,
    fieldsStart: 0,
  };
}

function frame(h: ParsedHead, method?: string) {
  const weirds: string[] = [];
  const f = bodyFraming(h, method, (name) => weirds.push(name));
  return { kind: f.kind, length: f.length, codings: f.transferCodings, weirds };
}

test("Content-Length, a list of equal values, and zero", () => {
  assert.deepEqual(frame(head("request", [["Content-Length", "12"]])), {
    kind: "length",
    length: 12,
    codings: [],
    weirds: [],
  });
  assert.equal(frame(head("response", [["content-length", "7, 7"]])).length, 7);
  assert.equal(frame(head("request", [["Content-Length", "0"]])).kind, "none");
  assert.equal(contentLength("1, 2"), undefined);
  assert.equal(contentLength("-1"), undefined);
});

test("Transfer-Encoding wins over Content-Length, with http_te_and_cl", () => {
  const f = frame(
    head("request", [
      ["Content-Length", "5"],
      ["Transfer-Encoding", "chunked"],
    ]),
  );
  assert.deepEqual(f, { kind: "chunked", length: 0, codings: [], weirds: ["http_te_and_cl"] });
});

test("transfer codings before chunked are kept to undo like content codings", () => {
  assert.deepEqual(frame(head("response", [["Transfer-Encoding", "gzip, chunked"]])).codings, ["gzip"]);
});

test("a request whose last transfer coding is not chunked cannot be framed", () => {
  const f = frame(head("request", [["Transfer-Encoding", "gzip"]]));
  assert.deepEqual([f.kind, f.weirds], ["invalid", ["http_bad_transfer_encoding"]]);
  assert.equal(frame(head("response", [["Transfer-Encoding", "gzip"]])).kind, "close");
});

test("an invalid Content-Length: request unframeable, response read to the close", () => {
  assert.deepEqual(frame(head("request", [["Content-Length", "12abc"]])).kind, "invalid");
  const r = frame(head("response", [["Content-Length", "1, 2"]]));
  assert.deepEqual([r.kind, r.weirds], ["close", ["http_bad_content_length"]]);
});

test("bodiless responses: to HEAD, 1xx, 204, 304, and a 2xx to CONNECT", () => {
  const cl: [string, string][] = [["Content-Length", "10"]];
  assert.equal(frame(head("response", cl), "HEAD").kind, "none");
  for (const s of [100, 103, 204, 304]) assert.equal(frame(head("response", cl, s)).kind, "none", String(s));
  assert.equal(frame(head("response", cl, 200), "CONNECT").kind, "none");
  assert.equal(frame(head("response", cl, 407), "CONNECT").kind, "length");
});

test("no framing fields: requests have no body, responses run to the close", () => {
  assert.equal(frame(head("request", [])).kind, "none");
  assert.equal(frame(head("response", [])).kind, "close");
});
