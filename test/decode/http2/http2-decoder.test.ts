// The HTTP/2 decoder as the pipeline runs it: the preface probe, a real h2c conversation between node:http2
// peers (planted paths, headers and bodies, one gzip'd response, concurrent streams, a body over many
// frames) recorded through a relay, written as a pcap and run through runCapture, compared with the planted
// values and with tshark's HTTP/2 dissection of the same file; and the never-throws properties.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { runCapture } from "../../../src/app/capture-run.ts";
import type { PipelineRecord } from "../../../src/app/record-sink.ts";
import {
  createHttp2Consumer,
  HTTP2_WEIRD_NAMES,
  http2Decoder,
  probeHttp2,
} from "../../../src/decode/http2/http2-decoder.ts";
import { STREAM_DECODERS } from "../../../src/decode/registry.ts";
import type { DecoderOutput, PayloadChunk } from "../../../src/decode/stream-decoder.ts";
import type { ConnRecord } from "../../../src/model/conn.ts";
import type { HttpRecord } from "../../../src/model/http.ts";
import { writePcap } from "../../helpers/capture-writer.ts";
import { type H2cRecording, recordH2c, request } from "../../helpers/h2c-recorder.ts";
import { data, frame, headers, PREFACE, settings } from "../../helpers/http2-builder.ts";
import { tsharkOn } from "../../helpers/synth-tshark.ts";
import { TrafficSynth } from "../../helpers/traffic-synth.ts";
import { NO_TSHARK } from "../../helpers/tshark.ts";
import { CTX, clientStart, requestBlock, responseBlock } from "./http2-helpers.ts";

test("probe: the client preface, or a prefix of it of 4 bytes or more", () => {
  const preface = Buffer.from(PREFACE, "latin1");
  assert.equal(probeHttp2(preface), true);
  assert.equal(probeHttp2(Buffer.concat([preface, settings()])), true);
  assert.equal(probeHttp2(preface.subarray(0, 4)), true);
  for (const s of [
    "PRI",
    "PRI * HTTP/1.1\r\n",
    "GET / HTTP/1.1\r\n",
    "\x16\x03\x01\x02\x00",
    "",
    "pri * HTTP/2.0",
  ]) {
    assert.equal(probeHttp2(Buffer.from(s, "latin1")), false, JSON.stringify(s));
  }
  // The server's opening SETTINGS does not claim a connection: the client's preface does.
  assert.equal(probeHttp2(settings()), false);
  assert.ok(STREAM_DECODERS.includes(http2Decoder));
  assert.equal(new Set(HTTP2_WEIRD_NAMES).size, HTTP2_WEIRD_NAMES.length);
});

// Planted values: what the phone sends and what the server answers.
const IMEI = "868031020761234";
const DEVICE_ID = "b7f3c1d2e4a5968778695a4b3c2d1e0f";
const FORM = "phone=%2B8613800138000&carrier=China%20Mobile&sms=10086";
const CONTACTS = "contacts=13900139000,13700137000;imsi=460001234567890";
const BIG = Buffer.from("0123456789abcdef".repeat(6400)); // 100 KiB: many DATA frames and segments
const PORT_CLIENT = 51000;

function answer(
  req: import("node:http2").Http2ServerRequest,
  res: import("node:http2").Http2ServerResponse,
): void {
  const chunks: Buffer[] = [];
  req.on("data", (d: Buffer) => chunks.push(d));
  req.on("end", () => {
    if (req.url === "/contacts") {
      res.setHeader("content-encoding", "gzip");
      res.setHeader("content-type", "text/plain");
      res.end(gzipSync(CONTACTS));
    } else if (req.url === "/big") {
      res.end(BIG);
    } else if (req.method === "POST") {
      res.writeHead(201, {
        "content-type": "application/json",
        "x-echo-length": String(Buffer.concat(chunks).length),
      });
      res.end('{"saved":true}');
    } else {
      res.setHeader("content-type", "application/json");
      res.end('{"ok":true}');
    }
  });
}

let recording: Promise<{ rec: H2cRecording; file: string }> | undefined;

/** The conversation, recorded once and written as a pcap. */
function conversation(): Promise<{ rec: H2cRecording; file: string }> {
  recording ??= (async () => {
    const rec = await recordH2c(answer, async (s) => {
      const ua = "MIUI/V5.4.11 Redmi 1S";
      await request(s, {
        ":path": `/api/v1/config?imei=${IMEI}`,
        "user-agent": ua,
        "x-device-id": DEVICE_ID,
      });
      await Promise.all([
        request(
          s,
          {
            ":method": "POST",
            ":path": "/pass/serviceLogin",
            "content-type": "application/x-www-form-urlencoded",
            "x-device-id": DEVICE_ID,
          },
          FORM,
        ),
        request(s, { ":path": "/contacts", "x-device-id": DEVICE_ID }),
        request(s, { ":path": "/big" }),
      ]);
    });
    const synth = new TrafficSynth({ seed: 11 });
    synth.tcpConversation({
      client: "10.0.0.2",
      server: "203.0.113.80",
      clientPort: PORT_CLIENT,
      serverPort: rec.port,
      mss: 1400,
      exchanges: rec.chunks.map((c) => ({ fromClient: c.fromClient, data: c.data })),
    });
    const file = join(mkdtempSync(join(tmpdir(), "phonehome-h2-")), "h2c.pcap");
    writeFileSync(file, writePcap(synth.sorted(), { linkType: synth.linkType }));
    return { rec, file };
  })();
  return recording;
}

