import assert from "node:assert/strict";
import { test } from "node:test";
import { parseProfile } from "../../src/detect/profile/profile-load.ts";
import { RecordMasker } from "../../src/detect/record-mask.ts";
import { needlesFromProfile } from "../../src/detect/variants/needles.ts";

const IMEI = "861234567890127";
const PHONE = "+8613800138000";
const profile = parseProfile(`home_country: CN\nimei: "${IMEI}"\nphone_number: "${PHONE}"\n`, "p.yaml");
const masker = new RecordMasker(needlesFromProfile(profile));

test("profile values inside a record line are masked, the rest is kept", () => {
  const line = JSON.stringify({
    type: "http",
    uri: `/reg?imei=${IMEI}&tel=${PHONE}&os=4.3`,
    host: "api.example.cn",
  });
  const masked = masker.mask(line);
  assert.ok(!masked.includes(IMEI) && !masked.includes(PHONE.slice(1)), masked);
  assert.ok(masked.includes("&os=4.3") && masked.includes("api.example.cn"));
  assert.doesNotThrow(() => JSON.parse(masked));
});

test("a line without profile values is returned unchanged", () => {
  const line = JSON.stringify({ type: "dns", query: "connect.rom.miui.com", answers: ["119.147.33.10"] });
  assert.equal(masker.mask(line), line);
});
