import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { makeQuicDecoder } from "../../../src/decode/quic/quic-decoder.ts";
import type { DecodedRecord, DecoderOutput, PayloadChunk } from "../../../src/decode/stream-decoder.ts";
import { KeyStore } from "../../../src/decrypt/key-log.ts";
import type { HttpRecord } from "../../../src/model/http.ts";
import type { QuicRecord } from "../../../src/model/quic.ts";
import type { StreamContext } from "../../../src/session/stream-consumer.ts";
import { tlsServerHello } from "../../helpers/app-messages.ts";
import { h3Frame, join, sealKeys, sealShort, streamFrame } from "../../helpers/quic-1rtt.ts";
import { hex } from "../decode-helpers.ts";
import { bytes, clientHelloMessage, cryptoFrame, sealInitial } from "./quic-builder.ts";

const ctx: StreamContext = {
  ts: 1,
  uid: "Cq1rtt",
  community_id: "1:q",
  orig_h: "10.0.0.2",
  orig_p: 50001,
  resp_h: "192.0.2.9",
  resp_p: 443,
  proto: "udp",
};
const RANDOM = new Uint8Array(32).fill(0x42);
const RANDOM_HEX = Buffer.from(RANDOM).toString("hex");
const DCID = bytes("c5a5015ae8f47978");
const CSCID = bytes("34696c01");
const SSCID = bytes("01275b138ee6aca8");
const C_SECRET = new Uint8Array(32).fill(0xc1);
const S_SECRET = new Uint8Array(32).fill(0x5e);

function keyStore(
  labels: ("CLIENT_TRAFFIC_SECRET_0" | "SERVER_TRAFFIC_SECRET_0")[] = [
    "CLIENT_TRAFFIC_SECRET_0",
    "SERVER_TRAFFIC_SECRET_0",
  ],
) {
  const k = new KeyStore();
  for (const l of labels) k.add(l, RANDOM_HEX, l.startsWith("CLIENT") ? C_SECRET : S_SECRET);
  return k;
}

function clientInitial(alpn = ["h3"]): Uint8Array {
  const ch = clientHelloMessage({ sni: "api.example", alpn, random: RANDOM });
  return sealInitial({ dcid: DCID, scid: CSCID, pn: 0, frames: cryptoFrame(0, ch), padTo: 1200 });
}

function serverInitial(cipher = 0x1301): Uint8Array {
  const sh = tlsServerHello(new Uint8Array(32).fill(7), cipher).subarray(5);
  return sealInitial({
    dcid: CSCID,
    scid: SSCID,
    keyDcid: DCID,
    server: true,
    pn: 0,
    frames: cryptoFrame(0, sh),
  });
}

const ck = sealKeys(0x1301, C_SECRET);
const sk = sealKeys(0x1301, S_SECRET);
// No dynamic table: :method GET (static 17), :scheme https (23), :authority literal, :path / (static 1).
const REQ = h3Frame(0x01, hex("0000 d1 d7 50 0b 6578616d706c652e636f6d c1"));
const RES = join(h3Frame(0x01, hex("0000 d9")), h3Frame(0x00, Buffer.from("hi")));
const clientShort = (pn: number, frames: Uint8Array, dcid = SSCID) => sealShort(ck, { dcid, pn, frames });
const serverShort = (pn: number, frames: Uint8Array, grease = false) =>
  sealShort(sk, { dcid: CSCID, pn, frames, grease });

function run(datagrams: [">" | "<", Uint8Array][], keys: KeyStore | undefined = keyStore()) {
  const records: DecodedRecord[] = [];
  const weirds: string[] = [];
  const payloads: PayloadChunk[] = [];
  const out: DecoderOutput = {
    record: (r) => records.push(r),
    weird: (w) => weirds.push(w.name),
    payload: (p) => payloads.push({ ...p, data: Uint8Array.from(p.data) }),
  };
  const c = makeQuicDecoder({ keys }).create(ctx, out);
  let frame = 0;
  for (const [dir, d] of datagrams) c.data(dir === ">", d, 100 + frame, ++frame);
  c.end();
  const quic = records.filter((r) => r.type === "quic") as QuicRecord[];
  const http = records.filter((r) => r.type === "http") as HttpRecord[];
  return { quic: quic[0], http, weirds, payloads };
}

const EXCHANGE: [">" | "<", Uint8Array][] = [
  [">", clientInitial()],
  ["<", serverInitial()],
  [">", clientShort(0, join(streamFrame(2, 0, hex("00 04 00")), streamFrame(0, 0, REQ, true)))],
  ["<", serverShort(0, streamFrame(0, 0, RES, true), true)],
];

