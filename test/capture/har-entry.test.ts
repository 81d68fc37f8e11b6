// One HAR entry → one exchange, on hand-written entries whose expected values are planted in them.

import assert from "node:assert/strict";
import { test } from "node:test";
import { harEntryToExchange } from "../../src/capture/har-entry.ts";
import type { WeirdRecord } from "../../src/model/weird.ts";

type Weird = Omit<WeirdRecord, "type">;

function convert(entry: unknown, maxBodyBytes = 1024, index = 1) {
  const weirds: Weird[] = [];
  const x = harEntryToExchange(entry, index, { maxBodyBytes, weird: (w) => weirds.push(w) });
  return { x, weirds, names: weirds.map((w) => w.name) };
}

const text = (b: Uint8Array | undefined): string | undefined =>
  b ? Buffer.from(b).toString("utf8") : undefined;

const full = {
  pageref: "page_1",
  startedDateTime: "2014-08-12T10:00:00.250+08:00",
  time: 50,
  _resourceType: "xhr",
  serverIPAddress: "[2001:db8::5]",
  connection: 4711,
  request: {
    method: "POST",
    url: "http://api.account.example.cn:8080/pass/reg?imsi=460001234567890#top",
    httpVersion: "HTTP/1.1",
    headers: [
      { name: "Host", value: "api.account.example.cn:8080" },
      { name: "Content-Type", value: "application/json" },
    ],
    cookies: [{ name: "sid", value: "abc" }],
    postData: { mimeType: "application/json", text: '{"imei":"861234567890123"}' },
  },
  response: {
    status: 200,
    statusText: "OK",
    httpVersion: "HTTP/1.1",
    headers: [{ name: "Content-Encoding", value: "gzip" }],
    content: { size: 3, mimeType: "image/png", text: "AAEC", encoding: "base64" },
    _transferSize: 321,
  },
  timings: { blocked: 1, dns: 2, connect: 3, ssl: -1, send: 4, wait: 40, receive: 0 },
};

test("a complete entry: every field lands where it belongs", () => {
  const { x, weirds } = convert(full, 1024, 7);
  assert.deepEqual(weirds, []);
  assert.ok(x);
  assert.equal(x.index, 7);
  assert.equal(x.source, "har");
  const r = x.request;
  assert.equal(r.method, "POST");
  assert.equal(r.url, full.request.url);
  assert.equal(r.scheme, "http");
  assert.equal(r.host, "api.account.example.cn");
  assert.equal(r.port, 8080);
  assert.equal(r.path, "/pass/reg?imsi=460001234567890");
  assert.equal(r.httpVersion, "HTTP/1.1");
  assert.deepEqual(r.headers, full.request.headers);
  assert.deepEqual(r.cookies, [{ name: "sid", value: "abc" }]);
  assert.equal(text(r.body), '{"imei":"861234567890123"}');
  assert.equal(r.contentType, "application/json");
  assert.equal(r.ts, Date.parse("2014-08-12T02:00:00.250Z") / 1000);
  const s = x.response!;
  assert.equal(s.status, 200);
  assert.equal(s.statusText, "OK");
  assert.deepEqual([...s.body!], [0, 1, 2]);
  assert.equal(s.contentDecoded, true);
  assert.equal(s.contentType, "image/png");
  // First byte after blocked + dns + connect + send + wait = 50 ms.
  assert.ok(Math.abs(s.ts! - (r.ts + 0.05)) < 1e-9);
  assert.equal(x.serverIp, "2001:db8::5");
  assert.equal(x.connectionId, "4711");
  assert.equal(x.resourceType, "xhr");
  assert.equal(x.transferSize, 321);
  assert.equal(x.pageref, "page_1");
  assert.deepEqual(x.timings, { blocked: 1, dns: 2, connect: 3, send: 4, wait: 40, receive: 0, total: 50 });
});

test("postData.params without text become a urlencoded form", () => {
  const entry = {
    startedDateTime: "2020-01-01T00:00:00Z",
    request: {
      method: "POST",
      url: "http://h/f",
      headers: [],
      postData: {
        mimeType: "multipart/form-data",
        params: [
          { name: "phone", value: "+86 138 0013 8000" },
          { name: "sms", value: "a&b" },
        ],
      },
    },
  };
  const { x, weirds } = convert(entry);
  assert.deepEqual(weirds, []);
  assert.equal(text(x!.request.body), "phone=%2B86+138+0013+8000&sms=a%26b");
  assert.equal(x!.request.contentType, "application/x-www-form-urlencoded");
});

