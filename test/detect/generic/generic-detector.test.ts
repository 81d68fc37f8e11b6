// Generic detectors: planted identifiers in realistic payload text are found with the right kind, and the
// usual decoys (non-Luhn numbers, timestamps, random hex, version strings, bad MCCs...) are not reported.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { GenericHit, View } from "../../../src/detect/detect-types.ts";
import { detectGeneric } from "../../../src/detect/generic/generic-detector.ts";

const enc = new TextEncoder();

/** Luhn check digit, written here independently of the code under test. */
function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let v = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
  }
  return String((10 - (sum % 10)) % 10);
}
const withLuhn = (body: string): string => body + luhnDigit(body);
const breakLuhn = (v: string): string => v.slice(0, -1) + String((Number(v.at(-1)) + 1) % 10);

const IMEI = withLuhn("35693803564380"); // TAC reporting body 35 (BABT)
const IMEI_86 = withLuhn("86012345678901");
const ICCID = withLuhn("898600123456789012"); // 19 digits, 89 86 (China)
const IMSI = "460001234567890"; // MCC 460 (China)
const AAID = "38400000-8cf0-11bd-b23e-10b96e40000d";
const ANDROID_ID = "9774d56d682e549c";

function run(view: View, ctx?: { homeCountry?: string }): GenericHit[] {
  const out: GenericHit[] = [];
  detectGeneric(view, (h) => out.push(h), ctx);
  return out;
}
const raw = (text: string): GenericHit[] =>
  run({ data: enc.encode(text), chain: [{ step: "http.body" }], field: "raw", leaf: false });
const leaf = (key: string, value: string, ctx?: { homeCountry?: string }): GenericHit[] =>
  run(
    {
      data: enc.encode(value),
      chain: [{ step: "http.body" }, { step: "json", at: `$.${key}` }],
      key,
      field: `json:$.${key}`,
      leaf: true,
    },
    ctx,
  );
const found = (hits: GenericHit[]): string[] => hits.map((h) => `${h.kind}=${h.value}`).sort();

test("IMEI under an IMEI key: JSON leaf, query text, JSON text", () => {
  assert.deepEqual(found(leaf("imei", IMEI)), [`imei=${IMEI}`]);
  assert.deepEqual(found(raw(`GET /r?imei=${IMEI}&v=2`)), [`imei=${IMEI}`]);
  assert.deepEqual(found(raw(`{"deviceImei": "${IMEI_86}"}`)), [`imei=${IMEI_86}`]);
  assert.deepEqual(found(raw(`<imei>${IMEI}</imei>`)), [`imei=${IMEI}`]);
});

test("IMEI confidence is higher under an imei key than under a device-id key", () => {
  const strong = leaf("imei", IMEI)[0];
  const weak = leaf("device_id", IMEI).find((h) => h.kind === "imei");
  assert.ok(weak !== undefined && strong.confidence > weak.confidence);
  assert.ok(strong.confidence > 0 && strong.confidence <= 1);
});

test("IMEI decoys: non-Luhn, bare 15-digit numbers, implausible TAC", () => {
  assert.deepEqual(raw(`imei=${breakLuhn(IMEI)}`), []);
  assert.deepEqual(raw(`order ${IMEI} placed`), []); // Luhn-valid but no key
  assert.deepEqual(raw(`{"ts":${withLuhn("17000000000001")}}`), []); // timestamp-like, no key
  assert.deepEqual(raw(`imei=${withLuhn("00123456789012")}`), []); // test-IMEI body 00
});

test("IMSI with a real MCC under an imsi key; invalid MCC and no key are not reported", () => {
  assert.deepEqual(found(leaf("imsi", IMSI)), [`imsi=${IMSI}`]);
  assert.deepEqual(found(raw(`subscriberId=${IMSI}`)), [`imsi=${IMSI}`]);
  assert.deepEqual(raw("imsi=999001234567890"), []);
  assert.deepEqual(raw("imsi=123456789012345"), []);
  assert.deepEqual(raw(`x=${IMSI}`), []);
});

test("ICCID: 19-20 digits starting 89 with Luhn; stronger with a key", () => {
  const bare = raw(`sim ${ICCID} ok`);
  assert.deepEqual(found(bare), [`iccid=${ICCID}`]);
  const keyed = leaf("iccid", ICCID);
  assert.ok(keyed[0].confidence > bare[0].confidence);
  const twenty = withLuhn("8944123456789012345");
  assert.deepEqual(found(raw(`iccid=${twenty}`)), [`iccid=${twenty}`]);
  assert.deepEqual(raw(`iccid=${breakLuhn(ICCID)}`), []);
  assert.deepEqual(raw(`n=${withLuhn("770012345678901234")}`), []); // does not start 89
});

