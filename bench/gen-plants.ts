// What the benchmark capture leaks and where: the fake device profile, HTTP requests that carry its
// identifiers in the encodings real apps use, and the truth file that records every planted value.

import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { httpRequest } from "../test/helpers/app-messages.ts";
import type { Prng } from "../test/helpers/traffic-synth.ts";
import type { Endpoints } from "./gen-sink.ts";

/** Contacts whose numbers the sync template plants. */
const PLANTED_CONTACTS = [
  { name: "Wang Fang", phones: ["+8613800138011"] },
  { name: "Zhao Lei", phones: ["+8613800138012", "+8613800138013"] },
];

/**
 * The rest of the address book: 200 contacts that are never planted, so the profile expands to well over 500
 * needles (issue 4's bench) without changing the capture's bytes. Deterministic, not drawn from the PRNG.
 */
export const ADDRESS_BOOK = Array.from({ length: 200 }, (_, i) => {
  const family = ["Chen", "Liu", "Yang", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Zhu"][i % 10];
  const given = ["Jing", "Min", "Jun", "Yan", "Tao", "Ping", "Hui", "Qiang", "Li", "Na"][
    Math.floor(i / 10) % 10
  ];
  const n = String(10000 + i * 37).padStart(5, "0");
  return { name: `${family} ${given} ${i + 1}`, phones: [`+86137${n}${String(i % 100).padStart(3, "0")}`] };
});

/** The fake device whose identifiers are planted (490154203237518 is a published example IMEI). */
export const BENCH_PROFILE = {
  device: "Synthetic phone (benchmark)",
  home_country: "CN",
  imei: "490154203237518",
  imsi: "460011234567891",
  phone_number: "+8613800138010",
  carrier: "China Unicom",
  email: "owner.benchmark@example.com",
  contacts: [...PLANTED_CONTACTS, ...ADDRESS_BOOK],
  sms: [{ number: "+8613800138014", text: "Your code is 482913" }],
} as const;

/** The profile as YAML, written beside the capture for `analyze --profile`. */
export function profileYaml(): string {
  const p = BENCH_PROFILE;
  const q = (v: string) => JSON.stringify(v);
  return [
    "# Device profile of the synthetic benchmark capture; every value is fake.",
    `device: ${q(p.device)}`,
    `home_country: ${p.home_country}`,
    `imei: ${q(p.imei)}`,
    `imsi: ${q(p.imsi)}`,
    `phone_number: ${q(p.phone_number)}`,
    `carrier: ${q(p.carrier)}`,
    `email: ${q(p.email)}`,
    "contacts:",
    ...p.contacts.flatMap((c) => [`  - name: ${q(c.name)}`, `    phones: [${c.phones.map(q).join(", ")}]`]),
    "sms:",
    ...p.sms.flatMap((m) => [`  - number: ${q(m.number)}`, `    text: ${q(m.text)}`]),
    "",
  ].join("\n");
}

/** One planted identifier inside a request: byte range [start, end) of the request, frames once sent. */
export interface Plant {
  /** Profile key: imei, imsi, phone_number, carrier, contact_phone, sms_number, sms_text. */
  kind: string;
  /** The profile value. */
  value: string;
  /** The text as it appears once the containers (gzip, form, ...) are undone. */
  planted: string;
  /** Where and how it is encoded, outermost first, e.g. `gzip › json › md5`. */
  transform: string;
  start: number;
  end: number;
  /** Frame numbers of the segments that carry any of its bytes. */
  frames: number[];
}

/** A request with identifiers in it. */
export interface PlantedRequest {
  bytes: Uint8Array;
  plants: Plant[];
}

const UA = "okhttp/4.12.0";
const hex = (algo: string, v: string) => createHash(algo).update(v).digest("hex");

/** Finds `planted` in the request text and returns the plant (the text must be there). */
function at(text: string, kind: string, value: string, planted: string, transform: string): Plant {
  const start = text.indexOf(planted);
  if (start < 0) throw new Error(`plant not found: ${planted}`);
  return { kind, value, planted, transform, start, end: start + planted.length, frames: [] };
}

type Template = (rng: Prng, host: string) => PlantedRequest;

const p = BENCH_PROFILE;

const TEMPLATES: Template[] = [
  (rng, host) => {
    const path = `/api/v2/device/register?imei=${p.imei}&imsi=${p.imsi}&os=android-13&ts=${rng.u32()}`;
    const text = latin1(httpRequest({ method: "GET", host, path, headers: [["User-Agent", UA]] }));
    return {
      bytes: bytesOf(text),
      plants: [at(text, "imei", p.imei, p.imei, "query"), at(text, "imsi", p.imsi, p.imsi, "query")],
    };
  },
  (rng, host) => {
    const body = new URLSearchParams({ phone: p.phone_number, carrier: p.carrier, seq: String(rng.u32()) });
    const headers: [string, string][] = [
      ["User-Agent", UA],
      ["Content-Type", "application/x-www-form-urlencoded"],
    ];
    const text = latin1(httpRequest({ host, path: "/collect", headers, body: body.toString() }));
    const phone = encodeURIComponent(p.phone_number);
    return {
      bytes: bytesOf(text),
      plants: [
        at(text, "phone_number", p.phone_number, phone, "form"),
        at(text, "carrier", p.carrier, p.carrier.replace(" ", "+"), "form"),
      ],
    };
  },
  (rng, host) => {
    const body = JSON.stringify({
      imsi: p.imsi,
      contacts: PLANTED_CONTACTS.flatMap((c) => c.phones.map((ph) => ({ name: c.name, phone: ph }))),
      sms: p.sms.map((m) => ({ from: m.number, body: m.text })),
      n: rng.u32(),
    });
    const headers: [string, string][] = [
      ["User-Agent", UA],
      ["Content-Type", "application/json"],
    ];
    const text = latin1(httpRequest({ host, path: "/v1/sync", headers, body }));
    const contacts = PLANTED_CONTACTS.flatMap((c) => c.phones).map((ph) =>
      at(text, "contact_phone", ph, ph, "json"),
    );
    return {
      bytes: bytesOf(text),
      plants: [
        at(text, "imsi", p.imsi, p.imsi, "json"),
        ...contacts,
        at(text, "sms_number", p.sms[0].number, p.sms[0].number, "json"),
        at(text, "sms_text", p.sms[0].text, p.sms[0].text, "json"),
      ],
    };
  },
  (rng, host) => {
    const md5 = hex("md5", p.imei);
    const sha = hex("sha256", p.phone_number);
    const body = gzipSync(JSON.stringify({ imei_md5: md5, phone_sha256: sha, t: rng.u32() }));
    const headers: [string, string][] = [
      ["User-Agent", UA],
      ["Content-Type", "application/json"],
      ["Content-Encoding", "gzip"],
    ];
    const bytes = httpRequest({ host, path: "/v1/report", headers, body });
    // The compressed body as a whole carries both values.
    const span = () => ({ start: bytes.length - body.length, end: bytes.length, frames: [] as number[] });
    return {
      bytes,
      plants: [
        { kind: "imei", value: p.imei, planted: md5, transform: "gzip › json › md5", ...span() },
        {
          kind: "phone_number",
          value: p.phone_number,
          planted: sha,
          transform: "gzip › json › sha256",
          ...span(),
        },
      ],
    };
  },
  (rng, host) => {
    const b64 = Buffer.from(p.imei).toString("base64");
    const md5 = hex("md5", p.imsi);
    const headers: [string, string][] = [
      ["User-Agent", UA],
      ["X-Device", b64],
      ["Cookie", `uid=${md5}; v=${rng.int(1, 99)}`],
    ];
    const text = latin1(httpRequest({ method: "GET", host, path: "/config", headers }));
    return {
      bytes: bytesOf(text),
      plants: [
        at(text, "imei", p.imei, b64, "header › base64"),
        at(text, "imsi", p.imsi, md5, "cookie › md5"),
      ],
    };
  },
];

/** A request carrying identifiers, from one of the templates. */
export function plantedRequest(rng: Prng, host: string): PlantedRequest {
  return rng.pick(TEMPLATES)(rng, host);
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b).toString("latin1");
}

