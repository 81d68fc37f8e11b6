// splitUrl / splitAuthority / headerValue: hand cases from RFC 3986, and the WHATWG URL parser as the
// oracle for scheme, host and port on generated URLs.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { HTTP_SOURCES, headerValue, splitAuthority, splitUrl } from "../../src/model/http-message.ts";

test("HTTP_SOURCES names the three transports", () => {
  assert.deepEqual([...HTTP_SOURCES], ["packet", "har", "proxy"]);
});

test("splitUrl keeps path and query as written and drops the fragment", () => {
  assert.deepEqual(splitUrl("https://Example.COM/a/../b%2f?q=1&x=/y#frag"), {
    scheme: "https",
    host: "example.com",
    port: 443,
    path: "/a/../b%2f?q=1&x=/y",
  });
  assert.deepEqual(splitUrl("http://h"), { scheme: "http", host: "h", port: 80, path: "/" });
  assert.deepEqual(splitUrl("http://h?x=1"), { scheme: "http", host: "h", port: 80, path: "/?x=1" });
});

test("splitUrl reads ports, userinfo and IPv6 literals (RFC 3986 §3.2)", () => {
  assert.deepEqual(splitUrl("http://user:pw@10.0.0.1:8080/p"), {
    scheme: "http",
    host: "10.0.0.1",
    port: 8080,
    path: "/p",
  });
  assert.deepEqual(splitUrl("https://[2001:DB8::1]:8443/"), {
    scheme: "https",
    host: "2001:db8::1",
    port: 8443,
    path: "/",
  });
  assert.deepEqual(splitUrl("wss://[::1]/s"), { scheme: "wss", host: "::1", port: 443, path: "/s" });
  assert.deepEqual(splitUrl("ftp://h/x"), { scheme: "ftp", host: "h", port: undefined, path: "/x" });
  assert.equal(splitUrl("http://h:99999/").port, 80, "an impossible port falls back to the default");
});

test("splitUrl on a request-target without scheme gives only the path", () => {
  assert.deepEqual(splitUrl("/a?b#c"), { path: "/a?b" });
  assert.deepEqual(splitUrl(""), { path: "/" });
});

test("splitAuthority", () => {
  assert.deepEqual(splitAuthority("Api.Example.com:8443"), { host: "api.example.com", port: 8443 });
  assert.deepEqual(splitAuthority("host"), { host: "host", port: undefined });
  assert.deepEqual(splitAuthority(""), { host: undefined, port: undefined });
  assert.deepEqual(splitAuthority("[fe80::1]"), { host: "fe80::1", port: undefined });
});

test("headerValue is case-insensitive and returns the first match", () => {
  const h = [
    { name: "Content-Type", value: "a" },
    { name: "content-type", value: "b" },
  ];
  assert.equal(headerValue(h, "CONTENT-TYPE"), "a");
  assert.equal(headerValue(h, "host"), undefined);
});

test("splitUrl agrees with the WHATWG URL parser on scheme, host and port", () => {
  const defaults: Record<string, number> = { http: 80, https: 443 };
  fc.assert(
    fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (u) => {
      const oracle = new URL(u);
      const scheme = oracle.protocol.slice(0, -1);
      const parts = splitUrl(u);
      assert.equal(parts.scheme, scheme);
      assert.equal(parts.host, oracle.hostname.replace(/^\[(.*)\]$/, "$1"));
      assert.equal(parts.port, oracle.port === "" ? defaults[scheme] : Number(oracle.port));
      assert.ok(parts.path.startsWith("/"));
    }),
    { numRuns: 10000 },
  );
});
