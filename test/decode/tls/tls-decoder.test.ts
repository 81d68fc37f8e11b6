// The TLS decoder on whole conversations built from planted values: TLS 1.2 with certificates, TLS 1.3,
// HelloRetryRequest, resumption, alerts, segment splits, malformed handshakes, the stop-after-handshake
// rule, the key hook, the probe, and never-throws properties.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { looksLikeTlsHello, tlsDecoder } from "../../../src/decode/tls/tls-decoder.ts";
import type { TlsKeyHook, TlsSessionInfo } from "../../../src/decode/tls/tls-decrypt-hook.ts";
import type { TlsRecord } from "../../../src/model/tls.ts";
import { tlsClientHello } from "../../helpers/app-messages.ts";
import { REPO_ROOT } from "../../helpers/corpus.ts";
import {
  alertRecord,
  be24,
  cat,
  certificateBody,
  chunks,
  clientHelloBody,
  extAlpn,
  extKeyShare,
  extList16,
  extSni,
  extVersions,
  handshake,
  harness,
  record,
  serverHelloBody,
} from "./tls-build.ts";

const FIX = join(REPO_ROOT, "test", "fixtures", "tls");
const SRV = new Uint8Array(readFileSync(join(FIX, "srv.der")));
const CA = new Uint8Array(readFileSync(join(FIX, "ca.der")));
const CRANDOM = new Array(32).fill(0).map((_, i) => i);
const SID = new Array(32).fill(0x5e);

const CH12 = record(
  22,
  handshake(
    1,
    clientHelloBody({
      random: CRANDOM,
      ciphers: [0x3a3a, 0xc02f, 0xc030],
      extensions: [
        [0x0a0a, []],
        extSni("api.telemetry.example"),
        extAlpn(["h2", "http/1.1"]),
        extList16(13, [0x0401]),
      ],
    }),
  ),
  0x0301,
);
const SH12 = handshake(2, serverHelloBody({ cipher: 0xc02f, sessionId: SID, extensions: [extAlpn(["h2"])] }));
const SERVER12 = record(22, cat(SH12, handshake(11, certificateBody([SRV, CA])), handshake(14, [])));
const CLIENT_FINISH = cat(
  record(22, handshake(16, new Uint8Array(33))),
  record(20, [1]),
  record(22, new Uint8Array(40)),
);
const SERVER_FINISH = cat(record(20, [1]), record(22, new Uint8Array(40)));
const APP = record(23, new Uint8Array(100));

