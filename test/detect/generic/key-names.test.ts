// Key-name dictionary and data files: keys are normalised, short names match only exactly, and the data
// files hold what their comments promise (real MCCs, plausible TACs).

import assert from "node:assert/strict";
import { test } from "node:test";
import { isPlausibleTac, isRealMcc, luhnValid, mccCountry } from "../../../src/detect/generic/id-tables.ts";
import {
  hintAxis,
  hintWeight,
  keyBefore,
  lookupKey,
  normaliseKey,
} from "../../../src/detect/generic/key-names.ts";

const enc = new TextEncoder();

test("keys are normalised: case, underscores and dashes do not matter", () => {
  assert.equal(normaliseKey("Device-ID"), "deviceid");
  for (const k of ["imei", "IMEI", "X-Device-IMEI", "device_imei"])
    assert.equal(hintWeight(lookupKey(k), "imei"), 1, k);
  assert.ok(hintWeight(lookupKey("deviceId"), "imei") > 0);
  assert.ok(hintWeight(lookupKey("deviceId"), "imei") < 1);
});

test("short names match only exactly (no `lat` in `platform`, no `mac` in `machine`)", () => {
  assert.equal(hintAxis(lookupKey("lat")), "lat");
  assert.equal(hintAxis(lookupKey("gps_latitude")), "lat");
  assert.equal(hintAxis(lookupKey("lng")), "lon");
  assert.equal(hintAxis(lookupKey("platform")), undefined);
  assert.equal(hintWeight(lookupKey("machine"), "mac"), 0);
  assert.equal(hintWeight(lookupKey("wifi_mac"), "mac"), 1);
  assert.equal(lookupKey("").length, 0);
});

test("keyBefore reads JSON, query and XML keys", () => {
  const at = (s: string, v: string): string | undefined => keyBefore(enc.encode(s), s.indexOf(v));
  assert.equal(at('{"imei": "123"}', "123"), "imei");
  assert.equal(at("a=1&msisdn=123", "123"), "msisdn");
  assert.equal(at("<iccid>123</iccid>", "123"), "iccid");
  assert.equal(at(",123", "123"), undefined);
  assert.equal(at("123", "123"), undefined);
});

test("MCC and TAC tables hold well-known codes", () => {
  const d = enc.encode("460234262310404999001");
  assert.ok(isRealMcc(d, 0)); // 460 China
  assert.ok(isRealMcc(d, 6)); // 262 Germany
  assert.ok(isRealMcc(d, 9)); // 310 USA
  assert.ok(!isRealMcc(d, 15)); // 999
  assert.ok(!isRealMcc(d, 18)); // 001 test network
  assert.equal(mccCountry("234"), "GB");
  assert.equal(mccCountry("440"), "JP");
  const t = enc.encode("358601009900");
  assert.ok(isPlausibleTac(t, 0) && isPlausibleTac(t, 2) && isPlausibleTac(t, 4));
  assert.ok(!isPlausibleTac(t, 10)); // 00: test IMEIs
});

test("Luhn: the classic example number 79927398713 is valid, a changed digit is not", () => {
  assert.ok(luhnValid(enc.encode("79927398713"), 0, 11));
  assert.ok(!luhnValid(enc.encode("79927398710"), 0, 11));
});