async function decode(
  file: string,
): Promise<{ records: PipelineRecord[]; payloads: (PayloadChunk & { text: string })[] }> {
  const records: PipelineRecord[] = [];
  const payloads: (PayloadChunk & { text: string })[] = [];
  await runCapture(file, {
    onRecord: (r) => records.push(r),
    onPayload: (p) =>
      payloads.push({ ...p, data: new Uint8Array(p.data), text: Buffer.from(p.data).toString("latin1") }),
  });
  return { records, payloads };
}

test("a real h2c conversation (node:http2) through runCapture: the planted values come back", async () => {
  const { rec, file } = await conversation();
  const { records, payloads } = await decode(file);
  assert.deepEqual(
    records.filter((r) => r.type === "weird"),
    [],
  );
  const conn = records.find((r): r is ConnRecord => r.type === "conn")!;
  assert.equal(conn.service, "http2");
  const http = records
    .filter((r): r is HttpRecord => r.type === "http")
    .sort((a, b) => a.trans_depth - b.trans_depth);
  const authority = `127.0.0.1:${rec.port}`;
  assert.deepEqual(
    http.map((r) => [r.trans_depth, r.method, r.host, r.uri, r.status_code, r.version]),
    [
      [1, "GET", authority, `/api/v1/config?imei=${IMEI}`, 200, "2"],
      [2, "POST", authority, "/pass/serviceLogin", 201, "2"],
      [3, "GET", authority, "/contacts", 200, "2"],
      [4, "GET", authority, "/big", 200, "2"],
    ],
  );
  const [config, login, contacts, big] = http;
  assert.equal(config.user_agent, "MIUI/V5.4.11 Redmi 1S");
  assert.deepEqual(config.query, [["imei", IMEI]]);
  // The device id is sent on three streams; nghttp2 indexes it, so later requests refer to the dynamic table.
  for (const r of [config, login, contacts])
    assert.ok(r.request_headers.some(([n, v]) => n === "x-device-id" && v === DEVICE_ID));
  assert.equal(login.request_body_len, FORM.length);
  assert.equal(login.request_content_type, "application/x-www-form-urlencoded");
  assert.ok(login.response_headers.some(([n, v]) => n === "x-echo-length" && v === String(FORM.length)));
  assert.equal(contacts.content_encoding, "gzip");
  assert.equal(contacts.response_body_len, gzipSync(CONTACTS).length);
  assert.equal(big.response_body_len, BIG.length);
  assert.ok(http.every((r) => r.transport === "cleartext" && r.uid === conn.uid));

  const bodies = (index: number, fromOrig: boolean) =>
    payloads
      .filter((p) => p.layer === "http.body" && p.index === index && p.fromOrig === fromOrig)
      .map((p) => p.text);
  assert.deepEqual(bodies(2, true), [FORM]);
  assert.deepEqual(bodies(3, false), [CONTACTS]); // gzip undone for the detector
  assert.deepEqual(bodies(4, false), [BIG.toString("latin1")]);
  assert.deepEqual(
    payloads.filter((p) => p.layer === "http.uri").map((p) => p.text),
    [`/api/v1/config?imei=${IMEI}`, "/pass/serviceLogin", "/contacts", "/big"],
  );
  assert.ok(
    payloads.some((p) => p.layer === "http.header" && p.text.includes(`x-device-id: ${DEVICE_ID}\r\n`)),
  );
});

test("the same capture through tshark: request paths and every header field agree", {
  skip: NO_TSHARK,
}, async () => {
  const { rec, file } = await conversation();
  const { records } = await decode(file);
  const http = records
    .filter((r): r is HttpRecord => r.type === "http")
    .sort((a, b) => a.trans_depth - b.trans_depth);
  const args = [
    "-d",
    `tcp.port==${rec.port},http2`,
    "-T",
    "fields",
    "-E",
    "occurrence=a",
    "-E",
    "aggregator=|",
  ];
  const rows = tsharkOn(file, [
    "-Y",
    "http2",
    ...args,
    "-e",
    "http2.headers.path",
    "-e",
    "http2.header.name",
    "-e",
    "http2.header.value",
  ])
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.split("\t"));
  const paths = rows.flatMap((r) => (r[0] ? r[0].split("|") : []));
  assert.deepEqual(
    http.map((r) => r.uri),
    paths,
  );
  const theirs = rows.flatMap((r) => {
    const names = r[1] ? r[1].split("|") : [];
    const values = r[2] ? r[2].split("|") : [];
    assert.equal(names.length, values.length);
    return names.map((n, i) => `${n}: ${values[i]}`);
  });
  const ours = http.flatMap((r) =>
    [...r.request_headers, ...r.response_headers].map(([n, v]) => `${n}: ${v}`),
  );
  assert.deepEqual([...ours].sort(), [...theirs].sort());
  assert.ok(ours.length >= 20);
});

