// The idle Redmi Note: DNS over UDP/53 to CNNIC's resolver, a TLS connection to a CNNIC address that no
// DNS answer led to, and ordinary Google endpoints; the registries confirm who holds each address, and no
// profile value appears anywhere in the file.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { EXAMPLE_FILES } from "../../examples/make-example.ts";
import { asnLineOf, countryOf, examplePath, plantedValues } from "../helpers/example-oracle.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";
import { tsharkFileFields } from "../helpers/tshark-file.ts";

const FILE = examplePath(EXAMPLE_FILES.idle);
const CNNIC = /China Internet Network Info/i;

test("DNS goes to a CNNIC resolver; a TLS connection goes to a CNNIC address no answer named", {
  skip: NO_TSHARK,
}, () => {
  const dns = tsharkFileFields(FILE, ["ip.dst", "udp.dstport"], { filter: "dns.flags.response == 0" });
  assert.ok(dns.length >= 2);
  const resolver = dns[0][0];
  for (const r of dns) assert.deepEqual(r, [resolver, "53"]);
  const hellos = tsharkFileFields(FILE, ["ip.dst", "tcp.dstport", "tls.handshake.extensions_server_name"], {
    filter: "tls.handshake.type == 1",
  });
  assert.equal(hellos.length, 1);
  const [tlsAddr, port, sni] = hellos[0];
  assert.equal(port, "443");
  assert.equal(sni ?? "", "", "dialled by address: no SNI");
  const answered = tsharkFileFields(FILE, ["dns.a"], { filter: "dns.flags.response == 1" }).flatMap((r) =>
    r[0].split(","),
  );
  assert.ok(!answered.includes(tlsAddr), "no DNS answer led to the CNNIC address");
  for (const ip of [resolver, tlsAddr]) {
    assert.match(asnLineOf(ip)?.org ?? "", CNNIC, ip);
    assert.equal(countryOf(ip), "CN", ip);
  }
});

test("the ordinary endpoints are Google's: connectivity check answered 204, and NTP", {
  skip: NO_TSHARK,
}, () => {
  const check = tsharkFileFields(FILE, ["ip.dst", "http.host", "http.request.uri"], {
    filter: "http.request",
  });
  assert.equal(check.length, 1);
  assert.equal(check[0][2], "/generate_204");
  const code = tsharkFileFields(FILE, ["http.response.code"], { filter: "http.response" });
  assert.deepEqual(code, [["204"]]);
  const ntp = tsharkFileFields(FILE, ["ip.dst"], { filter: "ntp.flags.mode == 3" });
  assert.equal(ntp.length, 1);
  for (const ip of [check[0][0], ntp[0][0]]) assert.match(asnLineOf(ip)?.org ?? "", /google/i, ip);
});

test("no profile value appears anywhere in the idle capture", () => {
  const v = plantedValues();
  const raw = readFileSync(FILE).toString("latin1");
  for (const x of [
    v.imei,
    v.imsi,
    v.phone,
    v.phoneNational,
    v.carrier,
    ...v.contactPhones,
    ...v.smsNumbers,
  ]) {
    assert.ok(!raw.includes(x), x);
  }
});