test("postData text marked base64 is decoded", () => {
  const entry = {
    startedDateTime: "2020-01-01T00:00:00Z",
    request: {
      method: "PUT",
      url: "http://h/",
      postData: { mimeType: "x", text: "/wA=", encoding: "base64" },
    },
  };
  assert.deepEqual([...convert(entry).x!.request.body!], [255, 0]);
});

test("a minimal entry: missing optional fields are defaults, not errors", () => {
  const { x, names } = convert({ request: { url: "https://h.example/" } });
  assert.ok(x);
  assert.equal(x.request.method, "");
  assert.equal(x.request.httpVersion, "");
  assert.deepEqual(x.request.headers, []);
  assert.equal(x.request.ts, 0);
  assert.equal(x.request.body, undefined);
  assert.equal(x.response, undefined);
  assert.equal(x.timings, undefined);
  assert.deepEqual(names, ["har_bad_timestamp", "har_bad_field"]);
});

test("a response without content.text has no body", () => {
  const entry = {
    ...full,
    response: { status: 304, headers: [], content: { size: 10, mimeType: "text/html" } },
  };
  const s = convert(entry).x!.response!;
  assert.equal(s.status, 304);
  assert.equal(s.body, undefined);
  assert.equal(s.contentDecoded, undefined);
  assert.equal(s.statusText, "");
});

test("bad entries are skipped with har_bad_entry naming the entry", () => {
  for (const [entry, why] of [
    [null, "not an object"],
    [[], "not an object"],
    [{}, "no request"],
    [{ request: { method: "GET" } }, "no request.url"],
    [{ request: { url: "  " } }, "no request.url"],
  ] as const) {
    const { x, weirds } = convert(entry, 1024, 12);
    assert.equal(x, undefined);
    assert.deepEqual(weirds, [{ ts: 0, name: "har_bad_entry", detail: `entry 12: ${why}` }]);
  }
});

test("a body above the bound is cut, flagged and reported", () => {
  const big = "x".repeat(100);
  const request = { method: "GET", url: "http://h/" };
  const entry = { ...full, request, response: { status: 200, headers: [], content: { text: big } } };
  const { x, weirds } = convert(entry, 10, 3);
  assert.equal(text(x!.response!.body), "x".repeat(10));
  assert.equal(x!.response!.bodyTruncated, true);
  assert.deepEqual(
    weirds.map((w) => [w.name, w.detail]),
    [["har_body_truncated", "entry 3: response body cut at 10 bytes"]],
  );
});

test("a relative URL takes its server from Host or :authority", () => {
  const entry = {
    startedDateTime: "2020-01-01T00:00:00Z",
    request: {
      method: "GET",
      url: "/x?y",
      headers: [
        { name: ":scheme", value: "https" },
        { name: ":authority", value: "Push.Example.com:5223" },
      ],
    },
  };
  const r = convert(entry).x!.request;
  assert.deepEqual([r.scheme, r.host, r.port, r.path], ["https", "push.example.com", 5223, "/x?y"]);
});

test("data: and blob: URLs are not network traffic: skipped with a weird", () => {
  const { x, names } = convert({
    startedDateTime: "2020-01-01T00:00:00Z",
    request: { url: "data:image/png;base64,AA" },
  });
  assert.equal(x, undefined);
  assert.deepEqual(names, ["har_non_network_url"]);
});

test("wrongly typed fields become weirds, never exceptions", () => {
  const entry = {
    startedDateTime: 5,
    request: { method: 1, url: "http://h/", headers: "Host: h", postData: { params: [{ value: 1 }] } },
    response: { status: "abc", headers: [{ name: 3 }], content: { text: "%%%", encoding: "base64" } },
    timings: "fast",
    connection: { id: 1 },
  };
  const { x, names } = convert(entry);
  assert.ok(x);
  assert.equal(x.response!.status, 0);
  assert.deepEqual(names.sort(), [
    "har_bad_base64",
    "har_bad_field",
    "har_bad_field",
    "har_bad_field",
    "har_bad_field",
    "har_bad_field",
    "har_bad_timestamp",
  ]);
  assert.equal(x.connectionId, undefined);
});

test("status given as a numeric string is read", () => {
  const entry = { ...full, response: { status: "404", headers: [] } };
  assert.equal(convert(entry).x!.response!.status, 404);
});
