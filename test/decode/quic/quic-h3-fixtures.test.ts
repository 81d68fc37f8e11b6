// The ngtcp2 captures of test/fixtures/quic (README there: how they were made and what was planted), read
// end to end: keys from the capture's DSB, from a key log file, none, and wrong ones; and tshark's own
// decryption of the same files as the proof that the fixtures, and phonehome's stream bytes, are right.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCapture } from "../../../src/app/capture-run.ts";
import { makeQuicDecoder } from "../../../src/decode/quic/quic-decoder.ts";
import type { QuicStreamApp } from "../../../src/decode/quic/quic-decrypt.ts";
import type { PayloadChunk, StreamDecoderDefinition } from "../../../src/decode/stream-decoder.ts";
import { KEY_LOG_LABELS, KeyStore } from "../../../src/decrypt/key-log.ts";
import type { HttpRecord } from "../../../src/model/http.ts";
import type { QuicRecord } from "../../../src/model/quic.ts";
import { REPO_ROOT } from "../../helpers/corpus.ts";
import { tsharkOn } from "../../helpers/synth-tshark.ts";
import { NO_TSHARK } from "../../helpers/tshark.ts";

const DIR = join(REPO_ROOT, "test", "fixtures", "quic");

/** What the README says each capture carries. */
const FIXTURES = [
  {
    file: "h3-get",
    suite: "TLS_AES_128_GCM_SHA256",
    method: "GET",
    url: "https://quic.telemetry.example:4433/telemetry/v1?imei=356938035643809",
    status: 200,
    reqBody: "",
    resBody: '{"ok":true}\n',
  },
  {
    file: "h3-post-chacha20",
    suite: "TLS_CHACHA20_POLY1305_SHA256, 1 key update",
    method: "POST",
    url: "https://quic.telemetry.example:4434/upload?device=phone-7",
    status: 404,
    reqBody: "imei=356938035643809&android_id=9774d56d682e549c",
    resBody: undefined,
  },
  {
    file: "h3-get-aes256",
    suite: "TLS_AES_256_GCM_SHA384",
    method: "GET",
    url: "https://quic.telemetry.example:4435/config.json?adid=38400000-8cf0-11bd-b23e-10b96e40000d",
    status: 404,
    reqBody: "",
    resBody: undefined,
  },
] as const;

async function analyze(file: string, decoders?: StreamDecoderDefinition[]) {
  const records: { type: string; name?: string }[] = [];
  const payloads: PayloadChunk[] = [];
  await runCapture(join(DIR, `${file}.pcapng`), {
    onRecord: (r) => records.push(r as { type: string }),
    onPayload: (p) => payloads.push({ ...p, data: Uint8Array.from(p.data) }),
    decoders,
  });
  const http = records.filter((r) => r.type === "http") as unknown as HttpRecord[];
  const quic = records.filter((r) => r.type === "quic") as unknown as QuicRecord[];
  const weirds = records.filter((r) => r.type === "weird").map((r) => r.name);
  return { http, quic, weirds, payloads };
}

function fileKeys(file: string): KeyStore {
  const keys = new KeyStore();
  keys.addKeyLog(readFileSync(join(DIR, `${file}.keys`), "latin1"));
  return keys;
}

for (const f of FIXTURES) {
  test(`${f.file}: keys from the capture's DSB give the planted HTTP/3 request`, async () => {
    const { http, quic, weirds, payloads } = await analyze(f.file);
    assert.deepEqual(weirds, []);
    assert.equal(quic.length, 1);
    assert.equal(quic[0].decrypted, true);
    assert.equal(quic[0].decrypt_note, `decrypted (${f.suite})`);
    assert.equal(quic[0].server_name, "localhost");
    assert.deepEqual(quic[0].alpn, ["h3"]);
    assert.equal(http.length, 1);
    const h = http[0];
    assert.equal(h.method, f.method);
    assert.equal(h.url, f.url);
    assert.equal(`https://${h.host}${h.uri}`, f.url);
    assert.equal(h.version, "3");
    assert.equal(h.transport, "tls-decrypted");
    assert.equal(h.status_code, f.status);
    assert.equal(h.user_agent, "nghttp3/ngtcp2 client");
    assert.equal(h.request_body_len, f.reqBody.length);
    for (const p of payloads) assert.equal(p.transport, "tls-decrypted", p.layer);
    const layer = (l: string, orig: boolean) =>
      payloads.filter((p) => p.layer === l && p.fromOrig === orig).map((p) => Buffer.from(p.data).toString());
    assert.deepEqual(layer("http.uri", true), [new URL(f.url).pathname + new URL(f.url).search]);
    if (f.reqBody) assert.deepEqual(layer("http.body", true), [f.reqBody]);
    if (f.resBody) assert.deepEqual(layer("http.body", false), [f.resBody]);
  });

  test(`${f.file}: keys from a key log file alone decrypt it too`, async () => {
    const { http, quic } = await analyze(f.file, [makeQuicDecoder({ keys: fileKeys(f.file) })]);
    assert.equal(quic[0].decrypted, true);
    assert.equal(http[0]?.url, f.url);
  });
}

