// The detector engine: payload layers → views → needle and generic findings, with their chains, masking and
// streaming across chunks; and the property that any profile value planted in a random payload under a random
// chain of up to 3 transforms is found with exactly that chain (expected chain built by the test as it encodes).

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import type { PayloadChunk } from "../../src/decode/stream-decoder.ts";
import { Detector } from "../../src/detect/detector.ts";
import { parseProfile } from "../../src/detect/profile/profile-load.ts";
import { needlesFromProfile } from "../../src/detect/variants/needles.ts";
import type { ConnId } from "../../src/model/conn.ts";
import type { FindingRecord } from "../../src/model/finding.ts";
import { PLANTED_PROFILE } from "./planted-capture.ts";

const profile = parseProfile(JSON.stringify(PLANTED_PROFILE), "planted.json");
const needles = needlesFromProfile(profile);
const P = PLANTED_PROFILE;

const conn = (uid: string): ConnId => ({
  ts: 1,
  uid,
  community_id: "1:x",
  orig_h: "10.0.0.2",
  orig_p: 40000,
  resp_h: "203.0.113.9",
  resp_p: 80,
});
const chunk = (uid: string, layer: string, data: Uint8Array | string, frame = 1): PayloadChunk => ({
  uid,
  layer,
  data: typeof data === "string" ? Buffer.from(data) : data,
  fromOrig: true,
  ts: 1,
  frame,
  index: 1,
});

function detector(reveal = true, generic = false) {
  const found: FindingRecord[] = [];
  const d = new Detector({ needles, reveal, generic, onFinding: (f) => found.push(f) });
  return { d, found };
}

describe("Detector engine", () => {
  test("a header value is its own field, with the header's name in the chain", () => {
    const { d, found } = detector();
    const head = `Host: a.example\r\nX-Token: ${Buffer.from(P.imei).toString("base64")}\r\n`;
    d.payload(chunk("C1", "http.header", head), conn("C1"));
    const f = found.find((x) => x.field === "header:X-Token");
    assert.deepEqual(f?.chain, ["http.header X-Token", "base64"]);
    assert.equal(f?.kind, "imei");
    assert.equal(f?.host, "a.example");
  });

  test("a raw stream value split across two chunks is found, at the frame that completed it", () => {
    const { d, found } = detector();
    const text = `<x id='${P.imsi}'/>`;
    const cut = text.indexOf(P.imsi) + 6;
    d.payload(chunk("C2", "raw.stream", text.slice(0, cut), 10), conn("C2"));
    d.payload(chunk("C2", "raw.stream", text.slice(cut), 11), conn("C2"));
    const f = found.find((x) => x.kind === "imsi");
    assert.deepEqual(f?.chain, ["raw.stream"]);
    assert.deepEqual(f?.frames, [11, 11]);
  });

  test("values are masked unless revealed, and a URL's query values are masked with them", () => {
    for (const reveal of [false, true]) {
      const { d, found } = detector(reveal);
      d.payload(chunk("C3", "http.uri", `/r/${P.serial}?imei=${P.imei}`), conn("C3"));
      const f = found.find((x) => x.kind === "imei")!;
      assert.equal(f.value_masked === P.imei, reveal);
      assert.equal(JSON.stringify(found).includes(P.imei), reveal);
      assert.equal(JSON.stringify(found).includes(P.serial), reveal);
    }
  });

  test("a finding is reported once per message and chain; a connection's memory of it ends with it", () => {
    const { d, found } = detector();
    const body = `{"a":"${P.imsi}"}`;
    d.payload(chunk("C7", "http.body", body), conn("C7"));
    d.payload(chunk("C7", "http.body", body), conn("C7"));
    d.payload(chunk("C8", "http.body", body), conn("C8"));
    assert.deepEqual(
      found.filter((f) => f.kind === "imsi").map((f) => f.uid),
      ["C7", "C8"],
    );
    d.endConnection("C7");
    d.payload(chunk("C7", "http.body", body), conn("C7"));
    assert.equal(found.filter((f) => f.kind === "imsi" && f.uid === "C7").length, 2);
  });

  test("no profile finding in text without profile values", () => {
    const { d, found } = detector();
    d.payload(chunk("C4", "http.body", '{"order":"123456789012345","friend":"+4915112345678"}'), conn("C4"));
    assert.deepEqual(found, []);
  });
});

// ---- property: random chains of transforms ----

/** Transforms the property applies, innermost first; `kind` is what the output is (text or bytes). */
type Transform = "gzip" | "base64" | "hex" | "json" | "form" | "urlencode";
const TRANSFORMS: readonly Transform[] = ["gzip", "base64", "hex", "json", "form", "urlencode"];

