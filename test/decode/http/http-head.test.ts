// Heads: start lines, header fields kept in order with original case, and the leniencies that are weirds.

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseHead } from "../../../src/decode/http/http-head.ts";

function parse(text: string | Buffer, maxHeaders = 256) {
  const b = typeof text === "string" ? Buffer.from(text, "latin1") : text;
  const weirds: string[] = [];
  const head = parseHead(b, b.length, maxHeaders, (name, detail) => weirds.push(`${name}: ${detail}`));
  return { head, weirds };
}

test("request line: method, target as sent, version; fields in order with original case", () => {
  const { head, weirds } = parse(
    "PUT /a%20b?c=d HTTP/1.1\r\nhOsT: x\r\nX-Device-ID:  abc \r\nx-device-id: def\r\n\r\n",
  );
  assert.deepEqual(weirds, []);
  assert.equal(head?.kind, "request");
  assert.equal(head?.method, "PUT");
  assert.equal(head?.target, "/a%20b?c=d");
  assert.equal(head?.version, "HTTP/1.1");
  assert.deepEqual(head?.headers, [
    { name: "hOsT", value: "x" },
    { name: "X-Device-ID", value: "abc" },
    { name: "x-device-id", value: "def" },
  ]);
});

test("status line with and without a reason phrase", () => {
  assert.deepEqual(
    [
      parse("HTTP/1.0 404 Not Found\r\n\r\n").head?.status,
      parse("HTTP/1.0 404 Not Found\r\n\r\n").head?.reason,
    ],
    [404, "Not Found"],
  );
  assert.equal(parse("HTTP/1.1 204\r\n\r\n").head?.reason, "");
});

test("bad start lines are weirds and no head", () => {
  assert.match(parse("GET /\r\n\r\n").weirds[0], /^http_bad_request_line/);
  assert.match(parse("G(T / HTTP/1.1\r\n\r\n").weirds[0], /^http_bad_request_line/);
  assert.match(parse("HTTP/1.1 2000 OK\r\n\r\n").weirds[0], /^http_bad_status_line/);
  assert.equal(parse("HTTP/1.1 abc\r\n\r\n").head, undefined);
});

test("obs-fold joins the continuation with one space (RFC 9112 §5.2) and is a weird", () => {
  const { head, weirds } = parse("GET / HTTP/1.1\r\nX-Long: part one\r\n   part two\r\n\r\n");
  assert.equal(head?.headers[0].value, "part one part two");
  assert.deepEqual(weirds, ["http_folded_header: X-Long"]);
});

test("a field line without a colon, or a bad field name, is http_bad_header", () => {
  const { head, weirds } = parse("GET / HTTP/1.1\r\nno colon here\r\nBad Name : v\r\nOk: 1\r\n\r\n");
  assert.deepEqual(
    weirds.map((w) => w.split(":")[0]),
    ["http_bad_header", "http_bad_header"],
  );
  assert.deepEqual(head?.headers, [
    { name: "Bad Name", value: "v" },
    { name: "Ok", value: "1" },
  ]);
});

test("fields past the bound are dropped with one http_too_many_headers", () => {
  const lines = Array.from({ length: 10 }, (_, i) => `F${i}: ${i}\r\n`).join("");
  const { head, weirds } = parse(`GET / HTTP/1.1\r\n${lines}\r\n`, 4);
  assert.equal(head?.headers.length, 4);
  assert.deepEqual(weirds, ["http_too_many_headers: 6 field line(s) past 4 dropped"]);
});

test("UTF-8 field values decode as UTF-8, other high bytes as ISO-8859-1", () => {
  const utf8 = Buffer.concat([
    Buffer.from("GET / HTTP/1.1\r\nX-Name: "),
    Buffer.from("Zoë 小米", "utf8"),
    Buffer.from("\r\n\r\n"),
  ]);
  assert.equal(parse(utf8).head?.headers[0].value, "Zoë 小米");
  const latin = Buffer.concat([
    Buffer.from("GET / HTTP/1.1\r\nX-Name: Zo"),
    Buffer.from([0xeb]),
    Buffer.from("\r\n\r\n"),
  ]);
  assert.equal(parse(latin).head?.headers[0].value, "Zoë");
});
