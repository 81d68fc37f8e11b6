// TLS records of real captures, through the whole pipeline, against tshark: SNI (the oracle,
// tls.handshake.extensions_server_name), offered ALPN, negotiated version and cipher, certificate SANs and
// plaintext alerts, per connection. Captures: the checked-in fixtures (openssl over loopback, see
// test/fixtures/tls/README.md) and every corpus capture with TLS over TCP. Also checks the cipher and group
// name tables against tshark's own names.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCapture } from "../../../src/app/capture-run.ts";
import { tlsDecoder } from "../../../src/decode/tls/tls-decoder.ts";
import { CIPHER_NAMES, cipherName, GROUP_NAMES, versionName } from "../../../src/decode/tls/tls-names.ts";
import type { TlsRecord } from "../../../src/model/tls.ts";
import { writePcap } from "../../helpers/capture-writer.ts";
import { corpusPath, NO_CORPUS, REPO_ROOT } from "../../helpers/corpus.ts";
import { TrafficSynth } from "../../helpers/traffic-synth.ts";
import { NO_TSHARK } from "../../helpers/tshark.ts";
import { clientHelloBody, extList16, handshake, record } from "./tls-build.ts";

const FIXTURES = ["tls12-alpn.pcap", "tls13.pcap", "tls12-reject.pcap", "tls12-resume.pcap"].map((f) =>
  join(REPO_ROOT, "test", "fixtures", "tls", f),
);
const CORPUS = [
  "zeek-traces/testing/btest/Traces/tls/ecdhe.pcap",
  "zeek-traces/testing/btest/Traces/tls/hrr.pcap",
  "zeek-traces/testing/btest/Traces/tls/tls12-decryption.pcap",
  "rusticata-pcap-parser/assets/err-buffertoosmall.pcapng",
];
/** The fixtures' non-standard ports, so tshark dissects every record there as TLS. */
const PORTS = [5228, 5229, 5231, 8443];

const FIELDS = [
  "tcp.srcport",
  "tcp.dstport",
  "tls.handshake.type",
  "tls.handshake.extensions_server_name",
  "tls.handshake.extensions_alpn_str",
  "tls.handshake.ciphersuite",
  "tls.handshake.extensions.supported_version",
  "tls.handshake.version",
  "x509ce.dNSName",
  "tls.alert_message.desc",
] as const;

interface Expect {
  sni?: string;
  alpn?: string;
  version?: string;
  cipher?: string;
  san: string[];
  alerts: string[];
}

