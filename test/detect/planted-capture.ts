// The planted-leak capture: a pcap in which one device profile's identifiers (every kind) are planted in every
// variant the detector claims to know (formats, case, separators, URL-encoding, base64 at three alignments,
// hex, digests) and inside nested containers (query, form, JSON, headers, gzip, base64-in-JSON-in-form,
// protobuf varint, multipart, a value split across TCP segments of a raw stream), among decoys. It returns the
// truth: what was planted where, with the chain a finding must report. The truth is built from what this file
// planted (encodings computed here with node:crypto / Buffer / zlib), never from the detector.

import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { stringify } from "yaml";
import type { IdentifierKind } from "../../src/model/finding.ts";
import { httpRequest, httpResponse } from "../helpers/app-messages.ts";
import { writePcap } from "../helpers/capture-writer.ts";
import { utf8 } from "../helpers/packet-builder.ts";
import { type Prng, type SynthFrame, TrafficSynth } from "../helpers/traffic-synth.ts";

/** The planted device. 490154203237518 is a published example IMEI (Luhn-valid); the ICCID is Luhn-valid. */
export const PLANTED_PROFILE = {
  device: "Planted test phone",
  home_country: "CN",
  imei: "490154203237518",
  imsi: "460011234567891",
  iccid: "89860112345678901237",
  phone_number: "+8613800138010",
  carrier: "China Unicom",
  email: "li.wei.2014@example.com",
  android_id: "3f9a1c2b7d4e6f80",
  aaid: "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
  mac: "a4:5e:60:c2:11:9f",
  serial: "R58M12ABCDE",
  location: [{ lat: 39.9087, lon: 116.3975, radius_m: 500 }],
  contacts: [{ name: "Li Wei", phones: ["+8613912345678"], emails: ["zhang.min@example.org"] }],
  sms: [{ number: "+8613700137000", text: "Your verification code is 482913, valid for 5 minutes" }],
  custom: [{ label: "push token", value: "fcm:dQw4w9WgXcQ~APA91b?Hx>z" }],
} as const;

/** Where a plant sat: the TCP 4-tuple (the phone is the originator). Uids are run-specific, so not used. */
export interface Locator {
  orig_h: string;
  orig_p: number;
  resp_h: string;
  resp_p: number;
}

/** One planted value and the finding it must produce. */
export interface Plant {
  /** Finding kind expected. */
  kind: IdentifierKind;
  /** The profile value (what a revealed finding shows). */
  value: string;
  /** What was planted, in words (e.g. `imei no check digit`, `base64 alignment 2`). */
  variant: string;
  /** The text as it sits in its innermost container. */
  text: string;
  /** Expected chain: the layers in order (payload layer first), then the variant's own steps. */
  chain: string[];
  /** True for location plants: reported by the location detector (generic), checked by kind and precision. */
  location?: boolean;
  /** Decimal places sent (locations). */
  precision?: number;
  /** The connection. */
  conn: Locator;
  /** 1-based frame numbers of the segments carrying the message; the last one completes it. */
  frames: number[];
}

/** The capture and its truth. */
export interface PlantedCapture {
  /** The pcap file's bytes. */
  pcap: Uint8Array;
  /** The profile as YAML. */
  profileYaml: string;
  /** Every plant. */
  plants: Plant[];
  /** Connections holding only decoys: no profile finding may come from them. */
  decoyConns: Locator[];
  /** Every planted text and profile value: none may appear in masked output. */
  secrets: string[];
}

const P = PLANTED_PROFILE;
const CLIENT = "192.168.1.23";
const hash = (alg: string, s: string) => createHash(alg).update(s).digest();
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString("base64");
const hexOf = (s: string) => Buffer.from(s).toString("hex");

/** A planted value before its connection is known. */
type Spec = Omit<Plant, "conn" | "frames">;

function spec(kind: IdentifierKind, value: string, variant: string, text: string, chain: string[]): Spec {
  return { kind, value, variant, text, chain };
}

/** One message (a client write) with the values planted in it. */
interface Message {
  host: string;
  port?: number;
  bytes: Uint8Array;
  specs: Spec[];
  /** Segment size (to split a value across segments). */
  mss?: number;
}

