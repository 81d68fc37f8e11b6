// httpRecordFrom: one exchange → one record, the same rules for packets, HAR and the proxy.

import assert from "node:assert/strict";
import { test } from "node:test";
import { httpRecordFrom } from "../../../src/decode/http/http-record.ts";
import type { ConnId } from "../../../src/model/conn.ts";
import type { HttpExchange } from "../../../src/model/http-message.ts";

const ID: ConnId = {
  ts: 1,
  uid: "Cabc",
  community_id: "1:xyz",
  orig_h: "10.0.0.2",
  orig_p: 40000,
  resp_h: "203.0.113.9",
  resp_p: 80,
};

function exchange(source: "packet" | "har"): HttpExchange {
  return {
    source,
    index: 3,
    request: {
      method: "POST",
      url:
        source === "har"
          ? "https://api.account.xiaomi.com:8443/pass/v2?sid=1&imei=86803"
          : "/pass/v2?sid=1&imei=86803",
      scheme: source === "har" ? "https" : "http",
      host: "api.account.xiaomi.com",
      port: 8443,
      path: "/pass/v2?sid=1&imei=86803",
      httpVersion: "HTTP/1.1",
      headers: [
        { name: "Host", value: "api.account.xiaomi.com:8443" },
        { name: "User-Agent", value: "MIUI/V5" },
        { name: "Referer", value: "http://r/" },
        { name: "Content-Type", value: "application/x-www-form-urlencoded" },
      ],
      body: Buffer.from("a=b"),
      ts: 1400000000.5,
    },
    response: {
      status: 200,
      statusText: "OK",
      httpVersion: "HTTP/1.1",
      headers: [
        { name: "Content-Encoding", value: "gzip" },
        { name: "Content-Type", value: "application/json" },
      ],
      body: Buffer.from("{}"),
      bodyTruncated: true,
    },
  };
}

test("a packet exchange: uri as sent, Host as sent, url built from scheme + Host + target", () => {
  const r = httpRecordFrom(exchange("packet"), ID, "cleartext", { trans_depth: 2, frames: [4, 9] });
  assert.deepEqual(r, {
    type: "http",
    ts: 1400000000.5,
    uid: "Cabc",
    community_id: "1:xyz",
    orig_h: "10.0.0.2",
    orig_p: 40000,
    resp_h: "203.0.113.9",
    resp_p: 80,
    trans_depth: 2,
    method: "POST",
    host: "api.account.xiaomi.com:8443",
    uri: "/pass/v2?sid=1&imei=86803",
    url: "http://api.account.xiaomi.com:8443/pass/v2?sid=1&imei=86803",
    version: "HTTP/1.1",
    user_agent: "MIUI/V5",
    referrer: "http://r/",
    status_code: 200,
    status_msg: "OK",
    query: [
      ["sid", "1"],
      ["imei", "86803"],
    ],
    request_headers: [
      ["Host", "api.account.xiaomi.com:8443"],
      ["User-Agent", "MIUI/V5"],
      ["Referer", "http://r/"],
      ["Content-Type", "application/x-www-form-urlencoded"],
    ],
    response_headers: [
      ["Content-Encoding", "gzip"],
      ["Content-Type", "application/json"],
    ],
    request_body_len: 3,
    response_body_len: 2,
    request_content_type: "application/x-www-form-urlencoded",
    response_content_type: "application/json",
    content_encoding: "gzip",
    response_body_truncated: true,
    transport: "cleartext",
    frames: [4, 9],
  });
});

test("a HAR exchange: uri is the URL's path and query, url as HAR gave it, depth defaults to the index", () => {
  const r = httpRecordFrom(exchange("har"), ID, "har");
  assert.equal(r.uri, "/pass/v2?sid=1&imei=86803");
  assert.equal(r.url, "https://api.account.xiaomi.com:8443/pass/v2?sid=1&imei=86803");
  assert.equal(r.trans_depth, 3);
  assert.equal(r.transport, "har");
});

test("no response (or HAR status 0): no status, tag no-response", () => {
  const x = exchange("har");
  x.response = { status: 0, statusText: "", httpVersion: "", headers: [] };
  const r = httpRecordFrom(x, ID, "har");
  assert.equal(r.status_code, undefined);
  assert.deepEqual(r.tags, ["no-response"]);
  delete x.response;
  assert.deepEqual(httpRecordFrom(x, ID, "har").response_headers, []);
});

test("without a Host field the URL's host is used; records are JSON-safe", () => {
  const x = exchange("har");
  x.request.headers = [{ name: ":authority", value: "h2.example" }];
  assert.equal(httpRecordFrom(x, ID, "har").host, "h2.example");
  x.request.headers = [];
  const r = httpRecordFrom(x, ID, "har");
  assert.equal(r.host, "api.account.xiaomi.com");
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});
