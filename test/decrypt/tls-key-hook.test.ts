// TLS decryption end to end: real sessions between Node's TLS server and client (OpenSSL inside), recorded
// on loopback with the client's key log, for every version and cipher family phonehome decrypts. The
// planted HTTP/1.1 exchanges must come out as `http` records with transport tls-decrypted, and tshark,
// given the same key log, must read the same requests from the same capture (proving the fixture too).

import assert from "node:assert/strict";
import { test } from "node:test";
import { payloadText, runDecrypt, scratchFile } from "../helpers/decrypt-run.ts";
import { hpackBlock } from "../helpers/hpack-encoder.ts";
import { headers, PREFACE, settings } from "../helpers/http2-builder.ts";
import {
  recordTlsSession,
  TEST_TLS_HOST,
  type TlsSessionSpec,
  tlsPcap,
  tlsPcapngWithKeys,
} from "../helpers/tls-capture.ts";
import { HAS_TSHARK } from "../helpers/tshark.ts";
import { tsharkFileFields } from "../helpers/tshark-file.ts";

const IMEI = "490154203237518";
const BODY = '{"phone":"+8613800138000","contacts":["+8613900139000"]}';
const BIG = `{"pad":"${"x".repeat(20000)}"}`; // spans two TLS records and many TCP segments
const REQ1 = `GET /register?imei=${IMEI}&carrier=China%20Mobile HTTP/1.1\r\nHost: ${TEST_TLS_HOST}\r\n\r\n`;
const RESP1 = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${BIG.length}\r\n\r\n${BIG}`;
const REQ2 = `POST /contacts HTTP/1.1\r\nHost: ${TEST_TLS_HOST}\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`;
const RESP2 = "HTTP/1.1 204 No Content\r\n\r\n";
const EXPECTED = [
  { method: "GET", uri: `/register?imei=${IMEI}&carrier=China%20Mobile`, status: 200 },
  { method: "POST", uri: "/contacts", status: 204 },
];

function spec(s: Partial<TlsSessionSpec>): TlsSessionSpec {
  return {
    alpn: ["http/1.1"],
    steps: [
      { fromClient: true, data: REQ1 },
      { fromClient: false, data: RESP1 },
      { fromClient: true, data: REQ2 },
      { fromClient: false, data: RESP2 },
    ],
    ...s,
  };
}

/** Requests and response codes as tshark reads them with the key log (in frame order). */
function tsharkHttp(file: string, args: string[]): { uris: string[]; codes: number[] } {
  const rows = tsharkFileFields(file, ["http.request.uri", "http.response.code"], { filter: "http", args });
  return {
    uris: rows.map((r) => r[0]).filter((u) => u !== ""),
    codes: rows
      .map((r) => r[1])
      .filter((c) => c !== "" && c !== undefined)
      .map(Number),
  };
}

// Node's OpenSSL names (what the client negotiated) next to the IANA name phonehome reports.
const MATRIX: { version: TlsSessionSpec["version"]; cipher: string; iana: string; etm?: boolean }[] = [
  { version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", iana: "TLS_AES_128_GCM_SHA256" },
  { version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", iana: "TLS_AES_256_GCM_SHA384" },
  { version: "TLSv1.3", cipher: "TLS_CHACHA20_POLY1305_SHA256", iana: "TLS_CHACHA20_POLY1305_SHA256" },
  { version: "TLSv1.3", cipher: "TLS_AES_128_CCM_SHA256", iana: "TLS_AES_128_CCM_SHA256" },
  { version: "TLSv1.3", cipher: "TLS_AES_128_CCM_8_SHA256", iana: "TLS_AES_128_CCM_8_SHA256" },
  {
    version: "TLSv1.2",
    cipher: "ECDHE-ECDSA-AES128-GCM-SHA256",
    iana: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  },
  {
    version: "TLSv1.2",
    cipher: "ECDHE-ECDSA-AES256-GCM-SHA384",
    iana: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  },
  {
    version: "TLSv1.2",
    cipher: "ECDHE-ECDSA-CHACHA20-POLY1305",
    iana: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  },
  {
    version: "TLSv1.2",
    cipher: "ECDHE-ECDSA-AES128-SHA256",
    iana: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    etm: true,
  },
  {
    version: "TLSv1.2",
    cipher: "ECDHE-ECDSA-AES256-SHA384",
    iana: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    etm: false,
  },
  {
    version: "TLSv1.2",
    cipher: "ECDHE-ECDSA-AES128-SHA",
    iana: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    etm: false,
  },
  {
    version: "TLSv1.1",
    cipher: "ECDHE-ECDSA-AES256-SHA",
    iana: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    etm: true,
  },
  {
    version: "TLSv1",
    cipher: "ECDHE-ECDSA-AES128-SHA",
    iana: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    etm: false,
  },
  {
    version: "TLSv1",
    cipher: "ECDHE-ECDSA-AES256-SHA",
    iana: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    etm: true,
  },
];

for (const m of MATRIX) {
  const label = `${m.version} ${m.cipher}${m.etm === undefined ? "" : m.etm ? " encrypt-then-MAC" : " MAC-then-encrypt"}`;
  test(`${label}: the planted HTTP/1.1 exchanges decrypt as tshark reads them`, async () => {
    const s = await recordTlsSession(spec({ version: m.version, cipher: m.cipher, encryptThenMac: m.etm }));
    assert.equal(s.negotiated.version, m.version, "the fixture negotiated the version asked for");
    assert.equal(s.negotiated.cipher, m.cipher);
    assert.equal(
      Buffer.from(s.received.byServer).toString("latin1"),
      REQ1 + REQ2,
      "the relay changed nothing",
    );
    const capture = tlsPcap(s.chunks);
    const run = await runDecrypt(capture, s.keyLog);
    assert.deepEqual(
      run.http.map((h) => ({ method: h.method, uri: h.uri, status: h.status_code })),
      EXPECTED,
    );
    for (const h of run.http) assert.equal(h.transport, "tls-decrypted");
    assert.equal(run.tls.length, 1);
    const t = run.tls[0];
    assert.equal(t.decrypted, true);
    assert.equal(t.decrypt_note, undefined);
    assert.equal(t.cipher, m.iana);
    assert.equal(t.alpn_selected, "http/1.1");
    assert.deepEqual(run.weirds, []);
    assert.ok(payloadText(run, "http.body", true).includes(BODY), "the POST body reaches the detector");
    const decrypted = run.payloads.filter((p) => p.layer.startsWith("http."));
    assert.ok(decrypted.length > 0 && decrypted.every((p) => p.transport === "tls-decrypted"));
    if (HAS_TSHARK) {
      const keyFile = scratchFile("keys.log", s.keyLog);
      const ref = tsharkHttp(scratchFile("c.pcap", capture), ["-o", `tls.keylog_file:${keyFile}`]);
      assert.deepEqual(
        ref.uris,
        EXPECTED.map((e) => e.uri),
        "tshark reads the same requests",
      );
      assert.deepEqual(
        ref.codes,
        EXPECTED.map((e) => e.status),
      );
    }
  });
}

test("TLS 1.3: the decrypted handshake gives the certificate names and the ALPN from EncryptedExtensions", async () => {
  const s = await recordTlsSession(spec({ version: "TLSv1.3" }));
  const clear = await runDecrypt(tlsPcap(s.chunks));
  assert.equal(clear.tls[0].cert_subject_cn, undefined, "without keys TLS 1.3 hides the certificate");
  assert.equal(clear.tls[0].alpn_selected, undefined);
  const run = await runDecrypt(tlsPcap(s.chunks), s.keyLog);
  const t = run.tls[0];
  // test/fixtures/decrypt/README.md: the certificate's subject and SAN.
  assert.equal(t.cert_subject_cn, TEST_TLS_HOST);
  assert.deepEqual(t.cert_san, [TEST_TLS_HOST, "alt.phonehome.test"]);
  assert.equal(t.alpn_selected, "http/1.1");
  assert.deepEqual(t.alerts, ["orig:warning:close_notify", "resp:warning:close_notify"], "alerts decrypted");
});

for (const version of ["TLSv1.3", "TLSv1.2"] as const) {
  test(`${version}: keys from a pcapng Decryption Secrets Block alone`, async () => {
    const s = await recordTlsSession(spec({ version }));
    const capture = tlsPcapngWithKeys(s.chunks, s.keyLog);
    const run = await runDecrypt(capture, undefined, "c.pcapng");
    assert.deepEqual(
      run.http.map((h) => ({ method: h.method, uri: h.uri, status: h.status_code })),
      EXPECTED,
    );
    assert.equal(run.tls[0].decrypted, true);
    if (HAS_TSHARK) {
      const ref = tsharkHttp(scratchFile("c.pcapng", capture), []);
      assert.deepEqual(
        ref.uris,
        EXPECTED.map((e) => e.uri),
        "tshark reads the DSB too",
      );
    }
  });
}

test("ALPN h2: the decrypted stream goes to the HTTP/2 decoder (frames written by the test)", async () => {
  const request = Buffer.concat([
    Buffer.from(PREFACE, "latin1"),
    settings(),
    headers(
      1,
      hpackBlock([
        [":method", "GET"],
        [":scheme", "https"],
        [":authority", TEST_TLS_HOST],
        [":path", `/h2/register?imei=${IMEI}`],
      ]),
      { end: true },
    ),
  ]);
  const response = Buffer.concat([settings(), headers(1, hpackBlock([[":status", "200"]]), { end: true })]);
  const s = await recordTlsSession({
    version: "TLSv1.3",
    alpn: ["h2"],
    clientSends: [request],
    serverSends: [response],
  });
  assert.equal(s.negotiated.alpn, "h2");
  const run = await runDecrypt(tlsPcap(s.chunks), s.keyLog);
  assert.deepEqual(
    run.http.map((h) => [h.method, h.uri, h.status_code, h.transport]),
    [["GET", `/h2/register?imei=${IMEI}`, 200, "tls-decrypted"]],
  );
  assert.equal(run.tls[0].alpn_selected, "h2");
});