const q = (name: string) => ["http.uri", `query ${name}`];
const form = (name: string) => ["http.body", `form ${name}`];
const json = (path: string) => ["http.body", `json ${path}`];
const header = (name: string) => [`http.header ${name}`];

/** Query string: exact values, URL-encoded phone, dashed upper-case MAC, URL-safe base64 at alignment 1. */
function queryMessage(): Message {
  const tok = Buffer.from(`A${P.custom[0].value};exp=1`).toString("base64url");
  const path =
    `/c/register?imei=${P.imei}&imsi=${P.imsi}&iccid=${P.iccid}&msisdn=%2B8613800138010` +
    `&wifi=A4-5E-60-C2-11-9F&aid=${P.android_id}&adid=${P.aaid}&sn=${P.serial}&tok=${tok}&v=13`;
  return {
    host: "api.account.xiaomi.com",
    bytes: httpRequest({ host: "api.account.xiaomi.com", path, headers: [["User-Agent", "okhttp/3.12"]] }),
    specs: [
      spec("imei", P.imei, "exact", P.imei, q("imei")),
      spec("imsi", P.imsi, "exact", P.imsi, q("imsi")),
      spec("iccid", P.iccid, "exact", P.iccid, q("iccid")),
      spec("phone_number", P.phone_number, "e164 url-encoded in a query", "%2B8613800138010", q("msisdn")),
      spec("mac", P.mac, "dashes upper", "A4-5E-60-C2-11-9F", q("wifi")),
      spec("android_id", P.android_id, "exact", P.android_id, q("aid")),
      spec("aaid", P.aaid, "exact", P.aaid, q("adid")),
      spec("serial", P.serial, "exact", P.serial, q("sn")),
      spec("custom", P.custom[0].value, "base64url alignment 1", tok, [...q("tok"), "base64"]),
    ],
  };
}

/** Form body: IMEI without check digit and dashed, phone in digit forms, carrier, bare MAC, encoded email. */
function formMessage(): Message {
  const fields: [string, string, IdentifierKind, string, string][] = [
    ["did", "49015420323751", "imei", P.imei, "no check digit"],
    ["imei_fmt", "49-015420-323751-8", "imei", P.imei, "dashed"],
    ["tel", "8613800138010", "phone_number", P.phone_number, "e164 without +"],
    ["tel2", "008613800138010", "phone_number", P.phone_number, "00-prefixed"],
    ["mobile", "13800138010", "phone_number", P.phone_number, "national"],
    ["mobile0", "013800138010", "phone_number", P.phone_number, "national with trunk 0"],
    ["op", "China+Unicom", "carrier", P.carrier, "form-encoded space"],
    ["m", "a45e60c2119f", "mac", P.mac, "no separators lower"],
    ["em", "li.wei.2014%40example.com", "email", P.email, "url-encoded in a form"],
  ];
  const body = `${fields.map(([k, v]) => `${k}=${v}`).join("&")}&seq=4711`;
  const headers: [string, string][] = [["Content-Type", "application/x-www-form-urlencoded"]];
  return {
    host: "data.mistat.xiaomi.com",
    bytes: httpRequest({ host: "data.mistat.xiaomi.com", path: "/mistats", headers, body }),
    specs: fields.map(([k, v, kind, value, variant]) => spec(kind, value, variant, v, form(k))),
  };
}

/** JSON leaves: spaced and dashed phone formats, case variants, upper hex of the IMEI. */
function jsonMessage(): Message {
  const leaves: [string, string, IdentifierKind, string, string, string[]][] = [
    ["p1", "+86 138 0013 8010", "phone_number", P.phone_number, "international spaced", []],
    ["p2", "138 0013 8010", "phone_number", P.phone_number, "national spaced", []],
    ["p3", "138-0013-8010", "phone_number", P.phone_number, "national dashed", []],
    ["p4", "+86-138-0013-8010", "phone_number", P.phone_number, "international dashed", []],
    ["e", P.email.toUpperCase(), "email", P.email, "upper case", []],
    ["op", P.carrier.toLowerCase(), "carrier", P.carrier, "lower case", []],
    ["aid", P.android_id.toUpperCase(), "android_id", P.android_id, "upper case", []],
    ["adid", P.aaid.toUpperCase(), "aaid", P.aaid, "upper case", []],
    ["sn", P.serial.toLowerCase(), "serial", P.serial, "lower case", []],
    ["mac", P.mac.toUpperCase(), "mac", P.mac, "colons upper", []],
    ["ih", hexOf(P.imei).toUpperCase(), "imei", P.imei, "hex upper", ["hex"]],
  ];
  const body = JSON.stringify({ ...Object.fromEntries(leaves.map((l) => [l[0], l[1]])), ver: 7 });
  return jsonPost(
    "api.ad.xiaomi.com",
    "/v3/ad",
    body,
    leaves.map((l) => spec(l[2], l[3], l[4], l[1], [...json(`$.${l[0]}`), ...l[5]])),
  );
}

