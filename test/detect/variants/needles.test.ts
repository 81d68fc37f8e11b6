import assert from "node:assert/strict";
import { test } from "node:test";
import type { Needle } from "../../../src/detect/detect-types.ts";
import { loadProfile, parseProfile } from "../../../src/detect/profile/profile-load.ts";
import { needlesFromProfile, SHORT_CONFIDENCE, SHORT_NEEDLE } from "../../../src/detect/variants/needles.ts";
import { IDENTIFIER_KINDS } from "../../../src/model/finding.ts";
import { REPO_ROOT } from "../../helpers/corpus.ts";
import { occurs, text } from "./needle-occurs.ts";

const EXAMPLE = `${REPO_ROOT}/examples/redmi-1s-2014.profile.yaml`;

const FULL = `
device: test phone
home_country: CN
imei: ["861234567890127"]
imsi: "460001234567890"
iccid: "89860012345678901234"
phone_number: "+8613800138000"
carrier: China Mobile
email: Li.Lei@Example.com
android_id: 9774d56d682e549c
aaid: 38400000-8cf0-11bd-b23e-10b96e40000d
mac: "a4:50:46:12:34:56"
serial: R58M12ABCDE
location: [{ lat: 39.9042, lon: 116.4074, radius_m: 500 }]
contacts:
  - { name: "Han Meimei", phones: ["+8613800138002"], emails: ["hmm@example.com"] }
sms:
  - { number: "+8613800138004", text: "See you at 8 near the station" }
custom:
  - { label: "loyalty card", value: "LC-2014-7781" }
`;

const all = needlesFromProfile(parseProfile(FULL, "full.yaml"));
const of = (kind: string, variant: string): Needle | undefined =>
  all.find((n) => n.kind === kind && n.variant === variant);

test("every identifier kind except location yields needles; location never does", () => {
  const kinds = new Set(all.map((n) => n.kind));
  for (const k of IDENTIFIER_KINDS) assert.equal(kinds.has(k), k !== "location", k);
});

test("needles are unique by bytes+kind+value, case-insensitive ones are lower-case, short ones are whole-word", () => {
  const keys = new Set(all.map((n) => `${n.kind}|${n.value}|${Buffer.from(n.bytes).toString("hex")}`));
  assert.equal(keys.size, all.length);
  for (const n of all) {
    if (n.caseInsensitive)
      assert.equal(
        text(n),
        text(n).replace(/[A-Z]/g, (c) => c.toLowerCase()),
        n.variant,
      );
    if (n.bytes.length < SHORT_NEEDLE) {
      assert.equal(n.wholeWord, true, `${n.kind} ${n.variant}`);
      assert.ok(n.confidence <= SHORT_CONFIDENCE);
      assert.deepEqual(n.steps, []);
    }
    assert.ok(n.confidence > 0 && n.confidence <= 1);
  }
});

test("IMEI needles: plain forms, each base64 alignment, hex, and digests checked against openssl", () => {
  assert.equal(text(of("imei", "exact")!), "861234567890127");
  assert.equal(text(of("imei", "dashed")!), "86-123456-789012-7");
  assert.equal(of("imei", "no-check")?.wholeWord, true);
  const b64 = all.filter((n) => n.kind === "imei" && n.steps.length === 1 && n.steps[0] === "base64");
  for (const prefix of ["x", "xx", "xxx"]) {
    const hay = Buffer.from(`${prefix}861234567890127`).toString("base64");
    assert.ok(
      b64.some((n) => occurs(hay, n)),
      prefix,
    );
  }
  // Oracle: `printf 861234567890127 | openssl md5 / sha1 / sha256` and `openssl dgst -sha256 -binary | base64`.
  assert.equal(text(of("imei", "md5-hex")!), "e8dc82f1dca0a25a05b0609f37f071a3");
  assert.equal(text(of("imei", "sha1-hex")!), "58aeafa5dd593d48fc9a332165b6ff885fb38291");
  assert.equal(
    text(of("imei", "sha256-hex")!),
    "45012e8930368e31f80f82679435036e28552a4d14ed67714a556c858258c848",
  );
  assert.equal(text(of("imei", "sha256-base64")!), "RQEuiTA2jjH4D4JnlDUDbihVKk0U7WdxSlVshYJYyEg");
  assert.deepEqual(of("imei", "sha256-base64")?.steps, ["base64", "sha256(imei)"]);
  assert.equal(text(of("imei", "no-check.md5-hex")!), "5702c2cc4c396899278ebbae44c33985");
  assert.ok(occurs("IMEI_MD5=E8DC82F1DCA0A25A05B0609F37F071A3", of("imei", "md5-hex")!));
  assert.equal(of("imei", "hex")?.caseInsensitive, true);
});

