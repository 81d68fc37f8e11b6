import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { quicDecoder } from "../../../src/decode/quic/quic-decoder.ts";
import type { DecodedRecord, DecoderOutput } from "../../../src/decode/stream-decoder.ts";
import type { QuicRecord } from "../../../src/model/quic.ts";
import type { WeirdRecord } from "../../../src/model/weird.ts";
import type { StreamContext } from "../../../src/session/stream-consumer.ts";
import {
  bytes,
  clientHelloMessage,
  closeFrame,
  cryptoFrame,
  datagram,
  opaqueLong,
  V1 as QV1,
  V2 as QV2,
  retryPacket,
  sealInitial,
  serverHelloMessage,
  shortPacket,
} from "./quic-builder.ts";
import { SAMPLE_DCID, unhex, V1, V2 } from "./rfc-samples.ts";

const ctx: StreamContext = {
  ts: 1,
  uid: "CquicTest",
  community_id: "1:test",
  orig_h: "10.0.0.2",
  orig_p: 50000,
  resp_h: "203.0.113.7",
  resp_p: 443,
  proto: "udp",
};

/** Runs datagrams (`>` client, `<` server) through one decoder instance and collects what it emits. */
function run(datagrams: [">" | "<", Uint8Array][]) {
  const records: QuicRecord[] = [];
  const weirds: Omit<WeirdRecord, "type">[] = [];
  const out: DecoderOutput = {
    record: (r: DecodedRecord) => records.push(r as QuicRecord),
    weird: (w) => weirds.push(w),
    payload: () => {},
  };
  const c = quicDecoder.create(ctx, out);
  let frame = 0;
  for (const [dir, d] of datagrams) c.data(dir === ">", d, 100 + frame, ++frame);
  c.end();
  return { records, weirds, names: weirds.map((w) => w.name) };
}

const DCID = bytes("c5a5015ae8f479784a");
const CSCID = bytes("34696c");
const SSCID = bytes("01275b138ee6aca8a6276b132ae6b3547cf7773f");

for (const [name, s, version] of [
  ["RFC 9001 (v1)", V1, "1"],
  ["RFC 9369 (v2)", V2, "quicv2"],
] as const) {
  test(`${name} sample Initials give example.com and ALPN "alpn"`, () => {
    const { records, weirds } = run([
      [">", unhex(s.clientPacket)],
      ["<", unhex(s.serverPacket)],
    ]);
    assert.equal(weirds.length, 0, JSON.stringify(weirds));
    assert.equal(records.length, 1);
    const r = records[0];
    // The §A.2 ClientHello: server_name ext 0000 0010 000e 00 000b "example.com";
    // ALPN ext 0010 0007 0005 04 "alpn".
    assert.equal(r.server_name, "example.com");
    assert.equal(r.client_protocol, "alpn");
    assert.deepEqual(r.alpn, ["alpn"]);
    assert.equal(r.version, version);
    assert.equal(r.client_initial_dcid, SAMPLE_DCID);
    assert.equal(r.client_scid, "");
    assert.equal(r.server_scid, s.serverScid);
    assert.equal(r.decrypted_initial, true);
    // Client Initial + its ClientHello, server Initial + its ServerHello.
    assert.equal(r.history, "ISis");
    // JA4_a by hand from the §A.2 bytes: QUIC, TLS 1.3 (supported_versions 0304), SNI given (d), 2 cipher
    // suites (0004 1301 1302), 11 extensions (0000 ff01 000a 0010 0005 0033 002b 000d 002d 001c 0039),
    // ALPN "alpn" → first and last character "an".
    assert.match(r.ja4 ?? "", /^q13d0211an_[0-9a-f]{12}_[0-9a-f]{12}$/);
    assert.equal(r.uid, ctx.uid);
    assert.equal(r.ts, 100);
  });
}

test("a ClientHello split over three Initials in two datagrams, frames shuffled, is reassembled", () => {
  const sni = "api.account.xiaomi.com";
  const hello = clientHelloMessage({ sni, alpn: ["h3", "h3-29"] });
  const cut1 = 100;
  const cut2 = 150;
  const piece = (a: number, b: number) => cryptoFrame(a, hello.subarray(a, b));
  const p0 = sealInitial({
    dcid: DCID,
    scid: CSCID,
    pn: 0,
    frames: concat(piece(cut2, hello.length), Uint8Array.of(1)),
  });
  const p1 = sealInitial({ dcid: DCID, scid: CSCID, pn: 1, frames: piece(cut1, cut2) });
  const p2 = sealInitial({
    dcid: DCID,
    scid: CSCID,
    pn: 2,
    frames: concat(Uint8Array.of(1, 0, 0), piece(0, cut1)),
  });
  const { records, weirds } = run([
    [">", datagram([p0])],
    [">", datagram([p1, p2], 300)],
  ]);
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  assert.equal(records.length, 1);
  assert.equal(records[0].server_name, sni);
  assert.equal(records[0].client_protocol, "h3");
  assert.deepEqual(records[0].alpn, ["h3", "h3-29"]);
  // I, then I I S when the third packet closes the gap, then X for the zero padding after a decryption.
  assert.equal(records[0].history, "IIISX");
});