test("without keys for the client random: not decrypted, and the record says why", async () => {
  const other = new KeyStore();
  other.add("CLIENT_TRAFFIC_SECRET_0", "ab".repeat(32), new Uint8Array(32));
  const { http, quic, weirds } = await analyze("h3-get", [makeQuicDecoder({ keys: other })]);
  assert.deepEqual(weirds, []);
  assert.equal(http.length, 0);
  assert.equal(quic[0].decrypted, false);
  assert.equal(quic[0].decrypt_note, "no key log entry for this client random");
  // No key source at all (no decoder keys, or an empty store): nothing to explain.
  for (const keys of [undefined, new KeyStore()]) {
    const plain = await analyze("h3-get", [makeQuicDecoder({ keys })]);
    assert.equal(plain.quic[0].decrypted, false);
    assert.equal(plain.quic[0].decrypt_note, undefined);
  }
});

test("wrong secrets for the right client random: an authentication failure stops decryption, no crash", async () => {
  const real = fileKeys("h3-get");
  const random = readFileSync(join(DIR, "h3-get.keys"), "latin1").split(/\s+/)[1];
  const wrong = new KeyStore();
  for (const label of KEY_LOG_LABELS)
    if (real.get(random, label)) wrong.add(label, random, new Uint8Array(32).fill(0x11));
  const { http, quic, weirds } = await analyze("h3-get", [makeQuicDecoder({ keys: wrong })]);
  assert.equal(http.length, 0);
  assert.equal(quic[0].decrypted, false);
  assert.match(quic[0].decrypt_note ?? "", /^authentication failed, (client|server) stopped: /);
  assert.deepEqual(weirds, ["quic_decrypt_failed"]);
});

/** tshark's decrypted STREAM frames of a capture: bytes per "client|server stream id", placed by offset. */
function tsharkStreams(file: string): Map<string, number[]> {
  const fields = [
    "udp.srcport",
    "quic.stream.stream_id",
    "quic.stream.off",
    "quic.stream.offset",
    "quic.stream_data",
  ];
  const text = tsharkOn(join(DIR, `${file}.pcapng`), [
    "-Y",
    "quic.stream.stream_id",
    "-T",
    "fields",
    "-E",
    "occurrence=a",
    ...fields.flatMap((x) => ["-e", x]),
  ]);
  const firstPort = tsharkOn(join(DIR, `${file}.pcapng`), [
    "-c",
    "1",
    "-T",
    "fields",
    "-e",
    "udp.srcport",
  ]).trim();
  const streams = new Map<string, number[]>();
  for (const line of text.trimEnd().split("\n")) {
    const [port, ids, offBits, offsets, datas] = line.split("\t").map((c) => (c ? c.split(",") : []));
    // The offset field is present only for frames whose OFF bit is set (RFC 9000 §19.8).
    assert.equal(datas.length, ids.length, "every STREAM frame here carries data");
    let o = 0;
    ids.forEach((id, i) => {
      const offset = offBits[i] === "1" || offBits[i] === "True" ? Number(offsets[o++]) : 0;
      const key = `${port[0] === firstPort ? "client" : "server"} ${id}`;
      const buf = streams.get(key) ?? [];
      Buffer.from(datas[i], "hex").forEach((b, j) => {
        buf[offset + j] = b;
      });
      streams.set(key, buf);
    });
  }
  return streams;
}

for (const f of FIXTURES) {
  test(`${f.file}: tshark decrypts the DSB capture to the same stream bytes phonehome reassembles`, {
    skip: NO_TSHARK,
  }, async () => {
    const ours = new Map<string, number[]>();
    const app = (): QuicStreamApp => ({
      data: (client, id, bytes) => {
        const key = `${client ? "client" : "server"} ${id}`;
        ours.set(key, [...(ours.get(key) ?? []), ...bytes]);
      },
      fin() {},
      reset() {},
      end() {},
    });
    const { quic } = await analyze(f.file, [makeQuicDecoder({ keys: fileKeys(f.file), streams: app })]);
    assert.equal(quic[0].decrypted, true);
    const theirs = tsharkStreams(f.file);
    assert.ok(theirs.size >= 4, `tshark shows ${theirs.size} streams`);
    assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
    for (const [key, bytes] of theirs) assert.deepEqual(ours.get(key), bytes, key);
    // The request stream (client 0) holds the planted path, QPACK-compressed: its HEADERS frame type (0x01)
    // opens the stream in tshark's bytes too.
    assert.equal(theirs.get("client 0")?.[0], 0x01);
    const sni = tsharkOn(join(DIR, `${f.file}.pcapng`), [
      "-Y",
      "tls.handshake.type == 1",
      "-T",
      "fields",
      "-e",
      "tls.handshake.extensions_server_name",
    ]);
    assert.equal(sni.trim(), quic[0].server_name);
  });
}