test("MAC digests of the common spellings (openssl oracle)", () => {
  assert.equal(text(of("mac", "md5-hex")!), "4acc3e358aa6ccde53abb0ddb9e9b02c"); // md5("a4:50:46:12:34:56")
  assert.equal(text(of("mac", "colon-upper.md5-hex")!), "3a8cc7c23bc1e3852c2205242120d96e");
  assert.equal(text(of("mac", "bytes.sha1-hex")!), "837c781e3cbbcdaafdfdf2d412aaea29b65ef655");
});

test("values planted in plain text are found in their expected forms", () => {
  const plants: [string, string][] = [
    ["phone_number", "POST /r?tel=%2B8613800138000&x=1"],
    ["phone_number", "msisdn: 013800138000\r\n"],
    ["phone_number", '{"mobile":"+86 138 0013 8000"}'],
    ["carrier", "op=CHINA%20MOBILE"],
    ["email", "u=li.lei%40example.com"],
    ["email", "user LI.LEI@EXAMPLE.COM"],
    ["android_id", "aid=9774D56D682E549C"],
    ["android_id", "id=10913582462901572764;"],
    ["aaid", "idfa=384000008CF011BDB23E10B96E40000D"],
    ["mac", "wifi=A4-50-46-12-34-56"],
    ["imsi", "imsi=460001234567890"],
    ["iccid", "iccid=89860012345678901234"],
    ["serial", "sn=r58m12abcde"],
    ["contact_name", "contacts=HAN MEIMEI,x"],
    ["contact_phone", "c=13800138002;"],
    ["contact_email", "c=hmm@example.com"],
    ["sms_number", "from=008613800138004"],
    ["sms_text", "body=...SEE YOU AT 8 NEAR THE STATION"],
    ["sms_text", "preview=you at 8 near t"],
    ["custom", "card=lc-2014-7781"],
  ];
  for (const [kind, hay] of plants) {
    assert.ok(
      all.some((n) => n.kind === kind && occurs(hay, n)),
      `${kind} in ${hay}`,
    );
  }
});

test("decoys are not matched: wrong check digit, other numbers, names inside words, random hashes", () => {
  const decoys = [
    "imei=861234567890128&imei2=356938035643809", // same first 14 digits, other check digit
    "tel=+4413800138000 and 13800138009 and +86 138 0013 8009",
    "sender=Han Meimeier",
    "md5=d41d8cd98f00b204e9800998ecf8427e sha1=da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "mac=a4:50:46:12:34:57",
    "aaid=38400000-8cf0-11bd-b23e-10b96e40000e",
  ];
  for (const hay of decoys) {
    const hits = all.filter((n) => occurs(hay, n)).map((n) => `${n.kind}:${n.variant}`);
    assert.deepEqual(hits, [], hay);
  }
});

test("the example profile of the 2014 capture expands without errors", () => {
  const p = loadProfile(EXAMPLE);
  assert.deepEqual(p.warnings, []);
  const needles = needlesFromProfile(p);
  const kinds = new Set(needles.map((n) => n.kind));
  for (const k of [
    "imei",
    "imsi",
    "phone_number",
    "carrier",
    "contact_name",
    "contact_phone",
    "sms_number",
    "sms_text",
  ]) {
    assert.ok(kinds.has(k as Needle["kind"]), k);
  }
  assert.ok(needles.some((n) => n.kind === "contact_name" && text(n) === "li lei" && n.wholeWord));
  assert.ok(needles.some((n) => n.label === 'contact "Li Lei" phone' && text(n) === "+8613800138001"));
});

test("needle bytes are views of one shared buffer and keep their values", () => {
  const buffers = new Set(all.map((n) => n.bytes.buffer));
  assert.equal(buffers.size, 1);
  assert.equal(text(of("imei", "exact")!), "861234567890127");
  assert.equal(text(of("imsi", "exact")!), "460001234567890");
  // Views do not overlap: writing one needle's bytes would never change another's.
  const spans = all
    .map((n) => [n.bytes.byteOffset, n.bytes.byteOffset + n.bytes.length])
    .sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i][0] >= spans[i - 1][1]);
});

test("needles share their step lists and variant names (one copy per distinct list)", () => {
  const lists = new Map<string, string[]>();
  for (const n of all) {
    const key = n.steps.join("|");
    const first = lists.get(key);
    if (first) assert.equal(n.steps, first, key);
    else lists.set(key, n.steps);
  }
  assert.ok(lists.size < all.length / 4);
});

test("a profile is expanded once: the detector and the record masker of a run share its needles", () => {
  const p = parseProfile(FULL, "full.yaml");
  const first = needlesFromProfile(p);
  assert.equal(needlesFromProfile(p), first);
  // Another profile object, even with the same text, is expanded on its own (and gives the same needles).
  const other = needlesFromProfile(parseProfile(FULL, "full.yaml"));
  assert.notEqual(other, first);
  assert.deepEqual(
    other.map((n) => n.variant),
    first.map((n) => n.variant),
  );
});