const preface = Buffer.from(PREFACE, "latin1");

test("pipeline: the server's SETTINGS first and a preface cut into 10-byte segments, on port 9000", async () => {
  const synth = new TrafficSynth({ seed: 5 });
  synth.tcpConversation({
    client: "10.0.0.2",
    server: "203.0.113.9",
    clientPort: 40100,
    serverPort: 9000,
    mss: 10,
    exchanges: [
      { fromClient: false, data: settings() },
      {
        fromClient: true,
        data: Buffer.concat([
          clientStart(),
          headers(1, requestBlock("/h2c", [], "GET", "cn.example"), { end: true }),
        ]),
      },
      { fromClient: false, data: Buffer.concat([headers(1, responseBlock(204), { end: true })]) },
    ],
  });
  const file = join(mkdtempSync(join(tmpdir(), "phonehome-h2-")), "first.pcap");
  writeFileSync(file, writePcap(synth.sorted(), { linkType: synth.linkType }));
  const { records } = await decode(file);
  assert.deepEqual(
    records.filter((r) => r.type === "weird"),
    [],
  );
  assert.deepEqual(
    records.filter((r): r is HttpRecord => r.type === "http").map((r) => [r.host, r.uri, r.status_code]),
    [["cn.example", "/h2c", 204]],
  );
});

/** Feeds chunks (direction, bytes) to a fresh consumer and ends it; returns the weird names (no copies kept). */
function feed(chunks: [boolean, Uint8Array][]): string[] {
  const weirds: string[] = [];
  const out: DecoderOutput = { record() {}, payload() {}, weird: (w) => weirds.push(w.name) };
  const c = createHttp2Consumer(CTX, out);
  chunks.forEach(([orig, b], i) => {
    c.data(orig, b, CTX.ts + i, i + 1);
  });
  c.end();
  return weirds;
}

test("property: random bytes after a valid opening never throw and terminate", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 300 })), { maxLength: 6 }),
      (chunks) => {
        const weirds = feed([[true, clientStart()], [false, settings()], ...chunks]);
        assert.ok(weirds.every((w) => (HTTP2_WEIRD_NAMES as readonly string[]).includes(w)));
      },
    ),
    { numRuns: 10000 },
  );
});

const frameArb = fc
  .record({
    type: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 255 })),
    flags: fc.integer({ min: 0, max: 255 }),
    stream: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })),
    payload: fc.uint8Array({ maxLength: 64 }),
    orig: fc.boolean(),
  })
  .map((f): [boolean, Uint8Array] => [f.orig, frame(f.type, f.flags, f.stream, f.payload)]);

test("property: random well-framed frames of any type, flags and stream never throw", () => {
  fc.assert(
    fc.property(fc.array(frameArb, { maxLength: 12 }), (frames) => {
      feed([[true, Buffer.concat([preface, settings()])], [false, settings()], ...frames]);
    }),
    { numRuns: 10000 },
  );
});

// No content coding here: a corrupt gzip body costs the decompressor's salvage about a millisecond, and
// content decoding has properties of its own.
const validConversation: [boolean, Uint8Array][] = [
  [
    true,
    Buffer.concat([
      clientStart(),
      headers(1, requestBlock("/a", [["x-id", IMEI]], "POST"), { pad: 2, priority: true }),
      data(1, "body", { end: true, pad: 3 }),
    ]),
  ],
  [
    false,
    Buffer.concat([
      settings([[1, 8192]]),
      headers(1, responseBlock(200, [["content-type", "text/plain"]])),
      data(1, "answer", { end: true }),
    ]),
  ],
];

test("property: a valid conversation mutated and cut anywhere never throws", () => {
  const whole = validConversation.map(([o, b]) => [o, Buffer.from(b)] as const);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 4 }),
      (mutations, cuts) => {
        const copies = whole.map(([o, b]) => [o, Buffer.from(b)] as [boolean, Buffer]);
        for (const [at, v] of mutations) {
          const [, b] = copies[at % 2];
          b[at % b.length] = v;
        }
        const chunks: [boolean, Uint8Array][] = [];
        for (const [o, b] of copies) {
          const points = [...new Set(cuts.map((c) => c % b.length))].sort((x, y) => x - y);
          let prev = 0;
          for (const p of [...points, b.length]) {
            if (p > prev) chunks.push([o, b.subarray(prev, p)]);
            prev = p;
          }
        }
        feed(chunks);
      },
    ),
    { numRuns: 10000 },
  );
});
