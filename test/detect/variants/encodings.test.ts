import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Needle } from "../../../src/detect/detect-types.ts";
import {
  base64Core,
  base64Encodings,
  hexEncoding,
  urlEncodings,
} from "../../../src/detect/variants/encodings.ts";
import { binaryForm, type FormGroup, textForm } from "../../../src/detect/variants/forms.ts";
import { needlesFromGroup } from "../../../src/detect/variants/needles.ts";
import { occurs, text } from "./needle-occurs.ts";

const bytes = (s: string) => new Uint8Array(Buffer.from(s));

test("base64 cores: hand-computed for a 6-byte value at each alignment", () => {
  // Character j of the base64 covers bits [6j, 6j+6); only characters whose bits all belong to the value count.
  assert.equal(base64Core(bytes("abcdef"), 0, false), "YWJjZGVm");
  assert.equal(Buffer.from("\0abcdef").toString("base64"), "AGFiY2RlZg==");
  // Bits 8..56 are the value: characters 2..8 of A G F i Y 2 R l Z g.
  assert.equal(base64Core(bytes("abcdef"), 1, false), "FiY2RlZ");
  assert.equal(Buffer.from("\0\0abcdef").toString("base64"), "AABhYmNkZWY=");
  // Bits 16..64 are the value: characters 3..9 of A A B h Y m N k Z W Y.
  assert.equal(base64Core(bytes("abcdef"), 2, false), "hYmNkZW");
});

test("each base64 core occurs in the base64 of the value behind any prefix of that length mod 3", () => {
  const imei = bytes("861234567890127");
  const cores = base64Encodings(imei).filter(
    (e) => e.variant.startsWith("base64") && !e.variant.includes("url"),
  );
  assert.equal(cores.length, 3);
  for (const prefix of ["", "x", "xy", "xyz", "imei=", '{"imei":"']) {
    const encoded = Buffer.from(`${prefix}861234567890127&more`).toString("base64");
    const hits = cores.filter((c) => encoded.includes(text({ bytes: c.bytes } as Needle)));
    assert.equal(hits.length >= 1, true, `prefix ${JSON.stringify(prefix)}`);
  }
});

test("URL encodings: encodeURIComponent style and form style, lower-cased for case-insensitive matching", () => {
  assert.deepEqual(
    urlEncodings(bytes("+86 138 0013 8000")).map((e) => [
      e.variant,
      Buffer.from(e.bytes).toString(),
      e.caseInsensitive,
    ]),
    [
      ["url", "%2b86%20138%200013%208000", true],
      ["url-form", "%2b86+138+0013+8000", true],
    ],
  );
  assert.deepEqual(
    urlEncodings(bytes("li.lei@example.com")).map((e) => Buffer.from(e.bytes).toString()),
    ["li.lei%40example.com"],
  );
  assert.deepEqual(urlEncodings(bytes("861234567890127")), []);
  assert.deepEqual(urlEncodings(new Uint8Array([0xff, 0xfe, 0x41])), []);
});

test("hex of the bytes is matched in either case", () => {
  const e = hexEncoding(bytes("Li"));
  assert.equal(Buffer.from(e.bytes).toString(), "4c69");
  assert.equal(e.caseInsensitive, true);
});

/** Needles of a value whose steps are exactly `[step]`. */
function needlesOf(g: FormGroup, step: string): Needle[] {
  return needlesFromGroup(g).filter((n) => n.steps.length === 1 && n.steps[0] === step);
}

const group = (form: ReturnType<typeof binaryForm>): FormGroup => ({
  kind: "custom",
  label: "x",
  value: "x",
  forms: [form],
});

test("property: base64 (standard and URL-safe) and hex of prefix+value+suffix contain a needle of the value", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 6, maxLength: 40 }),
      fc.uint8Array({ maxLength: 20 }),
      fc.uint8Array({ maxLength: 20 }),
      (value, prefix, suffix) => {
        const g = group(binaryForm(value, "bytes"));
        const whole = Buffer.concat([prefix, value, suffix]);
        const b64 = needlesOf(g, "base64");
        assert.ok(b64.some((n) => occurs(whole.toString("base64"), n)));
        assert.ok(b64.some((n) => occurs(whole.toString("base64url"), n)));
        const hex = needlesOf(g, "hex");
        assert.ok(hex.some((n) => occurs(whole.toString("hex"), n)));
        assert.ok(hex.some((n) => occurs(whole.toString("hex").toUpperCase(), n)));
      },
    ),
    { numRuns: 10000 },
  );
});

test("property: URL-encoding of prefix+value+suffix contains the value's plain or URL needle", () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 6, maxLength: 30, unit: "grapheme" }),
      fc.string({ maxLength: 10 }),
      fc.string({ maxLength: 10 }),
      (value, prefix, suffix) => {
        const g: FormGroup = { kind: "custom", label: "x", value, forms: [textForm(value, "exact")] };
        const needles = needlesFromGroup(g).filter((n) => n.steps.length === 0 || n.steps[0] === "urlencode");
        const whole = `${prefix}${value}${suffix}`;
        assert.ok(needles.some((n) => occurs(encodeURIComponent(whole), n)));
        assert.ok(needles.some((n) => occurs(new URLSearchParams([["q", whole]]).toString(), n)));
      },
    ),
    { numRuns: 10000 },
  );
});
