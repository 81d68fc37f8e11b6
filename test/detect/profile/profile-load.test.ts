import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadProfile, ProfileError, parseProfile } from "../../../src/detect/profile/profile-load.ts";
import { REPO_ROOT } from "../../helpers/corpus.ts";

/** The ProfileError a text raises (fails the test when it parses). */
function problemsOf(text: string): ProfileError {
  try {
    parseProfile(text, "p.yaml");
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
  assert.fail(`parsed without error: ${text}`);
}

test("the example profile loads with its values normalised and no warnings", () => {
  const p = loadProfile(join(REPO_ROOT, "examples", "redmi-1s-2014.profile.yaml"));
  assert.equal(p.device, "Xiaomi Redmi 1S");
  assert.equal(p.vendor, "Xiaomi");
  assert.equal(p.home_country, "TW");
  assert.deepEqual(p.imei, ["861234567890127"]);
  assert.deepEqual(p.imsi, ["460001234567890"]);
  assert.deepEqual(p.phone_number, ["+8613800138000"]);
  assert.deepEqual(p.carrier, ["China Mobile"]);
  assert.deepEqual(p.contacts, [{ name: "Li Lei", phones: ["+8613800138001"], emails: [] }]);
  assert.deepEqual(p.sms, [{ number: "+8613800138004", text: "See you at 8" }]);
  assert.deepEqual(p.warnings, []);
});

test("YAML and JSON spellings of one profile give the same result", () => {
  const yaml =
    "home_country: de\nimei: 86-123456-789012-7\nmac: A4-50-46-12-34-56\naaid: 384000008CF011BDB23E10B96E40000D\n";
  const json = JSON.stringify({
    home_country: "de",
    imei: ["86-123456-789012-7"],
    mac: "A4-50-46-12-34-56",
    aaid: "384000008CF011BDB23E10B96E40000D",
  });
  const a = parseProfile(yaml, "p.yaml");
  assert.deepEqual(parseProfile(json, "p.json"), a);
  assert.equal(a.home_country, "DE");
  assert.deepEqual(a.imei, ["861234567890127"]);
  assert.deepEqual(a.mac, ["a4:50:46:12:34:56"]);
  assert.deepEqual(a.aaid, ["38400000-8cf0-11bd-b23e-10b96e40000d"]);
});

test("numbers are kept as written: an unquoted IMEI keeps its leading zero", () => {
  // 012345678901237: reporting body 01; its Luhn digit 7 was checked with an independent Python script.
  const p = parseProfile("imei: 012345678901237\n", "p.yaml");
  assert.deepEqual(p.imei, ["012345678901237"]);
  assert.deepEqual(p.warnings, []);
});

test("every bad field gives one line with its path, message and line number", () => {
  const text = [
    "home_country: CN", // 1
    "imei:", // 2
    '  - "861234567890127"', // 3
    '  - "12345"', // 4
    "imsi: 4600012345", // 5
    'phone_number: ["+86 1"]', // 6
    "email: not-an-email", // 7
    "android_id: xyz", // 8
    "aaid: 1234", // 9
    "mac: a4:50:46", // 10
    "iccid: 12", // 11
    "imie: 5", // 12
    "location:", // 13
    "  - { lat: 95, lon: 10 }", // 14
    "  - { lat: 1 }", // 15
    "contacts:", // 16
    "  - { name: Li, phone: 1 }", // 17
    "  - {}", // 18
    "sms:", // 19
    "  - { number: abc }", // 20
    "custom:", // 21
    "  - { label: card }", // 22
    "carrier: { a: 1 }", // 23
  ].join("\n");
  const e = problemsOf(text);
  const lines = e.lines();
  const expected: [number, string][] = [
    [4, 'imei[1]: 15 digits expected, got "12345"'],
    [5, 'imsi: 14 or 15 digits expected, got "4600012345"'],
    [6, "phone_number[0]: not a phone number"],
    [7, 'email: email address expected, got "not-an-email"'],
    [8, 'android_id: 16 hex digits expected, got "xyz"'],
    [9, "aaid: UUID expected"],
    [10, 'mac: MAC address expected (6 hex bytes), got "a4:50:46"'],
    [11, 'iccid: 18 to 22 digits expected, got "12"'],
    [12, 'imie: unknown key (did you mean "imei"?)'],
    [14, 'location[0].lat: number from -90 to 90 expected, got "95"'],
    [15, "location[1]: lat and lon are required"],
    [17, 'contacts[0].phone: unknown key (did you mean "phones"?)'],
    [18, "contacts[1]: a contact needs a name, phones or emails"],
    [20, "sms[0].number: not a phone number"],
    [22, "custom[0].value: a value is required"],
    [23, "carrier: a text value or a list of them expected"],
  ];
  assert.equal(lines.length, expected.length, lines.join("\n"));
  for (const [line, msg] of expected) {
    assert.ok(
      lines.some((l) => l.startsWith(`p.yaml:${line}: ${msg}`)),
      `missing line ${line}: ${msg}\n${lines.join("\n")}`,
    );
  }
  assert.equal(e.file, "p.yaml");
  assert.ok(e.problems.every((p) => p.path !== "" && p.line !== undefined));
  assert.match(e.message, /invalid profile p\.yaml/);
});

test("doubtful values are warnings, not errors", () => {
  const p = parseProfile(
    'imei: "861234567890128"\niccid: "12345678901234567890"\nandroid_id: abc123\nhome_country: ZZ\nphone_number: "+86 12"\n',
    "p.yaml",
  );
  assert.deepEqual(p.imei, ["861234567890128"]);
  const w = p.warnings.map((x) => `${x.line} ${x.path}: ${x.message}`);
  assert.ok(
    w.some((l) => l.startsWith("1 imei: Luhn check failed (check digit should be 7)")),
    w.join("\n"),
  );
  assert.ok(w.some((l) => l.startsWith("2 iccid: an ICCID normally starts with 89")));
  assert.ok(w.some((l) => l.startsWith("3 android_id: an Android ID normally has 16 hex digits")));
  assert.ok(w.some((l) => l.startsWith("4 home_country:")));
  assert.ok(w.some((l) => l.startsWith("5 phone_number: not a valid number")));
});

test("national numbers need a home country", () => {
  const e = problemsOf('phone_number: "138 0013 8000"\n');
  assert.match(e.lines()[0], /^p\.yaml:1: phone_number: needs a \+country code, or home_country/);
  assert.deepEqual(parseProfile('home_country: CN\nphone_number: "138 0013 8000"\n', "p").phone_number, [
    "138 0013 8000",
  ]);
});

test("bad home_country, syntax errors and a non-mapping document are reported", () => {
  assert.match(
    problemsOf("home_country: China\n").lines()[0],
    /home_country: ISO 3166 two-letter country code/,
  );
  const y = problemsOf("imei: [\n  a: b\n");
  assert.match(y.lines()[0], /^p\.yaml(:\d+)?: not valid YAML/);
  assert.match(problemsOf('{"imei": 1,}').lines()[0], /^p\.yaml: not valid JSON/);
  assert.match(
    problemsOf("- a\n- b\n").lines()[0],
    /a mapping with keys device, vendor, first_party_domains, home_country/,
  );
  assert.match(problemsOf("imei: 1\nimei: 2\n").lines()[0], /not valid YAML/);
});

test("empty values are allowed and give an empty profile", () => {
  const p = parseProfile("device:\nimei: ~\nimsi: null\ncontacts: []\nsms:\ncustom: []\n", "p");
  assert.equal(p.device, undefined);
  assert.deepEqual([p.imei, p.imsi, p.contacts, p.sms, p.custom], [[], [], [], [], []]);
  assert.deepEqual(parseProfile("", "p").imei, []);
});

test("loadProfile reads files and reports an unreadable one as a ProfileError", () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-profile-"));
  try {
    const file = join(dir, "p.json");
    writeFileSync(
      file,
      JSON.stringify({ imei: "861234567890127", location: [{ lat: 1.5, lon: -2, radius_m: 50 }] }),
    );
    const p = loadProfile(file);
    assert.deepEqual(p.location, [{ lat: 1.5, lon: -2, radius_m: 50 }]);
    assert.throws(
      () => loadProfile(join(dir, "missing.yaml")),
      (e: unknown) => {
        assert.ok(e instanceof ProfileError);
        assert.match(e.lines()[0], /missing\.yaml: cannot read the file \(ENOENT\)/);
        return true;
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a location without radius gets the default", () => {
  assert.deepEqual(parseProfile("location: [{lat: 39.9, lon: 116.4}]", "p").location, [
    { lat: 39.9, lon: 116.4, radius_m: 1000 },
  ]);
});

test("vendor and first-party domains are read (one domain or a list, lower-cased)", () => {
  const p = parseProfile(
    'vendor: " Xiaomi "\nfirst_party_domains: [Example-App.com, api.example.net]\n',
    "p.yaml",
  );
  assert.equal(p.vendor, "Xiaomi");
  assert.deepEqual(p.first_party_domains, ["example-app.com", "api.example.net"]);
  const one = parseProfile("first_party_domains: example.org\n", "p.yaml");
  assert.deepEqual(one.first_party_domains, ["example.org"]);
  assert.match(problemsOf("vendor: [1, 2]\n").lines().join("\n"), /vendor/);
});
