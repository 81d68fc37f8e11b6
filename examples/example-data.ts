// The fake device and the lab network of the bundled examples: every value the captures carry and the
// profile lists. One place, so the generator, the profile and the tests cannot disagree. Every identifier
// is invented; the addresses are real registrations, checked against the bundled IP tables.

/** Luhn check digit (ISO/IEC 7812-1) for a digit string, as the 15th digit of an IMEI. */
export function luhnDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    // Double every second digit counting from the right of the body (the check digit will sit after it).
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** The Redmi 1S of the 2014 test, its SIM, its address book and its messages, and where it sent them. */
export const EXAMPLE = {
  device: "Xiaomi Redmi 1S",
  /** The maker as the companies list names it: its servers are first party. */
  vendor: "Xiaomi",
  /** The lab was in Taiwan, so traffic to China is cross-border (the 2014 finding led to a Taiwanese alert). */
  homeCountry: "TW",
  imei: `86123456789012${luhnDigit("86123456789012")}`,
  /** MCC 460 (China), MNC 00 (China Mobile). */
  imsi: "460001234567890",
  phone: "+8613800138000",
  carrier: "China Mobile",
  contacts: [{ name: "Li Lei", phones: ["+8613800138001"] }],
  sms: [{ number: "+8613800138004", text: "See you at 8" }],
  /** The phone on the lab's Wi-Fi, and the router that answered its DNS queries. */
  phoneIp: "192.168.1.23",
  router: "192.168.1.1",
  apiHost: "api.account.xiaomi.com",
  /**
   * In 43.224.244.0/22, AS63855 "XIAOMI H.K. Limited" in @ip-location-db/asn; the whois-based country table
   * says HK. No Xiaomi-registered range in those tables is registered in CN.
   */
  xiaomiApi: "43.224.245.17",
  /** What the IP tables say about `xiaomiApi`. */
  xiaomiAsn: 63855,
  xiaomiCountry: "HK",
  /** The first test, before the update (UTC). */
  beforeStart: Date.UTC(2014, 7, 11, 1, 30, 0) / 1000,
  /** The re-test after the MIUI update. */
  afterStart: Date.UTC(2014, 7, 25, 2, 10, 0) / 1000,
} as const;

/** The idle Redmi Note that opened connections to CNNIC on its own. */
export const IDLE = {
  device: "Xiaomi Redmi Note",
  phoneIp: "192.168.1.42",
  /** CNNIC's public resolver: AS24406, CN. */
  cnnicDns: "1.2.4.8",
  /** An address CNNIC holds: AS24151, CN. The phone dialled it with no DNS lookup first. */
  cnnicTls: "203.119.25.1",
  /** Android's connectivity check. */
  checkHost: "connectivitycheck.gstatic.com",
  /** Google, AS15169, US. */
  checkIp: "172.217.24.67",
  timeHost: "time.android.com",
  /** Google, AS15169, US. */
  timeIp: "216.239.35.4",
  start: Date.UTC(2014, 10, 3, 16, 0, 0) / 1000,
} as const;

/** National significant number of a +86 number, as Chinese apps often send it. */
export function national(e164: string): string {
  return e164.replace(/^\+86/, "");
}