test("MAC addresses: colon and dash forms anywhere, bare hex only under a MAC key", () => {
  assert.deepEqual(found(raw("wifi=3c:5a:b4:12:34:56;")), ["mac=3c:5a:b4:12:34:56"]);
  assert.deepEqual(found(raw("bt 3C-5A-B4-12-34-58 on")), ["mac=3C-5A-B4-12-34-58"]);
  assert.deepEqual(found(leaf("wifi_mac", "3c5ab4123456")), ["mac=3c5ab4123456"]);
  assert.deepEqual(raw("id=3c5ab4123456"), []);
  assert.deepEqual(raw("mac=00:00:00:00:00:00 bssid=ff:ff:ff:ff:ff:ff"), []);
  assert.deepEqual(raw("mcast 01:00:5e:00:00:fb"), []);
  assert.deepEqual(raw("addr fe80::3c5a:b4ff:fe12:3456 and 12:34:56:78:9a:bc:de"), []);
  assert.deepEqual(raw("version 1.2.3.4 build 10.0.19041.1"), []);
});

test("emails with a TLD, URL-encoded too; no TLD or file names are not reported", () => {
  assert.deepEqual(found(raw('{"account":"li.wei+x@example.com.cn"}')), ["email=li.wei+x@example.com.cn"]);
  assert.deepEqual(found(raw("u=zhang%40mail.example.org&p=1")), ["email=zhang@mail.example.org"]);
  assert.deepEqual(raw("root@localhost and user@host"), []);
  assert.deepEqual(raw("img/icon@2x.png"), []);
  assert.ok(leaf("email", "a.b@example.net")[0].confidence > raw("to a.b@example.net")[0].confidence);
});

test("phone numbers: leading + in text, or a phone-like key; validity checked", () => {
  assert.deepEqual(found(raw("call +86 138 0013 8000 now")), ["phone_number=+8613800138000"]);
  assert.deepEqual(found(raw("tel=+14155552671&x=1")), ["phone_number=+14155552671"]);
  assert.deepEqual(found(leaf("msisdn", "8613800138000")), ["phone_number=+8613800138000"]);
  assert.deepEqual(found(leaf("phone", "138 0013 8000", { homeCountry: "CN" })), [
    "phone_number=+8613800138000",
  ]);
  assert.deepEqual(found(raw("msisdn=447911123456")), ["phone_number=+447911123456"]);
  assert.deepEqual(raw("count 13800138000 items"), []); // no key, no +
  assert.deepEqual(raw("code +123456789"), []); // invalid
  assert.deepEqual(raw("q=a+13800138000"), []); // form-encoded space, not a +
});

test("advertising IDs: UUIDs under ad-ID keys only, not the all-zero opt-out value", () => {
  assert.deepEqual(found(leaf("gaid", AAID)), [`aaid=${AAID}`]);
  assert.deepEqual(found(raw(`{"advertising_id":"${AAID}"}`)), [`aaid=${AAID}`]);
  assert.deepEqual(raw(`{"request_id":"${AAID}"}`), []);
  assert.deepEqual(leaf("adid", "00000000-0000-0000-0000-000000000000"), []);
});

test("Android IDs: 16 hex under device-ID keys; random hex without key is not reported", () => {
  assert.deepEqual(found(leaf("android_id", ANDROID_ID)), [`android_id=${ANDROID_ID}`]);
  assert.deepEqual(found(raw(`ssaid=${ANDROID_ID}&a=1`)), [`android_id=${ANDROID_ID}`]);
  assert.deepEqual(raw(`token=${ANDROID_ID}`), []);
  assert.deepEqual(raw(`etag "${ANDROID_ID}0a1b2c3d4e5f6a7b"`), []);
  assert.deepEqual(leaf("android_id", "0000000000000000"), []);
});

test("GPS pairs: keyed numbers, lat,lon values, sibling leaves; (0,0) and lists are not", () => {
  const k = raw('{"lat":39.904211,"lng":116.407395,"acc":12}');
  assert.deepEqual(found(k), ["location=39.904211,116.407395"]);
  assert.equal(k[0].precision, 6);
  assert.deepEqual(found(raw("&lng=-0.1276&lat=51.5072")), ["location=51.5072,-0.1276"]);
  assert.deepEqual(found(raw("pos 48.8584,2.2945 end")), ["location=48.8584,2.2945"]);
  assert.deepEqual(found(leaf("location", "35.6586,139.7454")), ["location=35.6586,139.7454"]);
  assert.deepEqual(leaf("latitude", "-33.8688"), []);
  assert.deepEqual(found(leaf("longitude", "151.2093")), ["location=-33.8688,151.2093"]);
  assert.deepEqual(raw('{"lat":0.0,"lng":0.0} 0.000,0.000'), []);
  assert.deepEqual(raw("[1.234,2.345,3.456]"), []);
  assert.deepEqual(raw("pos 48.85,2.29"), []); // bare pair needs 3 decimals
  assert.deepEqual(raw('{"x":12.345,"y":67.891}'), []);
  assert.deepEqual(raw("lat=95.1234&lon=10.1234"), []); // out of range
});

test("empty and tiny views report nothing", () => {
  assert.deepEqual(raw(""), []);
  assert.deepEqual(leaf("imei", ""), []);
  assert.deepEqual(raw("@"), []);
  assert.deepEqual(raw("+"), []);
});
