// The first test of the 2014 example, as tshark reads it: the DNS answer for the API host points into a
// Xiaomi-registered range, and the clear HTTP requests to that address carry every value the profile lists
// (IMEI in the query string and JSON; carrier, phone number and IMSI in a form body; contact and SMS
// numbers in JSON), each answered by the server.

import assert from "node:assert/strict";
import { test } from "node:test";
import { EXAMPLE_FILES } from "../../examples/make-example.ts";
import { asnLineOf, countryOf, examplePath, plantedValues } from "../helpers/example-oracle.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";
import { tsharkFileFields } from "../helpers/tshark-file.ts";

const FILE = examplePath(EXAMPLE_FILES.before);
const API_HOST = "api.account.xiaomi.com";

/** The address the DNS answer gave for the API host. */
function apiAddress(file: string): string {
  const rows = tsharkFileFields(file, ["dns.qry.name", "dns.a"], { filter: "dns.flags.response == 1" });
  const row = rows.find((r) => r[0] === API_HOST);
  assert.ok(row, "a DNS answer for the API host");
  return row[1];
}

test("the DNS answer points into a range the ASN table gives to Xiaomi", { skip: NO_TSHARK }, () => {
  const ip = apiAddress(FILE);
  const row = asnLineOf(ip);
  assert.ok(row, ip);
  assert.match(row.org, /xiaomi/i);
  // Cross-border from the lab's home country whichever table is asked.
  assert.notEqual(countryOf(ip), plantedValues().homeCountry);
});

test("tshark finds every planted value in the clear HTTP requests, where the story put it", {
  skip: NO_TSHARK,
}, () => {
  const v = plantedValues();
  const ip = apiAddress(FILE);
  const rows = tsharkFileFields(
    FILE,
    [
      "ip.dst",
      "http.host",
      "http.request.method",
      "http.request.uri",
      "urlencoded-form.key",
      "urlencoded-form.value",
      "json.value.string",
    ],
    { filter: "http.request" },
  );
  assert.equal(rows.length, 3);
  for (const r of rows) assert.deepEqual(r.slice(0, 3), [ip, API_HOST, "POST"]);
  const [register, contacts, sms] = rows;
  assert.ok(new URLSearchParams(register[3].split("?")[1]).get("imei") === v.imei, register[3]);
  const form = new Map(register[4].split(",").map((k, i) => [k, register[5].split(",")[i]]));
  assert.equal(form.get("carrier"), v.carrier);
  assert.equal(form.get("phone"), v.phoneNational);
  assert.equal(form.get("imsi"), v.imsi);
  const contactJson = contacts[6].split(",");
  for (const x of [v.imei, v.phone, ...v.contactNames, ...v.contactPhones])
    assert.ok(contactJson.includes(x), x);
  const smsJson = sms[6].split(",");
  for (const x of [...v.smsNumbers, ...v.smsTexts]) assert.ok(smsJson.includes(x), x);
});

test("every request is answered 200 by the same address", { skip: NO_TSHARK }, () => {
  const ip = apiAddress(FILE);
  const rows = tsharkFileFields(FILE, ["ip.src", "http.response.code"], { filter: "http.response" });
  assert.deepEqual(rows, [
    [ip, "200"],
    [ip, "200"],
    [ip, "200"],
  ]);
});
