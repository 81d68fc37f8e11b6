// Frame-level behaviour of a connection: padding and priority, CONTINUATION, SETTINGS (header table size and
// max frame size per direction), unknown and control frames, and each weird the frame layer reports, with
// the connection's header decoding stopping after a block it could not decode.

import assert from "node:assert/strict";
import { test } from "node:test";
import { hpackIndexed, hpackLiteral, hpackSizeUpdate } from "../../helpers/hpack-encoder.ts";
import {
  continuation,
  data,
  F,
  frame,
  goaway,
  headers,
  PREFACE,
  settings,
  T,
} from "../../helpers/http2-builder.ts";
import { clientStart, requestBlock, responseBlock, runH2 } from "./http2-helpers.ts";

const cat = (...b: Uint8Array[]) => Buffer.concat(b);
const reply = (id: number) => cat(headers(id, responseBlock(200)), data(id, "ok", { end: true }));

test("padded HEADERS with priority, padded DATA, a block split over CONTINUATION frames", () => {
  const block = requestBlock("/split/path", [["x-a", "1"]], "POST");
  const client = cat(
    clientStart(),
    headers(1, block.subarray(0, 5), { endHeaders: false, pad: 3, priority: true }),
    continuation(1, block.subarray(5, 20), false),
    continuation(1, block.subarray(20)),
    data(1, "body", { pad: 10, end: true }),
  );
  const r = runH2([
    { orig: true, data: client },
    { orig: false, data: cat(settings(), reply(1)) },
  ]);
  assert.deepEqual(r.weirdNames(), []);
  assert.deepEqual(
    r.records.map((x) => [x.method, x.uri, x.request_body_len]),
    [["POST", "/split/path", 4]],
  );
  assert.deepEqual(r.layer("http.body"), ["body", "ok"]);
});

test("control and unknown frames are read past: PING, PRIORITY, WINDOW_UPDATE, SETTINGS ACK, type 0xfa", () => {
  const client = cat(
    clientStart(),
    frame(T.PING, 0, 0, new Uint8Array(8)),
    frame(T.PRIORITY, 0, 1, [0, 0, 0, 0, 16]),
    frame(T.WINDOW_UPDATE, 0, 0, [0, 1, 0, 0]),
    frame(T.SETTINGS, F.ACK, 0),
    frame(0xfa, 0xff, 7, Buffer.from("unknown extension frame")),
    headers(1, requestBlock("/after"), { end: true }),
  );
  const r = runH2([
    { orig: true, data: client },
    { orig: false, data: cat(settings(), reply(1)) },
  ]);
  assert.deepEqual(r.weirdNames(), []);
  assert.deepEqual(
    r.records.map((x) => x.uri),
    ["/after"],
  );
});

test("SETTINGS_HEADER_TABLE_SIZE from the server bounds the client's size updates", () => {
  // The client grows its table to 8192 and indexes a field; only valid after the server allowed 8192.
  const block = Uint8Array.from([
    ...hpackSizeUpdate(8192),
    ...hpackIndexed(2),
    ...hpackIndexed(6),
    ...hpackLiteral(1, "big.example.com", "indexed"),
    ...hpackLiteral(4, "/grown"),
  ]);
  const steps = (pairs: [number, number][]) => [
    { orig: false, data: settings(pairs) },
    { orig: true, data: cat(clientStart(), headers(1, block, { end: true })) },
    { orig: false, data: reply(1) },
  ];
  const allowed = runH2(steps([[1, 8192]]));
  assert.deepEqual(allowed.weirdNames(), []);
  assert.deepEqual(
    allowed.records.map((x) => [x.host, x.uri]),
    [["big.example.com", "/grown"]],
  );
  const refused = runH2(steps([]));
  assert.deepEqual(refused.weirdNames(), ["http2_hpack_error"]);
  assert.match(refused.weirds[0].detail!, /above the limit 4096/);
  assert.equal(refused.records.length, 0);
});

test("after an HPACK error no more field blocks are decoded, but open streams still get their data", () => {
  const client = cat(
    clientStart(),
    headers(1, requestBlock("/ok", [], "POST")),
    headers(3, Uint8Array.from([0xff, 0xff])), // index past the end of the block
    data(1, "still read", { end: true }),
    headers(5, requestBlock("/never"), { end: true }),
  );
  const r = runH2([
    { orig: true, data: client },
    { orig: false, data: cat(settings(), headers(1, responseBlock(200)), data(1, "x", { end: true })) },
  ]);
  assert.deepEqual(r.weirdNames(), ["http2_hpack_error"]);
  // The response's own block is not decoded either: the record has the request only, and its body.
  assert.deepEqual(
    r.records.map((x) => [x.uri, x.request_body_len]),
    [["/ok", 10]],
  );
  assert.ok(r.layer("http.body").includes("still read"));
});

test("MAX_FRAME_SIZE: a frame over the receiver's limit is skipped with a weird; a raised limit admits it", () => {
  const big = "y".repeat(20000);
  const steps = (pairs: [number, number][]) => [
    { orig: true, data: cat(clientStart(pairs), headers(1, requestBlock("/big"), { end: true })) },
    {
      orig: false,
      data: cat(settings(), headers(1, responseBlock(200)), data(1, big), data(1, "end", { end: true })),
    },
  ];
  const small = runH2(steps([]));
  assert.deepEqual(small.weirdNames(), ["http2_frame_too_large"]);
  assert.equal(small.records[0].response_body_len, 3);
  const raised = runH2(steps([[5, 32768]]));
  assert.deepEqual(raised.weirdNames(), []);
  assert.equal(raised.records[0].response_body_len, 20003);
});

