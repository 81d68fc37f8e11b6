// The bundled examples as a whole: the checked-in profile and pcaps are what the generator makes today, the
// profile is valid and says what the issue asked for, every file is documented, and the reference tools
// read every file cleanly (no malformed packets, no bad checksums, no expert warnings).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { deterministicFiles, EXAMPLE_FILES, luhnDigit, profileYaml } from "../../examples/make-example.ts";
import { loadProfile } from "../../src/detect/profile/profile-load.ts";
import { examplePath, plantedValues } from "../helpers/example-oracle.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";
import { capinfos, tsharkFileFields } from "../helpers/tshark-file.ts";

const CAPTURES = [EXAMPLE_FILES.before, EXAMPLE_FILES.after, EXAMPLE_FILES.idle, EXAMPLE_FILES.legacy];

test("Luhn: the ISO/IEC 7812-1 test vector, and the profile's IMEI checks out", () => {
  // 7992739871 takes check digit 3 (the standard's worked example).
  assert.equal(luhnDigit("7992739871"), 3);
  const { imei } = plantedValues();
  assert.match(imei, /^\d{15}$/);
  assert.equal(Number(imei[14]), luhnDigit(imei.slice(0, 14)));
});

test("the checked-in profile and pcaps are byte for byte what the generator makes", () => {
  for (const [name, made] of Object.entries(deterministicFiles())) {
    const committed = readFileSync(examplePath(name));
    const want = typeof made === "string" ? Buffer.from(made) : Buffer.from(made);
    assert.ok(committed.equals(want), `examples/${name} is stale: run npm run example:make`);
  }
  assert.equal(readFileSync(examplePath(EXAMPLE_FILES.profile), "utf8"), profileYaml());
});

test("the profile is valid and describes the 2014 test as the issue asks (home TW, one contact, one SMS)", () => {
  const p = loadProfile(examplePath(EXAMPLE_FILES.profile));
  assert.deepEqual(p.warnings, []);
  assert.equal(p.device, "Xiaomi Redmi 1S");
  assert.equal(p.vendor, "Xiaomi");
  assert.equal(p.home_country, "TW");
  assert.deepEqual(p.phone_number, ["+8613800138000"]);
  assert.deepEqual(p.carrier, ["China Mobile"]);
  assert.equal(p.imei.length, 1);
  assert.equal(p.imsi.length, 1);
  assert.equal(p.contacts.length, 1);
  assert.ok(p.contacts[0].name && p.contacts[0].phones.length === 1);
  assert.equal(p.sms.length, 1);
  assert.ok(p.sms[0].number && p.sms[0].text);
});

test("examples/README.md names every file and the command that makes them", () => {
  const readme = readFileSync(examplePath("README.md"), "utf8");
  for (const name of Object.values(EXAMPLE_FILES)) assert.ok(readme.includes(name), name);
  assert.ok(readme.includes("npm run example:make"));
});

test("capinfos reads every example capture without complaint", { skip: NO_TSHARK }, () => {
  const packets: Record<string, string> = {};
  for (const name of CAPTURES) {
    const { fields, stderr } = capinfos(examplePath(name));
    assert.doesNotMatch(stderr, /error|appears to be damaged|cut short/i, name);
    packets[name] = fields.get("Number of packets") ?? "";
    assert.match(packets[name], /^[1-9]\d*$/, name);
  }
  assert.equal(packets[EXAMPLE_FILES.legacy], packets[EXAMPLE_FILES.before]);
});

test("tshark finds no malformed packet, bad checksum or warning in any example", { skip: NO_TSHARK }, () => {
  const checks = ["ip", "tcp", "udp"].flatMap((p) => ["-o", `${p}.check_checksum:TRUE`]);
  for (const name of CAPTURES) {
    const all = tsharkFileFields(examplePath(name), ["frame.number"], { args: checks });
    assert.ok(all.length > 0, name);
    const bad = tsharkFileFields(examplePath(name), ["frame.number", "_ws.expert.message"], {
      args: checks,
      filter:
        "_ws.malformed || _ws.expert.severity >= warning || ip.checksum.status == 0 || " +
        "tcp.checksum.status == 0 || udp.checksum.status == 0",
    });
    assert.deepEqual(bad, [], name);
  }
});
