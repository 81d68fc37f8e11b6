import assert from "node:assert/strict";
import { test } from "node:test";
import { certHost, chooseHost, hostFromHeader } from "../../src/attribute/host-evidence.ts";

test("best evidence first: HTTP Host, then SNI, then DNS, then certificate, then the IP", () => {
  const ev = { http: "h.example", sni: "s.example", cert: "c.example" };
  assert.deepEqual(chooseHost("1.2.3.4", ev, ["d.example"]), { host: "h.example", source: "http" });
  assert.deepEqual(chooseHost("1.2.3.4", { ...ev, http: undefined }, ["d.example"]), {
    host: "s.example",
    source: "sni",
  });
  assert.deepEqual(chooseHost("1.2.3.4", { cert: "c.example" }, ["d.example"]), {
    host: "d.example",
    source: "dns",
  });
  assert.deepEqual(chooseHost("1.2.3.4", { cert: "c.example" }, []), { host: "c.example", source: "cert" });
  assert.deepEqual(chooseHost("1.2.3.4", undefined, []), { host: "1.2.3.4", source: "ip" });
});

test("Host header values: port, case and trailing dot dropped; IP literals are not names", () => {
  assert.equal(hostFromHeader("API.Example.com:8080", "1.2.3.4"), "api.example.com");
  assert.equal(hostFromHeader("example.org.", "1.2.3.4"), "example.org");
  assert.equal(hostFromHeader("1.2.3.4:80", "1.2.3.4"), undefined);
  assert.equal(hostFromHeader("[2001:db8::1]:443", "2001:db8::1"), undefined);
  assert.equal(hostFromHeader("  ", "1.2.3.4"), undefined);
});

test("certificate names: a wildcard's base, SAN before CN, never an IP", () => {
  assert.equal(certHost("cn.example", ["*.cdn.example"]), "cdn.example");
  assert.equal(certHost("cn.example", undefined), "cn.example");
  assert.equal(certHost("10.0.0.1", ["192.168.0.1"]), undefined);
});