/** A connection whose client sends `bad` after a valid request on stream 1; the weirds seen. */
function weirdsOf(bad: Uint8Array, opts = {}): string[] {
  return runH2(
    [
      { orig: true, data: cat(clientStart(), headers(1, requestBlock("/"), { end: true }), bad) },
      { orig: false, data: cat(settings(), reply(1)) },
    ],
    opts,
  ).weirdNames();
}

test("weirds: frame sizes, stream ids, settings values, padding", () => {
  assert.deepEqual(weirdsOf(frame(T.PING, 0, 0, new Uint8Array(7))), ["http2_bad_frame_size"]);
  assert.deepEqual(weirdsOf(frame(T.RST_STREAM, 0, 1, [0, 0])), ["http2_bad_frame_size"]);
  assert.deepEqual(weirdsOf(frame(T.SETTINGS, 0, 0, [0, 1, 0])), ["http2_bad_frame_size"]);
  assert.deepEqual(weirdsOf(frame(T.GOAWAY, 0, 0, [0, 0, 0])), ["http2_bad_frame_size"]);
  assert.deepEqual(weirdsOf(data(0, "x")), ["http2_bad_stream_id"]);
  assert.deepEqual(weirdsOf(frame(T.SETTINGS, 0, 1)), ["http2_bad_stream_id"]);
  assert.deepEqual(weirdsOf(headers(4, requestBlock("/even"))), ["http2_bad_stream_id"]);
  assert.deepEqual(weirdsOf(settings([[5, 100]])), ["http2_bad_settings"]);
  assert.deepEqual(weirdsOf(settings([[2, 7]])), ["http2_bad_settings"]);
  // Pad Length 200 in a 5-byte payload.
  assert.deepEqual(weirdsOf(frame(T.DATA, F.PADDED, 3, [200, 1, 2, 3, 4])), ["http2_bad_padding"]);
  assert.deepEqual(weirdsOf(frame(T.HEADERS, F.PADDED | F.END_HEADERS, 3, [])), ["http2_bad_padding"]);
});

test("weirds: CONTINUATION out of place, oversized blocks and lists, malformed sections", () => {
  const open = headers(3, requestBlock("/x"), { endHeaders: false });
  const ping = frame(T.PING, 0, 0, new Uint8Array(8));
  assert.deepEqual(weirdsOf(cat(open, ping)), ["http2_bad_continuation"]);
  assert.deepEqual(weirdsOf(continuation(3, new Uint8Array(2))), ["http2_bad_continuation"]);
  const long = requestBlock("/long", [["x-big", "z".repeat(400)]]);
  assert.deepEqual(weirdsOf(headers(3, long), { maxHeaderBlockBytes: 300 }), [
    "http2_header_block_too_large",
  ]);
  assert.deepEqual(weirdsOf(headers(3, long, { end: true }), { maxHeaderListBytes: 300 }), [
    "http2_header_list_too_large",
  ]);
  const upper = requestBlock("/u", [["X-Upper", "1"]]);
  assert.deepEqual(weirdsOf(headers(3, upper, { end: true })), ["http2_malformed_headers"]);
});

test("weirds: stream errors, GOAWAY with an error, bad preface, first frame not SETTINGS, a gap", () => {
  assert.deepEqual(weirdsOf(data(9, "idle")), ["http2_stream_error"]);
  // Stream 1 is half-closed (the client ended it): more DATA from the client is an error ...
  assert.deepEqual(weirdsOf(data(1, "after end")), ["http2_stream_error"]);
  // ... but once the stream is closed and forgotten, late frames are ignored (RFC 9113 §5.1).
  const late = runH2([
    { orig: true, data: cat(clientStart(), headers(1, requestBlock("/"), { end: true })) },
    { orig: false, data: cat(settings(), reply(1)) },
    { orig: true, data: data(1, "late") },
  ]);
  assert.deepEqual(late.weirdNames(), []);
  const open = cat(headers(3, requestBlock("/p", [], "POST")), data(3, "a", { end: true }), data(3, "again"));
  assert.deepEqual(weirdsOf(open), ["http2_stream_error"]);
  assert.deepEqual(weirdsOf(goaway(1, 11, "calm down")), ["http2_goaway_error"]);
  assert.deepEqual(weirdsOf(goaway(1, 0)), []);

  const badPreface = runH2([{ orig: true, data: "PRI * HTTP/1.1\r\n\r\n" }]);
  assert.deepEqual(badPreface.weirdNames(), ["http2_bad_preface"]);
  assert.equal(badPreface.more, true); // the other direction may still be read
  const noSettings = runH2([{ orig: true, data: cat(Buffer.from(PREFACE, "latin1"), data(1, "x")) }]);
  assert.deepEqual(noSettings.weirdNames(), ["http2_bad_preface"]);
  const gap = runH2([
    { orig: true, data: cat(clientStart(), headers(1, requestBlock("/g", [], "POST"))) },
    { orig: true, gap: 100 },
    { orig: true, data: data(1, "lost framing") },
  ]);
  assert.deepEqual(gap.weirdNames(), ["http2_gap"]);
  assert.deepEqual(gap.records[0].tags, ["incomplete", "no-response"]);
});

test("data() says stop once neither direction can be read", () => {
  const r = runH2([
    { orig: true, data: "GET / HTTP/1.1\r\n\r\n" },
    { orig: false, data: "HTTP/1.1 200 OK\r\n\r\n" },
  ]);
  assert.equal(r.more, false);
});