test("TLS 1.2: one record with names, cipher, ALPN and the leaf; stops after both ChangeCipherSpecs", () => {
  const h = harness().feed([
    [true, CH12],
    [false, SERVER12],
    [true, CLIENT_FINISH],
  ]);
  assert.deepEqual(h.results, [undefined, undefined, undefined]);
  assert.equal(h.records.length, 0, "not before the handshake ends");
  h.feed([[false, SERVER_FINISH]]);
  assert.equal(h.results[3], false, "handshake over, no keys: stop");
  assert.equal(h.records.length, 1);
  const r = h.records[0] as TlsRecord;
  assert.equal(r.type, "tls");
  assert.equal(r.uid, "CTLS0000000000000");
  assert.equal(r.version, "TLSv1.2");
  assert.equal(r.cipher, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  assert.equal(r.server_name, "api.telemetry.example");
  assert.deepEqual(r.alpn, ["h2", "http/1.1"]);
  assert.equal(r.alpn_selected, "h2");
  assert.equal(r.client_random, Buffer.from(CRANDOM).toString("hex"));
  assert.equal(r.cert_subject_cn, "api.telemetry.example");
  assert.deepEqual(r.cert_san, ["api.telemetry.example", "*.push.example.net", "192.0.2.7", "2001:db8::7"]);
  assert.equal(r.cert_issuer_cn, "Phonehome Test Root");
  assert.equal(r.cert_not_after, "2029-03-03T18:14:24Z");
  assert.equal(r.cert_chain_len, 2);
  assert.equal(r.established, true);
  assert.equal(r.resumed, false);
  assert.equal(r.decrypted, false);
  assert.match(r.ja4 ?? "", /^t12d0203h2_/);
  assert.equal(h.consumer.service, "tls");
  h.consumer.end();
  assert.equal(h.records.length, 1, "end() after the stop does not emit twice");
  assert.deepEqual(
    h.payloads.map((p) => `${p.layer} ${p.fromOrig} ${p.text}`),
    [
      "tls.sni true api.telemetry.example",
      "tls.cert false api.telemetry.example",
      "tls.cert false api.telemetry.example",
      "tls.cert false *.push.example.net",
    ],
  );
  assert.deepEqual(h.weirds, []);
});

test("the same conversation cut into 1..50-byte segments gives the same record", () => {
  const whole = harness().feed([
    [true, CH12],
    [false, SERVER12],
    [true, CLIENT_FINISH],
    [false, SERVER_FINISH],
  ]).records;
  for (const n of [1, 3, 5, 7, 50]) {
    const steps: [boolean, Uint8Array][] = [];
    for (const [o, b] of [
      [true, CH12],
      [false, SERVER12],
      [true, CLIENT_FINISH],
      [false, SERVER_FINISH],
    ] as [boolean, Uint8Array][])
      for (const c of chunks(b, n)) steps.push([o, c]);
    assert.deepEqual(harness().feed(steps).records, whole, `segments of ${n}`);
  }
});

const CH13 = record(
  22,
  handshake(
    1,
    clientHelloBody({
      random: CRANDOM,
      sessionId: SID,
      ciphers: [0x1301, 0x1302],
      extensions: [extSni("push.example.net"), extVersions([0x0304, 0x0303]), extKeyShare([0x1d])],
    }),
  ),
);

function sh13(extra: [number, number[]][] = []): Uint8Array {
  const ks: [number, number[]] = [51, [0, 0x1d, 0, 32, ...new Array(32).fill(0)]];
  return record(
    22,
    handshake(
      2,
      serverHelloBody({ cipher: 0x1301, sessionId: SID, extensions: [[43, [3, 4]], ks, ...extra] }),
    ),
  );
}

test("TLS 1.3: echoed session id is not resumption; the client's first encrypted record ends it", () => {
  const h = harness().feed([
    [true, CH13],
    [false, cat(sh13(), record(20, [1]), APP, APP)],
    [true, record(20, [1])],
  ]);
  assert.deepEqual(h.results, [undefined, undefined, undefined]);
  h.feed([[true, APP]]);
  assert.equal(h.results[3], false);
  const r = h.records[0] as TlsRecord;
  assert.equal(r.version, "TLSv1.3");
  assert.equal(r.cipher, "TLS_AES_128_GCM_SHA256");
  assert.equal(r.key_group, "x25519");
  assert.deepEqual(r.supported_versions, ["TLSv1.3", "TLSv1.2"]);
  assert.equal(r.session_id, "5e".repeat(32));
  assert.equal(r.resumed, false);
  assert.equal(r.established, true);
  assert.equal(r.cert_subject_cn, undefined);
});

test("application data both ways ends the handshake even without a ChangeCipherSpec seen", () => {
  const h = harness().feed([
    [true, CH12],
    [false, cat(SERVER12, APP)],
    [true, APP],
  ]);
  assert.equal(h.results[2], false);
  assert.equal((h.records[0] as TlsRecord).established, true);
});

test("a side that never finishes (one-sided capture): give up after the other side's 32 idle records", () => {
  const h = harness().feed([[false, cat(record(22, SH12), SERVER_FINISH)]]);
  for (let i = 0; i < 40 && h.results.at(-1) !== false; i++) h.feed([[false, APP]]);
  assert.equal(h.results.at(-1), false);
  assert.ok(h.results.length < 40);
  const r = h.records[0] as TlsRecord;
  assert.equal(r.established, false);
  assert.equal(r.server_name, undefined);
  assert.equal(r.version, "TLSv1.2");
});

test("sides swapped (capture began after the SYN, the server's packet came first): same facts", () => {
  const h = harness().feed([
    [false, CH13],
    [true, cat(sh13(), record(20, [1]), APP)],
    [false, APP],
  ]);
  assert.equal(h.results.at(-1), false);
  const r = h.records[0] as TlsRecord;
  assert.equal(r.server_name, "push.example.net");
  assert.equal(r.version, "TLSv1.3");
  assert.equal(r.established, true);
  assert.deepEqual(h.payloads, [{ layer: "tls.sni", text: "push.example.net", fromOrig: false }]);
});

test("TLS 1.3 resumption: an accepted PSK", () => {
  const h = harness().feed([
    [true, CH13],
    [false, sh13([[41, [0, 0]]])],
    [true, APP],
  ]);
  assert.equal((h.records[0] as TlsRecord).resumed, true);
});

test("HelloRetryRequest, compatibility CCS, second ClientHello (RFC 8446 §4.1.4, §D.4)", () => {
  const hrrRandom = [
    ...Buffer.from("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c", "hex"),
  ];
  const hrr = record(
    22,
    handshake(
      2,
      serverHelloBody({
        random: hrrRandom,
        cipher: 0x1301,
        extensions: [
          [43, [3, 4]],
          [51, [0, 0x17]],
        ],
      }),
    ),
  );
  const h = harness().feed([
    [true, CH13],
    [false, cat(hrr, record(20, [1]))],
    [true, cat(record(20, [1]), CH13)],
    [false, sh13()],
    [true, APP],
  ]);
  assert.deepEqual(h.weirds, []);
  const r = h.records[0] as TlsRecord;
  assert.equal(r.hello_retry, true);
  assert.equal(r.version, "TLSv1.3");
  assert.equal(r.server_name, "push.example.net");
  assert.equal(r.established, true);
});

test("TLS 1.2 resumption: the client's session id echoed, no certificate", () => {
  const ch = record(22, handshake(1, clientHelloBody({ sessionId: SID, ciphers: [0xc02f] })));
  const h = harness().feed([
    [true, ch],
    [false, cat(record(22, SH12), SERVER_FINISH)],
    [true, cat(record(20, [1]), record(22, new Uint8Array(40)))],
  ]);
  const r = h.records[0] as TlsRecord;
  assert.equal(r.resumed, true);
  assert.equal(r.established, true);
  assert.equal(r.cert_subject_cn, undefined);
});

test("a refused certificate: the client's fatal unknown_ca alert, not established, emitted at end()", () => {
  const h = harness().feed([
    [true, CH12],
    [false, SERVER12],
    [true, alertRecord(2, 48)],
  ]);
  assert.equal(h.records.length, 0);
  h.consumer.end();
  const r = h.records[0] as TlsRecord;
  assert.deepEqual(r.alerts, ["orig:fatal:unknown_ca"]);
  assert.equal(r.established, false);
});

test("an alert after ChangeCipherSpec is reported as encrypted", () => {
  const h = harness().feed([
    [true, CH12],
    [false, SERVER12],
    [true, cat(CLIENT_FINISH, alertRecord(1, 0))],
  ]);
  h.consumer.end();
  assert.deepEqual((h.records[0] as TlsRecord).alerts, ["orig:encrypted"]);
});

test("not TLS after all: a bad record before any hello stops without a record", () => {
  const h = harness().feed([
    [true, cat(Uint8Array.of(22, 3, 1, 0, 10), new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"))],
  ]);
  assert.equal(h.results[0], false);
  h.consumer.end();
  assert.deepEqual(h.records, []);
  assert.deepEqual(
    h.weirds.map((w) => w.name),
    ["tls_bad_record"],
  );
  assert.equal(h.consumer.service, undefined);
});

test("malformed handshakes become weirds; what parsed is still reported", () => {
  const shortHello = record(22, handshake(1, new Uint8Array(20)));
  const h1 = harness().feed([[true, shortHello]]);
  h1.consumer.end();
  assert.deepEqual(
    h1.weirds.map((w) => w.name),
    ["tls_bad_client_hello"],
  );
  assert.deepEqual(h1.records, []);

  const badExt = record(
    22,
    handshake(1, cat(clientHelloBody({ ciphers: [0x1301], extensions: [extSni("a.example")] }).slice(0, -3))),
  );
  const badCert = record(
    22,
    handshake(
      11,
      cat(be24(SRV.length + 3), be24(SRV.length), SRV.slice(0, 100), new Uint8Array(SRV.length - 100)),
    ),
  );
  const h2 = harness().feed([
    [true, badExt],
    [false, cat(record(22, SH12), badCert)],
  ]);
  h2.consumer.end();
  assert.deepEqual(h2.weirds.map((w) => w.name).sort(), ["tls_bad_certificate", "tls_bad_extension"]);
  assert.equal(h2.weirds[0].uid, "CTLS0000000000000");
  assert.equal((h2.records[0] as TlsRecord).cipher, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
});

test("a ClientHello declared longer than the keep bound is a weird, the stream stays in sync", () => {
  const body = new Uint8Array(70000);
  const hs = handshake(1, body);
  const recs = chunks(hs, 16384).map((c) => record(22, c));
  const h = harness().feed([...recs.map((r): [boolean, Uint8Array] => [true, r]), [false, record(22, SH12)]]);
  h.consumer.end();
  assert.deepEqual(
    h.weirds.map((w) => w.name),
    ["tls_handshake_too_long"],
  );
  assert.equal((h.records[0] as TlsRecord).version, "TLSv1.2");
});

test("a gap in the handshake stops that side; the record still comes at end()", () => {
  const h = harness().feed([[true, CH12]]);
  h.consumer.gap(false, 100);
  h.feed([[false, SERVER12]]);
  h.consumer.end();
  const r = h.records[0] as TlsRecord;
  assert.equal(r.server_name, "api.telemetry.example");
  assert.equal(r.version, undefined);
});

test("the key hook: records go to the sink, decrypted TLS 1.3 certificates are read, no early stop", () => {
  const seen: string[] = [];
  let info: TlsSessionInfo | undefined;
  const entries = cat(be24(SRV.length), SRV, [0, 0]);
  const cert13 = handshake(11, cat([0], be24(entries.length), entries));
  const hook: TlsKeyHook = {
    open(i) {
      info = i;
      return {
        record(fromOrig, type, body) {
          seen.push(`${fromOrig ? "c" : "s"}${type}:${body.length}`);
          // Stand-in decryption: the server's first protected record "is" its Certificate.
          return !fromOrig && seen.length === 1 ? { contentType: 22, data: cert13 } : undefined;
        },
        close: () => ({ decrypted: true, note: "test keys" }),
      };
    },
  };
  const h = harness({ keys: hook }).feed([
    [true, CH13],
    [false, cat(sh13(), record(20, [1]), APP, record(23, new Uint8Array(7)))],
    [true, cat(record(20, [1]), APP)],
    [true, APP],
  ]);
  assert.ok(
    h.results.every((r) => r !== false),
    "a sink keeps the connection",
  );
  assert.equal(info?.clientRandom, Buffer.from(CRANDOM).toString("hex"));
  assert.equal(info?.version, 0x0304);
  assert.deepEqual(seen, ["s23:100", "s23:7", "c23:100", "c23:100"]);
  h.consumer.end();
  const r = h.records[0] as TlsRecord;
  assert.equal(r.cert_subject_cn, "api.telemetry.example");
  assert.equal(r.decrypted, true);
  assert.equal(r.decrypt_note, "test keys");
});

test("probe: a ClientHello or ServerHello record on any port, nothing else", () => {
  const probe = (b: Uint8Array) => tlsDecoder.probe(b, true, { ...harnessCtx() });
  assert.equal(probe(tlsClientHello({ sni: "a.example" })), true);
  assert.equal(probe(CH12), true);
  assert.equal(probe(record(22, SH12)), true);
  assert.equal(probe(CH12.subarray(0, 5)), true, "a header alone is enough");
  assert.equal(
    probe(record(22, handshake(11, new Uint8Array(50)))),
    false,
    "a Certificate first is not a start",
  );
  assert.equal(probe(APP), false);
  assert.equal(probe(new TextEncoder().encode("GET / HTTP/1.1\r\n")), false);
  assert.equal(probe(Uint8Array.of(22, 3, 1)), false);
  assert.equal(looksLikeTlsHello(Uint8Array.of(22, 3, 3, 0, 10, 1, 0, 0, 6, 3, 3)), false, "hello too short");
});

function harnessCtx() {
  return {
    ts: 0,
    uid: "C",
    community_id: "",
    orig_h: "",
    orig_p: 0,
    resp_h: "",
    resp_p: 0,
    proto: "tcp" as const,
  };
}

test("property: random streams in random pieces never throw and give at most one record", () => {
  const step = fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 120 }), fc.boolean());
  fc.assert(
    fc.property(fc.array(step, { maxLength: 12 }), fc.boolean(), (steps, prefix) => {
      const h = harness();
      if (prefix) h.feed([[true, CH12.subarray(0, 60)]]);
      for (const [o, b, gap] of steps) {
        if (gap) h.consumer.gap(o, b.length);
        else h.feed([[o, b]]);
      }
      h.consumer.end();
      assert.ok(h.records.length <= 1);
    }),
    { numRuns: 10000 },
  );
});

test("property: a real conversation with bytes flipped never throws", () => {
  const conv = cat(CH12, SERVER12);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(conv.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 6,
      }),
      fc.integer({ min: 1, max: 400 }),
      (flips, seg) => {
        const b = conv.slice();
        for (const [i, v] of flips) b[i] = v;
        const h = harness();
        h.feed(chunks(b.subarray(0, CH12.length), seg).map((c): [boolean, Uint8Array] => [true, c]));
        h.feed(chunks(b.subarray(CH12.length), seg).map((c): [boolean, Uint8Array] => [false, c]));
        h.consumer.end();
      },
    ),
    { numRuns: 10000 },
  );
});
