// Writes the bundled example capture, redmi-1s-2014.pcap, and its device profile: the 2014 story of a new
// phone that sent its carrier, phone number, IMEI, address-book and SMS numbers in clear HTTP to Beijing,
// opened an HTTPS connection, and connected on its own to a CNNIC address. Every identifier is fake.
// Run: npm run example:make (deterministic: the same bytes on every machine).

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  httpRequest,
  httpResponse,
  tlsAppData,
  tlsClientHello,
  tlsServerHello,
} from "../test/helpers/app-messages.ts";
import { writePcap } from "../test/helpers/capture-writer.ts";
import { concat } from "../test/helpers/packet-builder.ts";
import { TrafficSynth } from "../test/helpers/traffic-synth.ts";

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

/** The fake identifiers the capture carries; the profile file holds the same values. */
export const EXAMPLE = {
  device: "Xiaomi Redmi 1S (example)",
  homeCountry: "CN",
  imei: `86123456789012${luhnDigit("86123456789012")}`,
  imsi: "460001234567890",
  phone: "+8613800138000",
  carrier: "China Mobile",
  contacts: [
    { name: "Li Lei", phones: ["+8613800138001"] },
    { name: "Han Meimei", phones: ["+8613800138002", "+8613800138003"] },
  ],
  sms: [{ number: "+8613800138004", text: "See you at 8" }],
  phoneIp: "192.168.1.23",
  dns: "192.168.1.1",
  xiaomiApi: "42.62.48.17",
  xiaomiTls: "42.62.48.18",
  cnnic: "218.241.105.12",
  start: Date.UTC(2014, 7, 11, 9, 30, 0) / 1000,
} as const;

const HERE = fileURLToPath(new URL(".", import.meta.url));

/** National form (no country code) of a +86 number, as Chinese apps often send it. */
function national(e164: string): string {
  return e164.replace(/^\+86/, "");
}

/** The clear-text registration: query string with the IMEI, form body with carrier and phone number. */
function registerRequest(): Uint8Array {
  const e = EXAMPLE;
  const query = new URLSearchParams({ imei: e.imei, model: "2014011", os: "4.3" }).toString();
  const form = new URLSearchParams({ carrier: e.carrier, phone: national(e.phone), imsi: e.imsi }).toString();
  return httpRequest({
    method: "POST",
    host: "api.account.xiaomi.com",
    path: `/pass/v3/device/register?${query}`,
    headers: [
      ["User-Agent", "Dalvik/1.6.0 (Linux; U; Android 4.3; 2014011 MIUI/JHCCNBH45.0)"],
      ["Content-Type", "application/x-www-form-urlencoded"],
    ],
    body: form,
  });
}

/** The address-book and SMS upload: a JSON body with every contact's and SMS sender's number. */
function contactsRequest(): Uint8Array {
  const e = EXAMPLE;
  const body = JSON.stringify({
    deviceId: e.imei,
    owner: e.phone,
    contacts: e.contacts.map((c) => ({ name: c.name, numbers: c.phones })),
    sms: e.sms.map((s) => ({ address: s.number, body: s.text })),
  });
  return httpRequest({
    method: "POST",
    host: "api.account.xiaomi.com",
    path: "/pass/v3/cloud/sync",
    headers: [
      ["User-Agent", "Dalvik/1.6.0 (Linux; U; Android 4.3; 2014011 MIUI/JHCCNBH45.0)"],
      ["Content-Type", "application/json; charset=utf-8"],
    ],
    body,
  });
}

function jsonOk(extra: string): Uint8Array {
  return httpResponse({ headers: [["Content-Type", "application/json"]], body: `{"code":0,${extra}}` });
}

