// The first test (redmi-1s-2014-before.pcap): a new Redmi 1S looks up api.account.xiaomi.com and posts, in
// clear HTTP, its IMEI (query string and JSON), carrier, phone number and IMSI (form body), its owner's
// address book and its SMS (JSON bodies). The same requests travel over TLS in the "after" capture.

import { EXAMPLE, national } from "./example-data.ts";
import { Timeline } from "./lib/flows.ts";
import type { Frame } from "./lib/frames.ts";
import { dnsAnswer, dnsQuery, httpRequest, httpResponse } from "./lib/messages.ts";

/** One HTTP request of the story and the server's answer. */
export interface HttpExchange {
  request: Uint8Array;
  response: Uint8Array;
}

const UA = "Dalvik/1.6.0 (Linux; U; Android 4.3; 2014011 MIUI/JHCCNBH45.0)";

function post(path: string, contentType: string, body: string): Uint8Array {
  return httpRequest(
    "POST",
    EXAMPLE.apiHost,
    path,
    [
      ["User-Agent", UA],
      ["Content-Type", contentType],
      ["Accept-Encoding", "identity"],
    ],
    body,
  );
}

function ok(body: string): Uint8Array {
  return httpResponse(
    200,
    "OK",
    [
      ["Server", "Tengine"],
      ["Content-Type", "application/json;charset=UTF-8"],
    ],
    body,
  );
}

/** Registration: IMEI in the query string; carrier, national phone number and IMSI in a form body. */
export function registerExchange(): HttpExchange {
  const e = EXAMPLE;
  const query = new URLSearchParams({ imei: e.imei, model: "2014011", miui: "JHCCNBH45.0" }).toString();
  const form = new URLSearchParams({ carrier: e.carrier, phone: national(e.phone), imsi: e.imsi }).toString();
  return {
    request: post(`/pass/v3/device/register?${query}`, "application/x-www-form-urlencoded", form),
    response: ok('{"code":0,"result":"ok","userId":"1000001"}'),
  };
}

/** Address-book upload: a JSON body with the device id, the owner's number and each contact. */
export function contactsExchange(): HttpExchange {
  const e = EXAMPLE;
  const body = JSON.stringify({
    deviceId: e.imei,
    owner: e.phone,
    contacts: e.contacts.map((c) => ({ name: c.name, numbers: c.phones })),
  });
  return {
    request: post("/pass/v3/cloud/contacts", "application/json; charset=utf-8", body),
    response: ok(`{"code":0,"synced":${e.contacts.length}}`),
  };
}

/** SMS upload: a JSON body with each message's other party and text. */
export function smsExchange(): HttpExchange {
  const e = EXAMPLE;
  const date = Math.round(e.beforeStart * 1000) - 3_600_000;
  const body = JSON.stringify({ sms: e.sms.map((m) => ({ address: m.number, body: m.text, date })) });
  return {
    request: post("/pass/v3/cloud/sms", "application/json; charset=utf-8", body),
    response: ok(`{"code":0,"synced":${e.sms.length}}`),
  };
}

/** The DNS lookup that opens both tests: the phone asks the router for the API host. */
export function apiLookup(t: Timeline, start: number, id: number, port: number): number {
  const e = EXAMPLE;
  return t.udp({
    phone: e.phoneIp,
    phonePort: port,
    server: e.router,
    serverPort: 53,
    start,
    gap: 0.012,
    datagrams: [
      { fromPhone: true, data: dnsQuery(id, e.apiHost) },
      { fromPhone: false, data: dnsAnswer(id, e.apiHost, [e.xiaomiApi]) },
    ],
  });
}

/** Every frame of the first test, in time order. */
export function buildBefore(): Frame[] {
  const e = EXAMPLE;
  const t = new Timeline();
  const at = (s: number) => e.beforeStart + s;
  apiLookup(t, at(0), 0x5b1e, 38211);
  const exchanges = [registerExchange(), contactsExchange(), smsExchange()];
  t.tcp({
    phone: e.phoneIp,
    phonePort: 41822,
    server: e.xiaomiApi,
    serverPort: 80,
    isn: [0x2f1c0a01, 0x8a44b7c2],
    start: at(0.1),
    writes: exchanges.flatMap((x) => [
      { fromPhone: true, data: x.request },
      { fromPhone: false, data: x.response },
    ]),
  });
  return t.sorted();
}
