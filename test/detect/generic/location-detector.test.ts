// Profile location detector: points placed at known distances from a profile place (computed here with
// spherical formulas independent of the code), rounded to 1..8 decimals and sent in the three supported
// shapes, are reported iff the rounded point lies within the radius plus the rounding cell's half-diagonal.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { GenericHit, View } from "../../../src/detect/detect-types.ts";
import { LocationDetector } from "../../../src/detect/generic/location-detector.ts";

const enc = new TextEncoder();
const R = 6371008.8;
const rad = (d: number): number => (d * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;

/** Distance by the atan2 form of the haversine (a different formulation from the code's asin form). */
function distance(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const a =
    Math.sin(rad(lat2 - lat1) / 2) ** 2 +
    Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * R * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

/** Destination point from a start, bearing and distance on a sphere. */
function destination(lat: number, lon: number, bearingDeg: number, meters: number): [number, number] {
  const d = meters / R;
  const b = rad(bearingDeg);
  const la = Math.asin(Math.sin(rad(lat)) * Math.cos(d) + Math.cos(rad(lat)) * Math.sin(d) * Math.cos(b));
  const lo =
    rad(lon) +
    Math.atan2(
      Math.sin(b) * Math.sin(d) * Math.cos(rad(lat)),
      Math.cos(d) - Math.sin(rad(lat)) * Math.sin(la),
    );
  return [deg(la), deg(lo)];
}

/** Largest distance from a rounded point to a corner of its rounding cell. */
function cellHalfDiagonal(lat: number, lon: number, p: number): number {
  const h = 0.5 * 10 ** -p;
  return Math.max(...[-h, h].flatMap((a) => [-h, h].map((b) => distance(lat, lon, lat + a, lon + b))));
}

const HOME = { lat: 39.9042, lon: 116.4074, radius_m: 500 };

type Shape = "siblings" | "value" | "text";

function send(det: LocationDetector, shape: Shape, lat: string, lon: string): GenericHit[] {
  const out: GenericHit[] = [];
  const emit = (h: GenericHit): void => {
    out.push(h);
  };
  const chain = [{ step: "http.body" }];
  const v = (data: string, key: string | undefined, field: string, leaf: boolean): View => ({
    data: enc.encode(data),
    chain,
    key,
    field,
    leaf,
  });
  if (shape === "siblings") {
    det.view(v(lat, "latitude", "json:$.gps.latitude", true), emit);
    det.view(v(lon, "longitude", "json:$.gps.longitude", true), emit);
  } else if (shape === "value") {
    det.view(v(`${lat},${lon}`, "ll", "query:ll", true), emit);
  } else {
    det.view(v(`{"gps":{"lat":${lat},"lng":${lon}}}`, undefined, "raw", false), emit);
  }
  det.flush(emit);
  return out;
}

test("points inside/outside the radius at 1..8 decimals, in every shape", () => {
  let checked = 0;
  for (let p = 1; p <= 8; p++) {
    const cell = cellHalfDiagonal(HOME.lat, HOME.lon, p);
    const cases: [number, number][] = [
      [45, 200],
      [200, 3 * (HOME.radius_m + cell) + 1000],
    ];
    for (const [bearing, meters] of cases) {
      const [la, lo] = destination(HOME.lat, HOME.lon, bearing, meters);
      const lat = la.toFixed(p);
      const lon = lo.toFixed(p);
      const dist = distance(Number(lat), Number(lon), HOME.lat, HOME.lon);
      const limit = HOME.radius_m + cellHalfDiagonal(Number(lat), Number(lon), p);
      if (Math.abs(dist - limit) < 0.02 * limit) continue; // too close to the edge to be a fair oracle
      const expected = dist <= limit;
      assert.equal(expected, meters === 200, `oracle sanity at ${p} decimals`);
      for (const shape of ["siblings", "value", "text"] as const) {
        const hits = send(new LocationDetector([HOME]), shape, lat, lon);
        assert.equal(hits.length, expected ? 1 : 0, `${shape} ${lat},${lon} (${dist.toFixed(0)} m)`);
        if (expected) {
          assert.equal(hits[0].kind, "location");
          assert.equal(hits[0].precision, p);
          assert.equal(hits[0].value, `${lat},${lon}`);
        }
        checked++;
      }
    }
  }
  assert.ok(checked >= 40);
});

test("fine precision honours a tight radius (8 decimals, 50 m: 45 m in, 55 m out)", () => {
  const place = { lat: -33.8688, lon: 151.2093, radius_m: 50 };
  for (const [meters, inside] of [
    [45, true],
    [55, false],
  ] as const) {
    const [la, lo] = destination(place.lat, place.lon, 120, meters);
    const lat = la.toFixed(8);
    const lon = lo.toFixed(8);
    assert.equal(distance(Number(lat), Number(lon), place.lat, place.lon) <= 50, inside);
    assert.equal(send(new LocationDetector([place]), "siblings", lat, lon).length, inside ? 1 : 0);
  }
});

test("the nearest of several places is named; longitude first also pairs", () => {
  const paris = { lat: 48.8584, lon: 2.2945, radius_m: 300 };
  const det = new LocationDetector([HOME, paris]);
  const out: GenericHit[] = [];
  const v = (data: string, key: string): View => ({
    data: enc.encode(data),
    chain: [],
    key,
    field: `form:${key}`,
    leaf: true,
  });
  det.view(v("2.2950", "lng"), (h) => out.push(h));
  det.view(v("48.8586", "lat"), (h) => out.push(h));
  assert.equal(out.length, 1);
  assert.match(out[0].reason, /location 2/);
  assert.equal(out[0].value, "48.8586,2.2950");
});

test("siblings must share a parent; flush drops waiting leaves", () => {
  const det = new LocationDetector([HOME]);
  const out: GenericHit[] = [];
  const emit = (h: GenericHit): void => {
    out.push(h);
  };
  const v = (data: string, key: string, field: string): View => ({
    data: enc.encode(data),
    chain: [],
    key,
    field,
    leaf: true,
  });
  det.view(v("39.9043", "lat", "json:$.a.lat"), emit);
  det.view(v("116.4075", "lng", "json:$.b.lng"), emit);
  assert.equal(out.length, 0);
  det.flush(emit);
  det.view(v("116.4075", "lng", "json:$.a.lng"), emit);
  assert.equal(out.length, 0);
});

test("(0,0), whole degrees, and empty profiles report nothing", () => {
  assert.deepEqual(
    send(new LocationDetector([{ lat: 0.001, lon: 0.001, radius_m: 1000 }]), "text", "0.0", "0.0"),
    [],
  );
  assert.deepEqual(send(new LocationDetector([HOME]), "value", "40", "116"), []);
  assert.deepEqual(send(new LocationDetector([]), "value", "39.9042", "116.4074"), []);
});
