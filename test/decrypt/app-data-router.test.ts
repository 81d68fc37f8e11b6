// Where decrypted application bytes go: HTTP/2 (by ALPN or by the client preface), HTTP/1.x (by content),
// or bounded `tls.app` payloads; a server that speaks first is held until the client's first bytes decide.
// Every payload carries transport tls-decrypted.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RAW_LIMIT } from "../../src/decode/raw/raw-stream.ts";
import type { DecodedRecord, DecoderOutput, PayloadChunk } from "../../src/decode/stream-decoder.ts";
import { AppDataRouter, MAX_HELD, TLS_APP_LAYER } from "../../src/decrypt/app-data-router.ts";
import type { HttpRecord } from "../../src/model/http.ts";
import { CTX } from "../decode/tls/tls-build.ts";
import { hpackBlock } from "../helpers/hpack-encoder.ts";
import { headers, PREFACE, settings } from "../helpers/http2-builder.ts";

interface Out extends DecoderOutput {
  records: DecodedRecord[];
  payloads: PayloadChunk[];
  weirds: string[];
}

function output(): Out {
  const o: Out = {
    records: [],
    payloads: [],
    weirds: [],
    record: (r) => o.records.push(r),
    weird: (w) => o.weirds.push(w.name),
    payload: (p) => o.payloads.push({ ...p, data: Uint8Array.from(p.data) }),
  };
  return o;
}

const text = (s: string) => Buffer.from(s, "latin1");
const http = (o: Out) => o.records.filter((r) => r.type === "http") as HttpRecord[];
const raw = (o: Out, fromOrig: boolean) =>
  o.payloads
    .filter((p) => p.layer === TLS_APP_LAYER && p.fromOrig === fromOrig)
    .map((p) => Buffer.from(p.data).toString("latin1"))
    .join("");

const H2_REQUEST = Buffer.concat([
  text(PREFACE),
  settings(),
  headers(
    1,
    hpackBlock([
      [":method", "GET"],
      [":scheme", "https"],
      [":authority", "api.example"],
      [":path", "/h2?imei=490154203237518"],
    ]),
    { end: true },
  ),
]);
const H2_RESPONSE = Buffer.concat([settings(), headers(1, hpackBlock([[":status", "200"]]), { end: true })]);

test("HTTP/2 by the client preface, without ALPN: an http record marked tls-decrypted", () => {
  const o = output();
  const r = new AppDataRouter(CTX, o, true);
  r.data(true, H2_REQUEST, 1, 1);
  r.data(false, H2_RESPONSE, 2, 2);
  r.end();
  assert.deepEqual(
    http(o).map((h) => [h.method, h.uri, h.status_code, h.transport]),
    [["GET", "/h2?imei=490154203237518", 200, "tls-decrypted"]],
  );
  assert.ok(o.payloads.length > 0 && o.payloads.every((p) => p.transport === "tls-decrypted"));
  assert.equal(raw(o, true), "");
});

test("ALPN h2: the server's SETTINGS before the client's preface go to HTTP/2 too", () => {
  const o = output();
  const r = new AppDataRouter(CTX, o, true, "h2");
  r.data(false, settings(), 1, 1);
  r.data(true, H2_REQUEST, 2, 2);
  r.data(false, headers(1, hpackBlock([[":status", "204"]]), { end: true }), 3, 3);
  r.end();
  assert.deepEqual(
    http(o).map((h) => [h.uri, h.status_code]),
    [["/h2?imei=490154203237518", 204]],
  );
});

test("HTTP/1.1 by content, without ALPN", () => {
  const o = output();
  const r = new AppDataRouter(CTX, o, true);
  r.data(true, text("GET /one HTTP/1.1\r\nHost: a\r\n\r\n"), 1, 1);
  r.data(false, text("HTTP/1.1 204 No Content\r\n\r\n"), 2, 2);
  r.end();
  assert.deepEqual(
    http(o).map((h) => [h.uri, h.status_code, h.transport]),
    [["/one", 204, "tls-decrypted"]],
  );
});

test("another protocol: tls.app payloads each way, bounded per direction", () => {
  const o = output();
  const r = new AppDataRouter(CTX, o, true);
  r.data(true, text("HELO push-channel imei=490154203237518\n"), 1, 1);
  r.data(false, text("OK\n"), 2, 2);
  const big = Buffer.alloc(RAW_LIMIT, 0x61);
  r.data(true, big, 3, 3);
  r.end();
  assert.equal(raw(o, false), "OK\n");
  const sent = raw(o, true);
  assert.equal(sent.length, RAW_LIMIT, "the first RAW_LIMIT bytes of the direction, no more");
  assert.ok(sent.startsWith("HELO push-channel imei=490154203237518\n"));
  assert.ok(o.payloads.every((p) => p.transport === "tls-decrypted"));
  assert.equal(http(o).length, 0);
});

test("a server that speaks first is held until the client's bytes decide, then replayed in order", () => {
  const o = output();
  const r = new AppDataRouter(CTX, o, true);
  r.data(false, text("220 banner\n"), 1, 1);
  assert.equal(o.payloads.length, 0, "held, not yet emitted");
  r.data(true, text("LOGIN device\n"), 2, 2);
  r.end();
  assert.deepEqual(
    o.payloads.map((p) => [p.fromOrig, Buffer.from(p.data).toString("latin1"), p.frame]),
    [
      [false, "220 banner\n", 1],
      [true, "LOGIN device\n", 2],
    ],
  );
});

test("held server bytes are bounded: past MAX_HELD they go out raw; at the end they are flushed", () => {
  const o = output();
  const r = new AppDataRouter(CTX, o, true);
  r.data(false, Buffer.alloc(MAX_HELD - 10, 0x62), 1, 1);
  assert.equal(o.payloads.length, 0);
  r.data(false, Buffer.alloc(20, 0x63), 2, 2);
  assert.equal(raw(o, false).length, MAX_HELD + 10, "over the bound: raw, nothing dropped");
  const o2 = output();
  const r2 = new AppDataRouter(CTX, o2, true);
  r2.data(false, text("only the server spoke\n"), 1, 1);
  r2.end();
  assert.equal(raw(o2, false), "only the server spoke\n");
});
