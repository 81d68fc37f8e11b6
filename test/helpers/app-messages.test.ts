// The application messages read back by tshark: DNS names, types, CNAME chains and compression; HTTP request
// line, headers and form/JSON bodies; TLS ClientHello SNI/ALPN and ServerHello; the QUIC-like Initial.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  DNS_TYPE,
  dnsName,
  formEncode,
  httpRequest,
  httpResponse,
  quicLikeInitial,
  tlsAppData,
  tlsChangeCipherSpec,
  tlsClientHello,
  tlsServerHello,
} from "./app-messages.ts";
import { writePcap } from "./capture-writer.ts";
import { concat } from "./packet-builder.ts";
import { TrafficSynth } from "./traffic-synth.ts";
import { NO_TSHARK } from "./tshark.ts";

const dir = mkdtempSync(join(tmpdir(), "phonehome-am-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** tshark's fields (all occurrences, comma-joined) for every frame the synthesizer made. */
function fields(s: TrafficSynth, names: string[], filter?: string): string[][] {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}.pcap`);
  writeFileSync(file, writePcap(s.sorted(), { linkType: s.linkType }));
  const args = ["-r", file, "-T", "fields", "-E", "occurrence=a", ...names.flatMap((f) => ["-e", f])];
  if (filter) args.push("-Y", filter);
  const r = spawnSync("tshark", args, { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .trimEnd()
    .split("\n")
    .map((l) => l.split("\t"));
}

test("dnsName encodes labels per RFC 1035 §3.1", () => {
  assert.deepEqual([...dnsName("a.bc.")], [1, 97, 2, 98, 99, 0]);
  assert.throws(() => dnsName(`${"x".repeat(64)}.com`));
});

test("DNS queries and responses decode in tshark: names, types, CNAME chain, ids", {
  skip: NO_TSHARK,
}, () => {
  const s = new TrafficSynth({ seed: 3 });
  s.dnsQuery("api.account.xiaomi.com", ["api.g.xiaomi.com", "42.62.48.17", "42.62.48.18"], { id: 0x1234 });
  s.dnsQuery("v6.example.com", ["2001:db8::5"], { id: 0x4321, client: "2001:db8::2" });
  s.dnsQuery("nope.example", [], { id: 7, rcode: 3 });
  const rows = fields(
    s,
    [
      "dns.id",
      "dns.flags.response",
      "dns.qry.name",
      "dns.qry.type",
      "dns.cname",
      "dns.a",
      "dns.aaaa",
      "dns.flags.rcode",
      "frame.protocols",
    ],
    "dns",
  );
  assert.equal(rows.length, 6);
  assert.ok(rows.every((r) => !r[8].includes("malformed")));
  assert.deepEqual(rows[0].slice(0, 4), ["0x1234", "0", "api.account.xiaomi.com", String(DNS_TYPE.A)]);
  assert.deepEqual(rows[1].slice(0, 8), [
    "0x1234",
    "1",
    "api.account.xiaomi.com",
    "1",
    "api.g.xiaomi.com",
    "42.62.48.17,42.62.48.18",
    "",
    "0",
  ]);
  assert.deepEqual(rows[3].slice(0, 8), [
    "0x4321",
    "1",
    "v6.example.com",
    String(DNS_TYPE.AAAA),
    "",
    "",
    "2001:db8::5",
    "0",
  ]);
  assert.deepEqual(rows[5].slice(0, 8), ["0x0007", "1", "nope.example", "1", "", "", "", "3"]);
});

test("HTTP requests and responses decode in tshark, form and JSON bodies included", {
  skip: NO_TSHARK,
}, () => {
  const s = new TrafficSynth({ seed: 4 });
  const form = formEncode({ phone: "+86 138 0013 8000", carrier: "China Mobile" });
  s.tcpConversation({
    client: "10.0.0.2",
    server: "10.0.0.80",
    clientPort: 40000,
    serverPort: 80,
    exchanges: [
      {
        fromClient: true,
        data: httpRequest({
          host: "api.example.com",
          path: "/v1/reg?imei=490154203237518",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: form,
        }),
      },
      {
        fromClient: false,
        data: httpResponse({ headers: { "Content-Type": "application/json" }, body: '{"ok":"yes"}' }),
      },
    ],
  });
  const rows = fields(
    s,
    [
      "http.request.method",
      "http.host",
      "http.request.uri",
      "http.content_length",
      "urlencoded-form.value",
      "http.response.code",
      "json.value.string",
    ],
    "http",
  );
  assert.deepEqual(rows, [
    [
      "POST",
      "api.example.com",
      "/v1/reg?imei=490154203237518",
      String(form.length),
      "+86 138 0013 8000,China Mobile",
      "",
      "",
    ],
    ["", "", "", "12", "", "200", "yes"],
  ]);
});

test("TLS ClientHello carries SNI, ALPN and versions; ServerHello its cipher; records their lengths", {
  skip: NO_TSHARK,
}, () => {
  const s = new TrafficSynth({ seed: 5 });
  s.tcpConversation({
    client: "10.0.0.2",
    server: "10.0.0.43",
    clientPort: 40001,
    serverPort: 443,
    exchanges: [
      {
        fromClient: true,
        data: tlsClientHello({ sni: "account.xiaomi.com", alpn: ["h2", "http/1.1"], tls13: true }),
      },
      {
        fromClient: false,
        data: concat([tlsServerHello(new Uint8Array(32), 0xc02f), tlsChangeCipherSpec()]),
      },
      { fromClient: true, data: tlsAppData(new Uint8Array(300).fill(9)) },
    ],
  });
  const rows = fields(
    s,
    [
      "tls.handshake.type",
      "tls.handshake.extensions_server_name",
      "tls.handshake.extensions_alpn_str",
      "tls.handshake.extensions.supported_version",
      "tls.handshake.ciphersuite",
      "tls.record.content_type",
      "tls.record.length",
    ],
    "tls",
  );
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[0].slice(0, 4), ["1", "account.xiaomi.com", "h2,http/1.1", "0x0304,0x0303"]);
  assert.deepEqual(rows[1].slice(4, 6), ["0xc02f", "22,20"]);
  assert.deepEqual(rows[2].slice(5), ["23", "300"]);
});

test("the QUIC-like Initial is recognised as QUIC v1 with its connection ids", { skip: NO_TSHARK }, () => {
  const s = new TrafficSynth({ seed: 6 });
  const dcid = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const scid = Uint8Array.of(9, 9, 9, 9);
  s.udpExchange({
    client: "10.0.0.2",
    server: "10.0.0.44",
    clientPort: 50000,
    serverPort: 443,
    datagrams: [{ fromClient: true, data: quicLikeInitial(dcid, scid, Uint8Array.of(0xaa)) }],
  });
  const rows = fields(s, ["udp.length", "quic.version", "quic.dcid", "quic.scid", "quic.long.packet_type"]);
  assert.deepEqual(rows, [[String(8 + 1200), "0x00000001", "0102030405060708", "09090909", "0"]]);
});