/** tshark's view, per client port (the originator of every connection in these captures). */
function tsharkView(file: string): Map<number, Expect> {
  const args = ["-r", file, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"];
  for (const p of PORTS) args.push("-d", `tcp.port==${p},tls`);
  for (const f of FIELDS) args.push("-e", f);
  const out = execFileSync("tshark", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const conns = new Map<number, Expect>();
  for (const line of out.split("\n")) {
    const c = Object.fromEntries(line.split("\t").map((v, i) => [FIELDS[i], v])) as Record<string, string>;
    const types = (c["tls.handshake.type"] ?? "").split("|");
    const toServer = types.includes("1") || (!types.includes("2") && Number(c["tcp.srcport"]) > 30000);
    const port = Number(toServer ? c["tcp.srcport"] : c["tcp.dstport"]);
    if (!port) continue;
    const e: Expect = conns.get(port) ?? { san: [], alerts: [] };
    conns.set(port, e);
    if (types.includes("1") && e.sni === undefined) {
      e.sni = c["tls.handshake.extensions_server_name"] || undefined;
      e.alpn = c["tls.handshake.extensions_alpn_str"] || undefined;
    }
    if (types.includes("2")) {
      const i = types.indexOf("2");
      const sv = c["tls.handshake.extensions.supported_version"];
      const hv = c["tls.handshake.version"].split("|")[i];
      e.version = versionName(Number(sv || hv));
      e.cipher = cipherName(Number(c["tls.handshake.ciphersuite"].split("|")[0]));
    }
    if (types.includes("11") && e.san.length === 0 && c["x509ce.dNSName"])
      e.san = c["x509ce.dNSName"].split("|");
    if (c["tls.alert_message.desc"]) e.alerts.push(c["tls.alert_message.desc"]);
  }
  return conns;
}

async function tlsRecords(file: string): Promise<{ tls: TlsRecord[]; weirds: string[] }> {
  const tls: TlsRecord[] = [];
  const weirds: string[] = [];
  await runCapture(file, {
    decoders: [tlsDecoder],
    onRecord: (r) => {
      if (r.type === "tls") tls.push(r);
      if (r.type === "weird" && r.name.startsWith("tls_")) weirds.push(r.name);
    },
  });
  return { tls, weirds };
}

const ALERT_CODES: Record<string, string> = { close_notify: "0", unknown_ca: "48", bad_certificate: "42" };

for (const file of [...FIXTURES, ...CORPUS.map((f) => corpusPath(f))]) {
  const name = file.split("/").slice(-2).join("/");
  const skip = NO_TSHARK || (file.includes("fixtures") ? false : NO_CORPUS);
  test(`${name}: SNI, ALPN, version, cipher, SANs, alerts equal tshark's`, { skip }, async () => {
    const expected = tsharkView(file);
    const { tls, weirds } = await tlsRecords(file);
    assert.deepEqual(weirds, []);
    const withHello = [...expected.entries()].filter(
      ([, e]) => e.sni !== undefined || e.version !== undefined,
    );
    assert.equal(tls.length, withHello.length, "one tls record per connection with a hello");
    for (const [port, e] of withHello) {
      const r = tls.find((t) => t.orig_p === port);
      assert.ok(r, `record for client port ${port}`);
      assert.equal(r.server_name, e.sni, `SNI of ${port}`);
      assert.equal(r.alpn?.join(","), e.alpn?.replace(/\|/g, ","), `ALPN of ${port}`);
      assert.equal(r.version, e.version, `version of ${port}`);
      assert.equal(r.cipher, e.cipher, `cipher of ${port}`);
      assert.deepEqual(r.cert_san?.filter((s) => !/^[\d.:a-f]+$/.test(s)) ?? [], e.san, `SANs of ${port}`);
      const plain = (r.alerts ?? []).filter((a) => !a.endsWith(":encrypted"));
      assert.deepEqual(
        plain.map((a) => ALERT_CODES[a.split(":")[2]]),
        e.alerts.slice(0, plain.length),
        `alerts of ${port}`,
      );
    }
  });
}

test("fixtures: what the handshakes are known to show (README)", async () => {
  const [alpn, t13, reject, resume] = await Promise.all(FIXTURES.map(tlsRecords));
  const a = alpn.tls[0];
  assert.equal(a.alpn_selected, "h2");
  assert.equal(a.established, true);
  assert.equal(a.cert_chain_len, 2);
  assert.equal(a.cert_subject_cn, "api.telemetry.example");
  assert.equal(a.cert_issuer_cn, "Phonehome Test Root");
  assert.equal(t13.tls[0].established, true);
  assert.equal(t13.tls[0].version, "TLSv1.3");
  assert.deepEqual(reject.tls[0].alerts, ["orig:fatal:unknown_ca"]);
  assert.equal(reject.tls[0].established, false);
  assert.deepEqual(
    resume.tls.map((r) => r.resumed),
    [false, true],
  );
  assert.equal(resume.tls[1].cert_subject_cn, undefined);
});

test("corpus: the HelloRetryRequest traces are flagged", { skip: NO_CORPUS }, async () => {
  for (const f of [
    "zeek-traces/testing/btest/Traces/tls/hrr.pcap",
    "rusticata-pcap-parser/assets/err-buffertoosmall.pcapng",
  ]) {
    const { tls } = await tlsRecords(corpusPath(f));
    assert.equal(tls[0].hello_retry, true, f);
  }
});

/**
 * tshark 4.0 names 0x0200–0x0202 after the Open Quantum Safe experiments (frodo640aes ...); IANA has since
 * assigned them to MLKEM512/768/1024.
 */
const REASSIGNED = new Set(["0200", "0201", "0202"]);

test("name tables equal tshark's names for every cipher suite and group it knows", {
  skip: NO_TSHARK,
}, () => {
  const ciphers = [...CIPHER_NAMES.keys()];
  const groups = [...GROUP_NAMES.keys()];
  const body = clientHelloBody({ ciphers, extensions: [extList16(10, groups)] });
  const synth = new TrafficSynth({ seed: 7 });
  synth.tcpConversation({
    client: "10.0.0.2",
    server: "192.0.2.7",
    clientPort: 50001,
    serverPort: 443,
    exchanges: [{ fromClient: true, data: record(22, handshake(1, body)) }],
  });
  const dir = mkdtempSync(join(tmpdir(), "phonehome-tls-names-"));
  try {
    const file = join(dir, "names.pcap");
    writeFileSync(file, writePcap(synth.sorted(), { linkType: synth.linkType }));
    const text = execFileSync("tshark", ["-r", file, "-V", "-O", "tls"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    let compared = 0;
    const differ: string[] = [];
    for (const m of text.matchAll(/(Cipher Suite|Supported Group): (\S+) \(0x([0-9a-f]{4})\)/g)) {
      const table = m[1] === "Cipher Suite" ? CIPHER_NAMES : GROUP_NAMES;
      const ours = table.get(Number.parseInt(m[3], 16));
      if (m[2] === "Unknown" || ours === undefined || REASSIGNED.has(m[3])) continue;
      if (ours.toLowerCase() !== m[2].toLowerCase()) differ.push(`0x${m[3]} ours ${ours} tshark ${m[2]}`);
      compared++;
    }
    assert.deepEqual(differ, []);
    assert.ok(compared > ciphers.length, `compared ${compared} names`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