function bytesOf(s: string): Uint8Array {
  return Buffer.from(s, "latin1");
}

/** Streams `<capture>.truth.json`: a header, one entry per plant as it completes, then the totals. */
export class TruthWriter {
  private readonly fd: number;
  private pending: string[] = [];
  private size = 0;
  /** Plants written. */
  count = 0;

  /** Opens the file and writes the fields known up front. */
  constructor(path: string, head: Record<string, unknown>) {
    this.fd = openSync(path, "w");
    const open = JSON.stringify({ ...head, profile: BENCH_PROFILE }, null, 1);
    writeSync(this.fd, `${open.slice(0, -2)},\n "plants": [`);
  }

  /** Records a plant once all its frames are written. */
  add(pl: Plant, e: Endpoints, host: string, clientText: string, serverText: string): void {
    const entry = {
      kind: pl.kind,
      value: pl.value,
      planted: pl.planted,
      transform: pl.transform,
      host,
      frames: pl.frames,
      split: pl.frames.length > 1,
      conn: { proto: "tcp", orig_h: clientText, orig_p: e.cPort, resp_h: serverText, resp_p: e.sPort },
    };
    const line = `${this.count === 0 ? "\n" : ",\n"}  ${JSON.stringify(entry)}`;
    this.pending.push(line);
    this.size += line.length;
    this.count++;
    if (this.size > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.pending.length > 0) writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.size = 0;
  }

  /** Writes the totals and closes the file. */
  close(tail: Record<string, unknown>): void {
    this.flush();
    const rest = JSON.stringify(tail, null, 1).slice(1);
    writeSync(this.fd, `\n ],${rest}\n`);
    closeSync(this.fd);
  }
}
