import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  H3_FRAME,
  type Http3FrameHandler,
  Http3FrameReader,
} from "../../../src/decode/http3/http3-frames.ts";
import { Http3Session } from "../../../src/decode/http3/http3-session.ts";
import type { DecodedRecord, DecoderOutput, PayloadChunk } from "../../../src/decode/stream-decoder.ts";
import type { HttpRecord } from "../../../src/model/http.ts";
import type { StreamContext } from "../../../src/session/stream-consumer.ts";
import { h3Frame, join } from "../../helpers/quic-1rtt.ts";
import { hex } from "../decode-helpers.ts";

const ctx: StreamContext = {
  ts: 1,
  uid: "Ch3",
  community_id: "1:h3",
  orig_h: "10.0.0.2",
  orig_p: 50000,
  resp_h: "192.0.2.7",
  resp_p: 443,
  proto: "udp",
};

// SETTINGS with SETTINGS_QPACK_MAX_TABLE_CAPACITY (0x01) = 220 (varint 40dc), as in RFC 9204 Appendix B.
const CONTROL = join([0x00], h3Frame(H3_FRAME.settings, hex("01 40dc")));
// RFC 9204 B.2 encoder stream (capacity 220, :authority=www.example.com, :path=/sample/path), stream type 0x02.
const ENCODER = join(
  [0x02],
  hex("3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468"),
);
// Required Insert Count 2, Base 0; static 17 :method GET (d1), static 23 :scheme https (d7), post-base 0 and 1.
const REQUEST = h3Frame(H3_FRAME.headers, hex("0381 d1 d7 10 11"));
// Static 25 :status 200 (d9), then a 5-byte body.
const RESPONSE = join(
  h3Frame(H3_FRAME.headers, hex("0000 d9")),
  h3Frame(H3_FRAME.data, Buffer.from("hello")),
);

type Step = [">" | "<", number, Uint8Array | "fin" | "reset"];

function run(steps: Step[], chunk = 0) {
  const records: HttpRecord[] = [];
  const weirds: string[] = [];
  const payloads: PayloadChunk[] = [];
  const out: DecoderOutput = {
    record: (r: DecodedRecord) => records.push(r as HttpRecord),
    weird: (w) => weirds.push(w.name),
    payload: (p) => payloads.push({ ...p, data: Uint8Array.from(p.data) }),
  };
  const s = new Http3Session(ctx, out);
  let frame = 0;
  for (const [dir, id, what] of steps) {
    frame++;
    const client = dir === ">";
    if (what === "fin") s.fin(client, id, 10 + frame, frame);
    else if (what === "reset") s.reset(client, id, 10 + frame, frame);
    else if (chunk === 0) s.data(client, id, what, 10 + frame, frame);
    else
      for (let i = 0; i < what.length; i += chunk)
        s.data(client, id, what.subarray(i, i + chunk), 10 + frame, frame);
  }
  s.end();
  const layer = (l: string) =>
    payloads.filter((p) => p.layer === l).map((p) => Buffer.from(p.data).toString());
  return { records, weirds, payloads, layer };
}

const NORMAL: Step[] = [
  [">", 2, CONTROL],
  ["<", 3, CONTROL],
  [">", 6, ENCODER],
  [">", 0, REQUEST],
  [">", 0, "fin"],
  ["<", 0, RESPONSE],
  ["<", 0, "fin"],
];

function checkNormal(r: ReturnType<typeof run>) {
  assert.deepEqual(r.weirds, []);
  assert.equal(r.records.length, 1);
  const h = r.records[0];
  assert.equal(h.method, "GET");
  assert.equal(h.host, "www.example.com");
  assert.equal(h.uri, "/sample/path");
  assert.equal(h.url, "https://www.example.com/sample/path");
  assert.equal(h.version, "3");
  assert.equal(h.status_code, 200);
  assert.equal(h.response_body_len, 5);
  assert.equal(h.transport, "tls-decrypted");
  assert.equal(h.trans_depth, 1);
  assert.deepEqual(h.frames, [4, 7]);
  assert.equal(h.tags, undefined);
  assert.deepEqual(r.layer("http.uri"), ["/sample/path"]);
  assert.deepEqual(r.layer("http.body"), ["hello"]);
  assert.ok(r.layer("http.header")[0].includes(":authority: www.example.com\r\n"));
}

test("a request stream with dynamic-table fields becomes one http record and the detector payloads", () => {
  checkNormal(run(NORMAL));
});

test("every stream delivered one byte at a time gives the same record", () => {
  checkNormal(run(NORMAL, 1));
});