/** Builds every frame of the story, in time order. */
export function buildExample(): { frames: ReturnType<TrafficSynth["sorted"]>; linkType: number } {
  const e = EXAMPLE;
  const s = new TrafficSynth({ seed: 2014, client: e.phoneIp, dnsServer: e.dns, startTs: e.start });
  const at = (sec: number) => e.start + sec;
  background(s);
  s.dnsQuery("api.account.xiaomi.com", [e.xiaomiApi], { startTs: at(2) });
  s.tcpConversation({
    client: e.phoneIp,
    server: e.xiaomiApi,
    clientPort: 41822,
    serverPort: 80,
    startTs: at(2.1),
    exchanges: [
      { fromClient: true, data: registerRequest() },
      { fromClient: false, data: jsonOk('"result":"ok","userId":"1000001"') },
      { fromClient: true, data: contactsRequest() },
      { fromClient: false, data: jsonOk('"synced":3') },
    ],
  });
  s.dnsQuery("account.xiaomi.com", [e.xiaomiTls], { startTs: at(5) });
  s.tcpConversation({
    client: e.phoneIp,
    server: e.xiaomiTls,
    clientPort: 41830,
    serverPort: 443,
    startTs: at(5.1),
    exchanges: [
      { fromClient: true, data: tlsClientHello({ sni: "account.xiaomi.com", random: s.rng.bytes(32) }) },
      { fromClient: false, data: concat([tlsServerHello(s.rng.bytes(32)), tlsAppData(s.rng.bytes(2400))]) },
      { fromClient: true, data: tlsAppData(s.rng.bytes(620)) },
      { fromClient: false, data: tlsAppData(s.rng.bytes(1800)) },
    ],
  });
  // No DNS lookup first: the phone went straight to an address registered to CNNIC.
  s.tcpConversation({
    client: e.phoneIp,
    server: e.cnnic,
    clientPort: 41844,
    serverPort: 80,
    startTs: at(9),
    exchanges: [
      { fromClient: true, data: httpRequest({ host: e.cnnic, path: "/", headers: [["Accept", "*/*"]] }) },
      { fromClient: false, data: httpResponse({ headers: [["Content-Type", "text/plain"]], body: "ok\n" }) },
    ],
  });
  return { frames: s.sorted(), linkType: s.linkType };
}

/** Ordinary traffic around the story: a connectivity check, an NTP poll, a news download over TLS. */
function background(s: TrafficSynth): void {
  const e = EXAMPLE;
  const at = (sec: number) => e.start + sec;
  s.dnsQuery("connect.rom.miui.com", ["119.147.33.10"], { startTs: at(0) });
  s.tcpConversation({
    client: e.phoneIp,
    server: "119.147.33.10",
    clientPort: 41810,
    serverPort: 80,
    startTs: at(0.1),
    exchanges: [
      { fromClient: true, data: httpRequest({ host: "connect.rom.miui.com", path: "/generate_204" }) },
      { fromClient: false, data: httpResponse({ status: 204, reason: "No Content" }) },
    ],
  });
  s.dnsQuery("pool.ntp.org", ["203.0.113.123"], { startTs: at(1) });
  const ntp = new Uint8Array(48);
  ntp[0] = 0x23; // LI 0, version 4, mode 3 (client), RFC 5905 §7.3
  const reply = s.rng.bytes(48);
  reply[0] = 0x24; // mode 4 (server)
  s.udpExchange({
    client: e.phoneIp,
    server: "203.0.113.123",
    clientPort: 41900,
    serverPort: 123,
    startTs: at(1.1),
    datagrams: [
      { fromClient: true, data: ntp },
      { fromClient: false, data: reply },
    ],
  });
  s.dnsQuery("news.example.com", ["198.51.100.80"], { startTs: at(6) });
  s.tcpConversation({
    client: e.phoneIp,
    server: "198.51.100.80",
    clientPort: 41850,
    serverPort: 443,
    startTs: at(6.1),
    exchanges: [
      {
        fromClient: true,
        data: tlsClientHello({ sni: "news.example.com", alpn: ["http/1.1"], tls13: true }),
      },
      { fromClient: false, data: concat([tlsServerHello(s.rng.bytes(32)), tlsAppData(s.rng.bytes(3000))]) },
      { fromClient: true, data: tlsAppData(s.rng.bytes(400)) },
      { fromClient: false, data: tlsAppData(s.rng.bytes(60000)) },
    ],
  });
}

/** The device profile in YAML (keys a later issue reads). */
export function profileYaml(): string {
  const e = EXAMPLE;
  const q = (v: string) => JSON.stringify(v);
  const lines = [
    "# Device profile of examples/redmi-1s-2014.pcap. Every value is fake; the IMEI has a valid Luhn digit.",
    `device: ${q(e.device)}`,
    `home_country: ${e.homeCountry}`,
    `imei: ${q(e.imei)}`,
    `imsi: ${q(e.imsi)}`,
    `phone_number: ${q(e.phone)}`,
    `carrier: ${q(e.carrier)}`,
    "contacts:",
    ...e.contacts.flatMap((c) => [`  - name: ${q(c.name)}`, `    phones: [${c.phones.map(q).join(", ")}]`]),
    "sms:",
    ...e.sms.flatMap((m) => [`  - number: ${q(m.number)}`, `    text: ${q(m.text)}`]),
  ];
  return `${lines.join("\n")}\n`;
}

/** Writes both files beside this script. */
export function main(): void {
  const { frames, linkType } = buildExample();
  const pcap = writePcap(frames, { linkType });
  writeFileSync(`${HERE}redmi-1s-2014.pcap`, pcap);
  writeFileSync(`${HERE}redmi-1s-2014.profile.yaml`, profileYaml());
  process.stdout.write(`wrote examples/redmi-1s-2014.pcap (${frames.length} frames, ${pcap.length} bytes)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