test("1-RTT packets both ways (the server's with a greased QUIC bit) give the request and response", () => {
  const r = run(EXCHANGE);
  assert.deepEqual(r.weirds, []);
  assert.equal(r.quic.decrypted, true);
  assert.equal(r.quic.decrypt_note, "decrypted (TLS_AES_128_GCM_SHA256)");
  assert.equal(r.http.length, 1);
  assert.equal(r.http[0].url, "https://example.com/");
  assert.equal(r.http[0].status_code, 200);
  assert.equal(r.http[0].response_body_len, 2);
  assert.deepEqual(r.http[0].frames, [3, 4]);
  assert.ok(r.payloads.every((p) => p.transport === "tls-decrypted"));
});

test("a new connection ID of another length (NEW_CONNECTION_ID) is tried on later short headers", () => {
  const newCid = bytes("a1a2a3a4");
  const ncid = join([0x18, 0x01, 0x00, newCid.length], newCid, new Uint8Array(16));
  const r = run([
    [">", clientInitial()],
    ["<", serverInitial()],
    ["<", serverShort(0, ncid)],
    [">", clientShort(0, streamFrame(0, 0, REQ, true), newCid)],
    ["<", serverShort(1, streamFrame(0, 0, RES, true))],
  ]);
  assert.deepEqual(r.weirds, []);
  assert.equal(r.http[0]?.status_code, 200);
});

test("why not decrypted: no ServerHello, an unusable cipher suite, no traffic secrets", () => {
  const noSh = run([EXCHANGE[0], EXCHANGE[2]]);
  assert.equal(noSh.quic.decrypted, false);
  assert.equal(noSh.quic.decrypt_note, "no ServerHello seen (cipher suite unknown)");
  const ccm8 = run([[">", clientInitial()], ["<", serverInitial(0x1305)], EXCHANGE[2]]);
  assert.equal(ccm8.quic.decrypt_note, "cipher suite TLS_AES_128_CCM_8_SHA256 cannot protect QUIC packets");
  const hsOnly = new KeyStore();
  hsOnly.add("CLIENT_HANDSHAKE_TRAFFIC_SECRET", RANDOM_HEX, C_SECRET);
  const noApp = run(EXCHANGE, hsOnly);
  assert.match(noApp.quic.decrypt_note ?? "", /^key log has no CLIENT_TRAFFIC_SECRET_0/);
  assert.equal(noApp.http.length, 0);
});

test("one direction's keys only: that direction is read, the record still comes", () => {
  const r = run(EXCHANGE, keyStore(["CLIENT_TRAFFIC_SECRET_0"]));
  assert.equal(r.quic.decrypted, true);
  assert.equal(r.http[0].uri, "/");
  assert.deepEqual(r.http[0].tags, ["incomplete", "no-response"]);
});

test("a non-HTTP/3 ALPN: the decrypted streams go to the detector as raw streams", () => {
  const r = run([
    [">", clientInitial(["doq"])],
    ["<", serverInitial()],
    [">", clientShort(0, streamFrame(0, 0, Buffer.from("\u0000\u0010secret-device-id"), true))],
  ]);
  assert.equal(r.http.length, 0);
  const raw = r.payloads.filter((p) => p.layer === "raw.stream");
  assert.equal(raw.length, 1);
  assert.equal(raw[0].transport, "tls-decrypted");
  assert.ok(Buffer.from(raw[0].data).toString("latin1").endsWith("secret-device-id"));
});

test("property: random and mutated 1-RTT datagrams never throw", () => {
  // One connection serves 250 runs (a fresh handshake per run would cost most of the time budget); the valid
  // packets after each run's datagrams keep both directions' keys in use.
  const valid = [EXCHANGE[2][1], EXCHANGE[3][1]];
  const out: DecoderOutput = { record() {}, weird() {}, payload() {} };
  const decoder = makeQuicDecoder({ keys: keyStore() });
  let c = decoder.create(ctx, out);
  let runs = 0;
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 120 }),
          fc
            .tuple(
              fc.nat(1),
              fc.array(fc.tuple(fc.nat(300), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }),
            )
            .map(([which, flips]) => {
              const p = Uint8Array.from(valid[which]);
              for (const [at, x] of flips) p[at % p.length] ^= x;
              return p;
            }),
        ),
        { maxLength: 4 },
      ),
      fc.boolean(),
      (datagrams, dir) => {
        if (runs++ % 250 === 0) {
          c.end();
          c = decoder.create(ctx, out);
          for (const [d, b] of EXCHANGE) c.data(d === ">", b, 1, 1);
        }
        for (const d of datagrams) c.data(dir, d, 2, 2);
        c.data(true, valid[0], 3, 3);
        c.data(false, valid[1], 3, 3);
      },
    ),
    { numRuns: 10000 },
  );
  c.end();
});