test("a request that arrives before the encoder stream waits (QPACK blocked stream), then decodes", () => {
  const r = run([
    [">", 2, CONTROL],
    ["<", 3, CONTROL],
    [">", 0, join(REQUEST, h3Frame(H3_FRAME.data, Buffer.from("body")))],
    [">", 0, "fin"],
    [">", 6, ENCODER],
    ["<", 0, RESPONSE],
    ["<", 0, "fin"],
  ]);
  assert.deepEqual(r.weirds, []);
  assert.equal(r.records[0].uri, "/sample/path");
  assert.equal(r.records[0].request_body_len, 4);
  assert.deepEqual(r.layer("http.body"), ["body", "hello"]);
});

test("a section whose inserts never come is a weird, and the stream is logged incomplete", () => {
  const r = run([
    ["<", 3, CONTROL],
    [">", 0, REQUEST],
    [">", 0, "fin"],
    ["<", 0, RESPONSE],
    ["<", 0, "fin"],
  ]);
  assert.deepEqual(r.weirds, ["qpack_blocked_stream"]);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].status_code, 200);
  assert.deepEqual(r.records[0].tags, ["no-request", "incomplete"]);
});

test("interim 103, trailers, and a reset response", () => {
  const trailer = h3Frame(
    H3_FRAME.headers,
    join(hex("0000 23"), Buffer.from("x-t"), [0x01], Buffer.from("1")),
  );
  const r = run([
    [">", 0, h3Frame(H3_FRAME.headers, hex("0000 d1 d7 50 0b 6578616d706c652e636f6d c1"))],
    [">", 0, "fin"],
    ["<", 0, join(h3Frame(H3_FRAME.headers, hex("0000 d8")), RESPONSE, trailer)],
    ["<", 0, "fin"],
    [">", 4, h3Frame(H3_FRAME.headers, hex("0000 d1 d7 50 0b 6578616d706c652e636f6d c1"))],
    [">", 4, "fin"],
    ["<", 4, "reset"],
  ]);
  assert.deepEqual(r.weirds, []);
  assert.equal(r.records.length, 2);
  const [a, b] = r.records;
  assert.equal(a.host, "example.com");
  assert.equal(a.uri, "/");
  assert.equal(a.info_code, 103);
  assert.equal(a.status_code, 200);
  assert.deepEqual(a.response_headers.at(-1), ["x-t", "1"]);
  assert.equal(b.trans_depth, 2);
  assert.deepEqual(b.tags, ["incomplete", "no-response"]);
});

test("DATA before HEADERS and a reserved HTTP/2 frame type are weirds", () => {
  const r = run([
    [">", 0, join(h3Frame(H3_FRAME.data, Buffer.from("x")), h3Frame(0x02, hex("00")))],
    [">", 0, "fin"],
  ]);
  assert.deepEqual(r.weirds, ["http3_bad_frame"]);
  assert.deepEqual(r.records[0].tags, ["no-request", "incomplete", "no-response"]);
});

test("frame reader: a frame too large for its bound is skipped with a weird, and DATA is streamed", () => {
  const seen: string[] = [];
  const h: Http3FrameHandler = {
    start: (type) => (type === H3_FRAME.data ? "stream" : "whole"),
    frame: (type, p) => seen.push(`frame ${type} ${p.length}`) > 0,
    chunk: (type, b) => seen.push(`chunk ${type} ${b.length}`),
    problem: (name) => seen.push(name),
  };
  const reader = new Http3FrameReader(h, 4);
  const bytes = join(
    h3Frame(1, new Uint8Array(5)),
    h3Frame(1, new Uint8Array(4)),
    h3Frame(0, new Uint8Array(3)),
  );
  assert.equal(reader.push(bytes), bytes.length);
  assert.deepEqual(seen, ["http3_frame_too_large", "frame 1 4", "chunk 0 3"]);
  assert.ok(reader.atBoundary);
});

test("property: random bytes on random streams never throw", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.nat(12), fc.uint8Array({ maxLength: 40 }), fc.nat(9)), {
        maxLength: 12,
      }),
      (steps) => {
        const s = new Http3Session(ctx, { record() {}, weird() {}, payload() {} });
        for (const [client, id, b, op] of steps) {
          if (op === 0) s.fin(client, id, 1, 1);
          else if (op === 1) s.reset(client, id, 1, 1);
          else s.data(client, id, b, 1, 1);
        }
        s.end();
      },
    ),
    { numRuns: 10000 },
  );
});
