// Builders for the judge tests: a destination and a finding input with every field planted by the test, so
// each test changes exactly one input and compares.

import type { FindingInput } from "../../src/judge/judge.ts";
import type { Destination } from "../../src/model/destination.ts";

/** An IMEI receiver as in 2014: Xiaomi's account API in China, over TLS that was decrypted, home China. */
export function dest(over: Partial<Destination> = {}): Destination {
  return {
    host: "api.account.xiaomi.com",
    host_source: "http",
    ip: "203.0.113.7",
    port: 443,
    ip_class: "public",
    country: "CN",
    domain: "xiaomi.com",
    company: "Xiaomi",
    company_country: "CN",
    purpose: "vendor",
    party: "first",
    transport: "tls-decrypted",
    cross_border: false,
    ...over,
  };
}

/** A profile IMEI matched exactly, sent over decrypted TLS to `dest()`. */
export function finding(over: Partial<FindingInput> = {}): FindingInput {
  return {
    kind: "imei",
    generic: false,
    confidence: 1,
    variant: "exact",
    chain: ["http.body", "json $.imei"],
    transport: "tls-decrypted",
    dest: dest(),
    ...over,
  };
}