/** Values to plant (long enough to be distinctive), with kinds. */
const VALUES: [string, FindingRecord["kind"]][] = [
  [P.imei, "imei"],
  [P.imsi, "imsi"],
  [P.iccid, "iccid"],
  [P.email, "email"],
  [P.android_id, "android_id"],
  [P.aaid, "aaid"],
  [P.serial, "serial"],
  [P.custom[0].value, "custom"],
  [P.phone_number, "phone_number"],
];

/** Percent-encodes bytes outside the unreserved set (as a form or URL encoder would). */
function percent(b: Uint8Array): string {
  let s = "";
  for (const c of b) {
    const ch = String.fromCharCode(c);
    s += /[A-Za-z0-9._~-]/.test(ch) ? ch : `%${c.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return s;
}

/** Applies the transforms to `pre + value + post`; returns the payload and the chain a finding must show. */
function plant(value: string, pre: string, post: string, ts: Transform[]) {
  let data: Uint8Array = Buffer.from(pre + value + post);
  const chain: string[] = [];
  ts.forEach((t, i) => {
    if (t === "gzip") data = gzipSync(data);
    else if (t === "base64") data = Buffer.from(Buffer.from(data).toString("base64"));
    else if (t === "hex") data = Buffer.from(Buffer.from(data).toString("hex"));
    else if (t === "json")
      data = Buffer.from(JSON.stringify({ v: 1, k: Buffer.from(data).toString("utf8") }));
    else if (t === "form") data = Buffer.from(`a=1&k=${percent(data)}`);
    else data = Buffer.from(percent(data));
    const step = t === "json" ? "json $.k" : t === "form" ? "form k" : t;
    // A URL-encoding that leaves the value as it was is invisible: no step names it.
    if (!(t === "urlencode" && i === 0 && percent(Buffer.from(value)) === value)) chain.unshift(step);
  });
  return { data, chain: ["http.body", ...chain] };
}

/** Chains a real app could produce: text-only steps never follow bytes, URL-encoding only innermost. */
const chainArb = fc.array(fc.constantFrom(...TRANSFORMS), { minLength: 0, maxLength: 3 }).filter((ts) => {
  let binary = false;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (t === "urlencode" && i > 0) return false;
    if (t === "json" && binary) return false;
    binary = t === "gzip";
  }
  return true;
});

const textArb = fc.string({
  unit: fc.constantFrom(..."abcdefXYZ 0123456789,.:;_-/".split("")),
  maxLength: 24,
});
/** Phone and IMEI-prefix needles are whole-word (a number inside a longer number is not the number), so the
 * planted value is delimited: random text, then a separator, the value, a separator, random text. */
const SEP = fc.constantFrom(" ", ",", ";", ":", "/", "|");
const preArb = fc.tuple(textArb, SEP).map(([t, s]) => t + s);
const postArb = fc.tuple(SEP, textArb).map(([s, t]) => s + t);

test("property: a planted value under a random chain of ≤ 3 transforms is found with that chain", () => {
  const { d, found } = detector(true, false);
  let n = 0;
  fc.assert(
    fc.property(fc.constantFrom(...VALUES), preArb, postArb, chainArb, ([value, kind], pre, post, ts) => {
      // A phone number URL-encoded keeps its digit forms visible, so which variant wins is not the chain's to say.
      fc.pre(!(kind === "phone_number" && ts.includes("urlencode")));
      const uid = `P${n++}`;
      const { data, chain } = plant(value, pre, post, ts);
      found.length = 0;
      d.payload(chunk(uid, "http.body", data), conn(uid));
      const hit = found.some(
        (f) => f.kind === kind && f.value_masked === value && f.chain.join(" › ") === chain.join(" › "),
      );
      if (!hit) {
        const got = found.map((f) => `${f.kind}:${f.chain.join(" › ")}`).join("; ");
        throw new Error(`want ${kind} [${chain.join(" › ")}] got ${got || "nothing"}`);
      }
    }),
    { numRuns: 10000 },
  );
});

test("digests in a random payload are found as md5/sha1/sha256 of the value", () => {
  const { d, found } = detector(true, false);
  let n = 0;
  fc.assert(
    fc.property(fc.constantFrom("md5", "sha1", "sha256"), fc.boolean(), textArb, (alg, upper, pre) => {
      const uid = `H${n++}`;
      const hex = createHash(alg).update(P.imei).digest("hex");
      found.length = 0;
      d.payload(chunk(uid, "http.body", `${pre}&d=${upper ? hex.toUpperCase() : hex}`), conn(uid));
      assert.ok(found.some((f) => f.kind === "imei" && f.chain.at(-1) === `${alg}(imei)`));
    }),
    { numRuns: 300 },
  );
});