function jsonPost(
  host: string,
  path: string,
  body: string | Uint8Array,
  specs: Spec[],
  extra: [string, string][] = [],
): Message {
  const headers: [string, string][] = [["Content-Type", "application/json"], ...extra];
  return { host, bytes: httpRequest({ host, path, headers, body }), specs };
}

/** Address book and SMS: a contact's name in another case, a dashed contact number, a run of the SMS text. */
function contactsMessage(): Message {
  const c = P.contacts[0];
  const run = "VERIFICATION CODE IS 482913, VALID";
  const body = JSON.stringify({
    contacts: [{ name: "LI WEI", tel: "139-1234-5678", mail: c.emails[0] }],
    sms: [{ from: "+86 137 0013 7000", body: run }],
  });
  return jsonPost("sdkconfig.ad.xiaomi.com", "/sync", body, [
    spec("contact_name", c.name, "name upper case", "LI WEI", json("$.contacts[0].name")),
    spec("contact_phone", c.phones[0], "national dashed", "139-1234-5678", json("$.contacts[0].tel")),
    spec("contact_email", c.emails[0], "exact", c.emails[0], json("$.contacts[0].mail")),
    spec("sms_number", P.sms[0].number, "international spaced", "+86 137 0013 7000", json("$.sms[0].from")),
    spec("sms_text", P.sms[0].text, "upper-case run of the text", run, json("$.sms[0].body")),
  ]);
}

/** Header values: hex, exact MAC, base64, MD5 and a URL-encoded carrier name. */
function headerMessage(): Message {
  const hs: [string, string, IdentifierKind, string, string, string[]][] = [
    ["X-Device-Id", hexOf(P.imei), "imei", P.imei, "hex lower", ["hex"]],
    ["X-Mac", P.mac, "mac", P.mac, "colons lower", []],
    ["X-Token", b64(P.imei), "imei", P.imei, "base64", ["base64"]],
    ["X-Imei-Md5", hash("md5", P.imei).toString("hex"), "imei", P.imei, "md5 hex", ["md5(imei)"]],
    ["X-Carrier", "China%20Unicom", "carrier", P.carrier, "url-encoded", ["urlencode"]],
  ];
  const host = "tracking.miui.com";
  return {
    host,
    bytes: httpRequest({ host, path: "/track", headers: hs.map((h): [string, string] => [h[0], h[1]]) }),
    specs: hs.map((h) => spec(h[2], h[3], h[4], h[1], [...header(h[0]), ...h[5]])),
  };
}

/** Digests in JSON leaves: hex lower/upper and a base64 digest, of several normalised forms. */
function hashMessage(): Message {
  const sha256b64 = b64(hash("sha256", P.imei));
  const leaves: [string, string, IdentifierKind, string, string, string[]][] = [
    ["h1", hash("md5", P.imei).toString("hex"), "imei", P.imei, "md5 hex", ["md5(imei)"]],
    ["h2", hash("sha1", P.imei).toString("hex").toUpperCase(), "imei", P.imei, "sha1 HEX", ["sha1(imei)"]],
    ["h3", sha256b64, "imei", P.imei, "sha256 base64", ["base64", "sha256(imei)"]],
    ["h4", hash("md5", P.email).toString("hex"), "email", P.email, "md5 hex", ["md5(email)"]],
    [
      "h5",
      hash("sha256", P.phone_number).toString("hex"),
      "phone_number",
      P.phone_number,
      "sha256 hex of e164",
      ["sha256(phone_number)"],
    ],
    [
      "h6",
      hash("sha1", P.android_id).toString("hex"),
      "android_id",
      P.android_id,
      "sha1 hex",
      ["sha1(android_id)"],
    ],
    ["h7", hash("md5", P.mac).toString("hex"), "mac", P.mac, "md5 hex of the colon form", ["md5(mac)"]],
  ];
  const body = JSON.stringify(Object.fromEntries(leaves.map((l) => [l[0], l[1]])));
  return jsonPost(
    "app-measurement.com",
    "/a",
    body,
    leaves.map((l) => spec(l[2], l[3], l[4], l[1], [...json(`$.${l[0]}`), ...l[5]])),
  );
}

