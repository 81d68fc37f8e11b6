// Property tests: the generic detectors and the location detector never throw and always terminate on
// random bytes and on random identifier-ish text, and every hit is well formed.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { GenericHit, View } from "../../../src/detect/detect-types.ts";
import { detectGeneric } from "../../../src/detect/generic/generic-detector.ts";
import { LocationDetector } from "../../../src/detect/generic/location-detector.ts";
import { IDENTIFIER_KINDS } from "../../../src/model/finding.ts";

const enc = new TextEncoder();

/** Pieces that steer random text into the detectors' interesting paths. */
const PIECES = [
  "imei=",
  '"lat":',
  '"lng":',
  "lat=",
  "&lon=",
  "mac:",
  "gaid=",
  "android_id=",
  "msisdn=",
  "@",
  "%40",
  "+",
  "+86",
  ".",
  ",",
  ":",
  "-",
  "89",
  "35",
  "460",
  "0",
  "9",
  "a",
  "f",
  "z",
  ".com",
  " ",
  '"',
  "=",
  "-33.",
];
const textArb = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.stringMatching(/^[0-9a-f]{1,20}$/)), { maxLength: 60 })
  .map((a) => enc.encode(a.join("")));
const bytesArb = fc.uint8Array({ maxLength: 300 });
const keyArb = fc.option(
  fc.constantFrom("imei", "lat", "lng", "phone", "adid", "android_id", "mac", "ll", "x"),
  {
    nil: undefined,
  },
);

function check(h: GenericHit): void {
  assert.ok(IDENTIFIER_KINDS.includes(h.kind));
  assert.ok(h.confidence > 0 && h.confidence <= 1);
  assert.ok(h.value.length > 0 && h.reason.length > 0);
}

const viewOf = (data: Uint8Array, key: string | undefined, leaf: boolean): View => ({
  data,
  chain: [{ step: "http.body" }],
  key,
  field: key === undefined ? "raw" : `json:$.${key}`,
  leaf,
});

test("detectGeneric never throws on random bytes or identifier-ish text", () => {
  fc.assert(
    fc.property(fc.oneof(bytesArb, textArb), keyArb, fc.boolean(), (data, key, leaf) => {
      detectGeneric(viewOf(data, key, leaf), check, { homeCountry: "CN" });
    }),
    { numRuns: 10000 },
  );
});

test("LocationDetector never throws on random views", () => {
  const det = new LocationDetector([{ lat: -33.8688, lon: 151.2093, radius_m: 100000 }]);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.oneof(bytesArb, textArb), keyArb, fc.boolean()), { maxLength: 4 }),
      (views) => {
        for (const [data, key, leaf] of views) det.view(viewOf(data, key, leaf), check);
        det.flush(check);
      },
    ),
    { numRuns: 10000 },
  );
});