test("a whole handshake: coalesced server packets, Handshake and 1-RTT letters as Zeek counts them", () => {
  const hello = clientHelloMessage({ sni: "blog.example.org", alpn: ["h3"] });
  const client0 = sealInitial({ dcid: DCID, scid: CSCID, pn: 0, frames: cryptoFrame(0, hello), padTo: 1200 });
  const sh = serverHelloMessage();
  const server0 = sealInitial({
    server: true,
    dcid: CSCID,
    scid: SSCID,
    keyDcid: DCID,
    pn: 0,
    pnLen: 2,
    frames: concat(bytes("0200000000"), cryptoFrame(0, sh)),
  });
  const dgrams: [">" | "<", Uint8Array][] = [
    [">", client0],
    ["<", datagram([server0, opaqueLong(QV1, "handshake", CSCID, SSCID, 400), shortPacket(CSCID, 60)])],
    [">", datagram([opaqueLong(QV1, "handshake", SSCID, CSCID, 50), shortPacket(SSCID, 30)])],
  ];
  for (let i = 0; i < 7; i++) dgrams.push([">", shortPacket(SSCID, 40)]);
  for (let i = 0; i < 3; i++) dgrams.push(["<", shortPacket(CSCID, 900)]);
  const { records, weirds } = run(dgrams);
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  const r = records[0];
  assert.equal(r.server_name, "blog.example.org");
  assert.equal(r.client_scid, "34696c");
  assert.equal(r.server_scid, "01275b138ee6aca8a6276b132ae6b3547cf7773f");
  // I S | i s h o(server short #1) | H O(client short #1) | client shorts #2..#8: O at 2, 4, 8 |
  // server shorts #2..#4: o at 2, 4.
  assert.equal(r.history, "ISishoHOOOOoo");
});

test("v2 packet types and a 0-RTT packet: Z", () => {
  const hello = clientHelloMessage({ sni: "localhost", alpn: ["quic-echo-example"] });
  const c0 = sealInitial({
    version: QV2,
    dcid: DCID,
    scid: new Uint8Array(0),
    pn: 0,
    frames: cryptoFrame(0, hello),
  });
  const { records } = run([[">", datagram([c0, opaqueLong(QV2, "0rtt", DCID, new Uint8Array(0), 80)])]]);
  assert.equal(records[0].version, "quicv2");
  assert.equal(records[0].server_name, "localhost");
  assert.equal(records[0].client_protocol, "quic-echo-example");
  assert.equal(records[0].client_scid, "");
  assert.equal(records[0].history, "ISZ");
});

test("a Retry ends the record; the client's next Initial, keyed by its new DCID, starts another", () => {
  const hello = clientHelloMessage({ sni: "retry.example", alpn: ["h3"] });
  const newDcid = bytes("e1051eaa7adfb230");
  const first = sealInitial({ dcid: DCID, scid: CSCID, pn: 0, frames: cryptoFrame(0, hello), padTo: 1200 });
  const again = sealInitial({
    dcid: newDcid,
    scid: CSCID,
    pn: 1,
    frames: cryptoFrame(0, hello),
    padTo: 1200,
    token: bytes("746f6b656e"),
  });
  const server = sealInitial({
    server: true,
    dcid: CSCID,
    scid: SSCID,
    keyDcid: newDcid,
    pn: 0,
    frames: cryptoFrame(0, serverHelloMessage()),
  });
  const { records, weirds } = run([
    [">", first],
    ["<", retryPacket(QV1, CSCID, newDcid)],
    [">", again],
    ["<", server],
  ]);
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  assert.equal(records.length, 2);
  assert.equal(records[0].history, "ISr");
  assert.equal(records[0].client_initial_dcid, "c5a5015ae8f479784a");
  assert.equal(records[1].history, "ISis");
  assert.equal(records[1].client_initial_dcid, "e1051eaa7adfb230");
  assert.ok(records.every((r) => r.server_name === "retry.example"));
});

test("CONNECTION_CLOSE in a server Initial logs the record (c)", () => {
  const hello = clientHelloMessage({ sni: "closed.example" });
  const c0 = sealInitial({ dcid: DCID, scid: CSCID, pn: 0, frames: cryptoFrame(0, hello) });
  const s0 = sealInitial({
    server: true,
    dcid: CSCID,
    scid: SSCID,
    keyDcid: DCID,
    pn: 0,
    frames: closeFrame(0x0a),
  });
  const { records } = run([
    [">", c0],
    ["<", s0],
    [">", shortPacket(SSCID, 10)],
  ]);
  assert.equal(records.length, 1, "no new record starts from a short packet");
  assert.equal(records[0].history, "ISic");
});

