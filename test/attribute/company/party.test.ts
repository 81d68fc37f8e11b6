import assert from "node:assert/strict";
import { test } from "node:test";
import { partyOf } from "../../../src/attribute/company/party.ts";

test("the device vendor is first party, by company name or by a device label that names it", () => {
  assert.equal(partyOf("Xiaomi", "xiaomi.com", { vendor: "Xiaomi" }), "first");
  assert.equal(partyOf("Xiaomi", "miui.com", { vendor: "xiaomi Redmi 1S" }), "first");
  assert.equal(partyOf("Umeng (Alibaba)", "umeng.com", { vendor: "Alibaba" }), "first");
});

test("the app's own domains are first party, including names below them", () => {
  const fp = { domains: ["planted-app.example"] };
  assert.equal(partyOf(undefined, "planted-app.example", fp), "first");
  assert.equal(partyOf(undefined, "api.planted-app.example", fp), "first");
  assert.equal(partyOf(undefined, "notplanted-app.example", fp), "third");
});

test("anyone else known is third party", () => {
  assert.equal(partyOf("Google", "app-measurement.com", { vendor: "Xiaomi" }), "third");
  assert.equal(partyOf(undefined, "unknown.example", { vendor: "Xiaomi" }), "third");
  assert.equal(
    partyOf("X (Twitter)", "x.com", { vendor: "Xiaomi Mi X" }),
    "third",
    "a one-letter word is no tie",
  );
});

test("unknown when nothing says who the first party is, or who received the data", () => {
  assert.equal(partyOf("Google", "google.com", {}), "unknown");
  assert.equal(partyOf("Google", "google.com", { vendor: "  ", domains: [] }), "unknown");
  assert.equal(partyOf(undefined, undefined, { vendor: "Xiaomi" }), "unknown");
});