/**
 * The IMEI inside longer base64 strings at the three alignments (binary prefixes of 3, 4 and 5 bytes, so the
 * decoded bytes are not text and only the base64 needles of the value, not a decoded layer, can find it).
 */
function alignmentMessage(): Message {
  const prefixes = [
    [0x01, 0xfe, 0x02],
    [0x03, 0xfd, 0x04, 0x05],
    [0x06, 0xfc, 0x07, 0x08, 0x09],
  ];
  const specs: Spec[] = [];
  const obj: Record<string, string> = {};
  prefixes.forEach((pre, i) => {
    const raw = Buffer.concat([Buffer.from(pre), Buffer.from(P.imei), Buffer.from([0x00, 0xff, 0x10, 0x80])]);
    const text = raw.toString("base64");
    obj[`a${i}`] = text;
    specs.push(
      spec("imei", P.imei, `base64 alignment ${pre.length % 3}`, text, [...json(`$.a${i}`), "base64"]),
    );
  });
  return jsonPost("api.branch.io", "/v1/open", JSON.stringify(obj), specs);
}

/** Nested: gzip magic without Content-Encoding, a Content-Encoding gzip body, base64-in-JSON-in-form. */
function nestedMessages(): Message[] {
  const inner = b64(P.imei);
  const gz = gzipSync(JSON.stringify({ data: { d: inner, n: 3 } }));
  const octet: [string, string][] = [["Content-Type", "application/octet-stream"]];
  const enc = gzipSync(JSON.stringify({ imsi: P.imsi, p: P.phone_number }));
  const payload = JSON.stringify({ d: b64(P.phone_number), k: 1 });
  const formHeaders: [string, string][] = [["Content-Type", "application/x-www-form-urlencoded"]];
  return [
    {
      host: "tracking.miui.com",
      bytes: httpRequest({ host: "tracking.miui.com", path: "/up", headers: octet, body: gz }),
      specs: [
        spec("imei", P.imei, "base64 in JSON in gzip", inner, [
          "http.body",
          "gzip",
          "json $.data.d",
          "base64",
        ]),
      ],
    },
    jsonPost(
      "in.appcenter.ms",
      "/logs",
      enc,
      [
        spec("imsi", P.imsi, "exact (Content-Encoding gzip undone by HTTP)", P.imsi, json("$.imsi")),
        spec("phone_number", P.phone_number, "e164", P.phone_number, json("$.p")),
      ],
      [["Content-Encoding", "gzip"]],
    ),
    {
      host: "api.account.xiaomi.com",
      bytes: httpRequest({
        host: "api.account.xiaomi.com",
        path: "/pass/sync",
        headers: formHeaders,
        body: `payload=${encodeURIComponent(payload)}&v=2`,
      }),
      specs: [
        spec("phone_number", P.phone_number, "base64 in JSON in form", b64(P.phone_number), [
          ...form("payload"),
          "json $.d",
          "base64",
        ]),
      ],
    },
  ];
}