test("a tampered Initial is a weird and leaves the record undecrypted; the run goes on", () => {
  const c0 = sealInitial({ dcid: DCID, scid: CSCID, pn: 0, frames: cryptoFrame(0, clientHelloMessage({})) });
  c0[c0.length - 20] ^= 0x80;
  const { records, names } = run([[">", c0]]);
  assert.deepEqual(names, ["quic_initial_decrypt_failed"]);
  assert.equal(records[0].decrypted_initial, false);
  assert.equal(records[0].server_name, undefined);
  assert.equal(records[0].client_initial_dcid, "c5a5015ae8f479784a");
  assert.equal(records[0].history, "I");
});

test("a ClientHello whose last piece never comes is a crypto gap at the end", () => {
  const hello = clientHelloMessage({ sni: "never.example" });
  const c0 = sealInitial({ dcid: DCID, scid: CSCID, pn: 0, frames: cryptoFrame(0, hello.subarray(0, 80)) });
  const { records, weirds } = run([[">", c0]]);
  assert.equal(weirds.length, 1);
  assert.equal(weirds[0].name, "quic_crypto_gap");
  assert.match(weirds[0].detail ?? "", new RegExp(`${hello.length - 80} bytes never arrived`));
  assert.equal(records[0].server_name, undefined);
});

test("unexpected frames and a header cut inside its connection IDs are reported once each", () => {
  const c0 = sealInitial({
    dcid: DCID,
    scid: CSCID,
    pn: 0,
    frames: concat(bytes("0800"), new Uint8Array(30)),
  });
  const { names } = run([
    [">", c0],
    [">", c0.subarray(0, 12)],
    [">", c0.subarray(0, 12)],
  ]);
  assert.deepEqual(names, ["quic_unexpected_frame", "quic_bad_header"]);
});

test("a client Initial cut by the snaplen still keys the server's Initial (as tshark does)", () => {
  const hello = clientHelloMessage({ sni: "cut.example" });
  const c0 = sealInitial({ dcid: DCID, scid: CSCID, pn: 0, frames: cryptoFrame(0, hello), padTo: 1200 });
  const s0 = sealInitial({
    server: true,
    dcid: CSCID,
    scid: SSCID,
    keyDcid: DCID,
    pn: 0,
    frames: cryptoFrame(0, serverHelloMessage()),
  });
  const { records, names } = run([
    [">", c0.subarray(0, 256)],
    ["<", s0],
  ]);
  assert.deepEqual(names, ["quic_truncated_packet"]);
  assert.equal(records[0].client_initial_dcid, "c5a5015ae8f479784a");
  assert.equal(records[0].server_name, undefined);
  assert.equal(records[0].decrypted_initial, true);
  assert.equal(records[0].history, "Iis");
});

test("probe: long header, fixed bit, known version, connection IDs that fit; nothing else", () => {
  const probe = (b: Uint8Array) => quicDecoder.probe(b, true, ctx);
  assert.ok(probe(unhex(V1.clientPacket)));
  assert.ok(probe(unhex(V2.clientPacket)));
  assert.ok(probe(unhex(V1.serverPacket)), "any direction, any port");
  assert.ok(!probe(shortPacket(DCID, 40)), "1-RTT alone is not enough");
  assert.ok(!probe(bytes("c01a2a3a4a0800")), "unknown version");
  assert.ok(!probe(bytes("800000000108")), "fixed bit clear");
  assert.ok(!probe(bytes("c00000000115")), "DCID longer than 20");
  assert.ok(!probe(bytes("c000000001")), "too short");
  assert.ok(!probe(new TextEncoder().encode("GET / HTTP/1.1\r\n")));
  assert.deepEqual(quicDecoder.protos, ["udp"]);
  assert.equal(quicDecoder.name, "quic");
});

test("property: random datagrams after a valid client Initial never throw and stay bounded", () => {
  const first = unhex(V1.clientPacket);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 200 })), { maxLength: 6 }),
      (ds) => {
        const { records, weirds } = run([
          [">", first],
          ...ds.map(([o, d]): [">" | "<", Uint8Array] => [o ? ">" : "<", d]),
        ]);
        assert.ok(records.length >= 1 && records.length <= 8);
        assert.ok(weirds.length <= 8);
        for (const r of records) assert.ok(r.history.length <= 100);
      },
    ),
    { numRuns: 10000 },
  );
});

test("property: mutated RFC Initials (bit flips, cuts, splices) never throw", () => {
  const packets = [V1.clientPacket, V1.serverPacket, V2.clientPacket, V2.serverPacket].map(unhex);
  fc.assert(
    fc.property(
      fc.nat(3),
      fc.array(fc.tuple(fc.nat(1199), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
      fc.nat(1200),
      (which, flips, cut) => {
        const p = packets[which].slice();
        for (const [at, x] of flips) p[at % p.length] ^= x;
        const d = p.subarray(0, Math.max(1, cut % (p.length + 1)));
        run([
          [">", d],
          ["<", packets[(which + 1) % 4]],
        ]);
      },
    ),
    { numRuns: 10000 },
  );
});

function concat(...parts: Uint8Array[]): Uint8Array {
  return datagram(parts);
}