/** Protobuf wire format (no schema): the IMEI as an int64 varint, the email in a nested message. */
function protobufMessage(): Message {
  const varint = (n: bigint) => {
    const out: number[] = [];
    while (n > 0x7fn) {
      out.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    out.push(Number(n));
    return out;
  };
  const str = (field: number, s: Uint8Array) => [(field << 3) | 2, ...varint(BigInt(s.length)), ...s];
  const nested = Uint8Array.from([(1 << 3) | 0, ...varint(1717200000n), ...str(2, utf8(P.email))]);
  const body = Uint8Array.from([
    ...str(1, utf8("android-13")),
    (2 << 3) | 0,
    ...varint(BigInt(P.imei)),
    ...str(3, nested),
  ]);
  const host = "sdkconfig.ad.xiaomi.com";
  const headers: [string, string][] = [["Content-Type", "application/x-protobuf"]];
  return {
    host,
    bytes: httpRequest({ host, path: "/pb", headers, body }),
    specs: [
      spec("imei", P.imei, "protobuf int64 varint", P.imei, ["http.body", "protobuf 2"]),
      spec("email", P.email, "protobuf string in a nested message", P.email, ["http.body", "protobuf 3.2"]),
    ],
  };
}

/** multipart/form-data: a plain part, a 00-prefixed phone part, and a JSON part. */
function multipartMessage(): Message {
  const b = "----phonehome7MA4YWxkTrZu0gW";
  const part = (name: string, value: string, type?: string) =>
    `--${b}\r\nContent-Disposition: form-data; name="${name}"\r\n${type ? `Content-Type: ${type}\r\n` : ""}\r\n${value}\r\n`;
  const body = `${part("imei", P.imei)}${part("phone", "008613800138010")}${part("meta", JSON.stringify({ mail: P.email }), "application/json")}--${b}--\r\n`;
  const host = "api2.branch.io";
  const headers: [string, string][] = [["Content-Type", `multipart/form-data; boundary=${b}`]];
  return {
    host,
    bytes: httpRequest({ host, path: "/upload", headers, body }),
    specs: [
      spec("imei", P.imei, "multipart part", P.imei, ["http.body", "multipart imei"]),
      spec("phone_number", P.phone_number, "00-prefixed in a part", "008613800138010", [
        "http.body",
        "multipart phone",
      ]),
      spec("email", P.email, "JSON in a typed part", P.email, ["http.body", "multipart meta", "json $.mail"]),
    ],
  };
}

/** Raw (non-HTTP) streams on 5222: the IMEI cut in two by a segment boundary, a URL-encoded email. */
function rawMessages(): Message[] {
  const xml = `<iq type='set' id='r1'><device imei='${P.imei}' os='13'/></iq>`;
  return [
    {
      host: "push.xiaomi.com",
      port: 5222,
      bytes: utf8(xml),
      mss: xml.indexOf(P.imei) + 7,
      specs: [spec("imei", P.imei, "split across two segments", P.imei, ["raw.stream"])],
    },
    {
      host: "push.xiaomi.com",
      port: 5222,
      bytes: utf8("HELLO 3\nEMAIL li.wei.2014%40example.com\nBYE\n"),
      specs: [
        spec("email", P.email, "url-encoded", "li.wei.2014%40example.com", ["raw.stream", "urlencode"]),
      ],
    },
  ];
}

/** Coordinates near the profile's location: JSON lat/lng leaves (5 decimals), a lat,lon query value (3). */
function locationMessages(): Message[] {
  const loc = (text: string, layer: string, precision: number): Spec => ({
    ...spec("location", "", `lat/lon at ${precision} decimals`, text, [layer]),
    location: true,
    precision,
  });
  const host = "api.map.baidu.com";
  return [
    jsonPost(host, "/loc", JSON.stringify({ lat: 39.90923, lng: 116.39751, acc: 20 }), [
      loc("39.90923", "http.body", 5),
    ]),
    {
      host,
      bytes: httpRequest({ host, path: "/geo?loc=39.909,116.398&coord=wgs84" }),
      specs: [loc("39.909,116.398", "http.uri", 3)],
    },
  ];
}

/** Every plant message, in capture order. */
function plantMessages(): Message[] {
  return [
    queryMessage(),
    formMessage(),
    jsonMessage(),
    contactsMessage(),
    headerMessage(),
    hashMessage(),
    alignmentMessage(),
    ...nestedMessages(),
    protobufMessage(),
    multipartMessage(),
    ...rawMessages(),
    ...locationMessages(),
  ];
}

/** 15 random digits whose Luhn check fails. */
function nonLuhn15(rng: Prng): string {
  const d = Array.from({ length: 14 }, () => rng.int(0, 9));
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let v = d[13 - i];
    if (i % 2 === 0) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
  }
  const check = (10 - (sum % 10)) % 10;
  return [...d, (check + 1 + rng.int(0, 8)) % 10].join("");
}

/** Decoy-only messages: other people's numbers and emails, non-Luhn numbers, random hashes and base64. */
function decoyMessages(rng: Prng): Message[] {
  const randHex = (n: number) => Buffer.from(rng.bytes(n)).toString("hex");
  const body = JSON.stringify({
    order: nonLuhn15(rng),
    ref: nonLuhn15(rng),
    friend: "+4915112345678",
    friend2: "139-0013-9000",
    mail: "wang.fang@example.com",
    name: "Lisa Weiss",
    mac: "a4:5e:60:c2:11:9e",
    md5: randHex(16),
    sha256: randHex(32),
    blob: b64(rng.bytes(48)),
    note: b64("another phone, another life"),
  });
  const path = `/q?imei=${nonLuhn15(rng)}&msisdn=%2B8613900139000&email=someone.else%40example.net&h=${randHex(20)}&t=${b64(rng.bytes(18))}`;
  return [
    { host: "api.ad.xiaomi.com", bytes: httpRequest({ host: "api.ad.xiaomi.com", path }), specs: [] },
    jsonPost("app-measurement.com", "/decoy", body, []),
    {
      host: "push.xiaomi.com",
      port: 5222,
      bytes: utf8(`FROM ${nonLuhn15(rng)} TO +8613900139000\n`),
      specs: [],
    },
  ];
}

/** Builds the capture: one TCP connection per message, sequential, so frame numbers follow write order. */
export function buildPlantedCapture(seed = 7): PlantedCapture {
  const synth = new TrafficSynth({ seed, client: CLIENT, startTs: 1717200000 });
  const servers = new Map<string, string>();
  const serverOf = (host: string) => {
    if (!servers.has(host)) servers.set(host, `203.0.113.${10 + servers.size}`);
    return servers.get(host)!;
  };
  const frameNo = new Map<SynthFrame, number>();
  let nextPort = 40000;
  const run = (m: Message) => {
    const conn: Locator = {
      orig_h: CLIENT,
      orig_p: nextPort++,
      resp_h: serverOf(m.host),
      resp_p: m.port ?? 80,
    };
    const mss = m.mss ?? 1460;
    const reply = m.port
      ? utf8("OK\n")
      : httpResponse({ headers: [["Content-Type", "application/json"]], body: "{}" });
    const r = synth.tcpConversation({
      client: conn.orig_h,
      server: conn.resp_h,
      clientPort: conn.orig_p,
      serverPort: conn.resp_p,
      mss,
      exchanges: [
        { fromClient: true, data: m.bytes },
        { fromClient: false, data: reply },
      ],
    });
    for (const f of r.frames) frameNo.set(f, frameNo.size + 1);
    const segs = Math.ceil(m.bytes.length / mss);
    if (!m.mss && segs !== 1) throw new Error(`message to ${m.host} does not fit one segment`);
    // Handshake (3 frames), then the client's data segments.
    const frames = r.frames.slice(3, 3 + segs).map((f) => frameNo.get(f)!);
    return { conn, frames };
  };
  const plants: Plant[] = [];
  for (const m of plantMessages()) {
    const { conn, frames } = run(m);
    for (const s of m.specs) plants.push({ ...s, conn, frames });
  }
  const decoyConns = decoyMessages(synth.rng).map((m) => run(m).conn);
  const pcap = writePcap(synth.frames, { linkType: synth.linkType });
  const secrets = [...new Set([...plants.map((p) => p.text), ...profileValues()])].filter(
    (s) => s.length >= 6,
  );
  return { pcap, profileYaml: stringify(PLANTED_PROFILE), plants, decoyConns, secrets };
}

/** Every string value of the profile except the labels. */
function profileValues(): string[] {
  const c = P.contacts[0];
  return [
    P.imei,
    P.imsi,
    P.iccid,
    P.phone_number,
    P.email,
    P.android_id,
    P.aaid,
    P.mac,
    P.serial,
    ...c.phones,
    ...c.emails,
    P.sms[0].number,
    P.sms[0].text,
    P.custom[0].value,
  ];
}
