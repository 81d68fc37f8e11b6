// QUIC records of the corpus captures against the reference tools: Zeek's quic.log and ssl.log baselines for
// the Zeek QUIC traces, tshark's own Initial decryption (tls.handshake.extensions_server_name) for tcpdump's.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { runCapture } from "../../../src/app/capture-run.ts";
import type { PipelineRecord } from "../../../src/app/record-sink.ts";
import { quicDecoder } from "../../../src/decode/quic/quic-decoder.ts";
import { STREAM_DECODERS } from "../../../src/decode/registry.ts";
import type { StreamDecoderDefinition } from "../../../src/decode/stream-decoder.ts";
import type { QuicRecord } from "../../../src/model/quic.ts";
import { corpusPath, NO_CORPUS } from "../../helpers/corpus.ts";
import { NO_TSHARK } from "../../helpers/tshark.ts";

const BTEST = "zeek-traces/testing/btest";

/** The quic (and weird) records of one capture through the whole pipeline. */
async function records(file: string, decoders: readonly StreamDecoderDefinition[] = [quicDecoder]) {
  const quic: QuicRecord[] = [];
  const weirds: string[] = [];
  await runCapture(file, {
    decoders,
    onRecord: (r: PipelineRecord) => {
      if (r.type === "quic") quic.push(r);
      if (r.type === "weird") weirds.push(r.name);
    },
  });
  return { quic, weirds };
}

/** Rows of a Zeek ASCII log as field → value (`-` unset becomes undefined, `(empty)` the empty string). */
function zeekLog(file: string): Record<string, string | undefined>[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const fields =
    lines
      .find((l) => l.startsWith("#fields"))
      ?.split("\t")
      .slice(1) ?? [];
  return lines
    .filter((l) => l.length > 0 && !l.startsWith("#"))
    .map((l) => {
      const cols = l.split("\t");
      const row: Record<string, string | undefined> = {};
      fields.forEach((f, i) => {
        row[f] = cols[i] === "-" ? undefined : cols[i] === "(empty)" ? "" : cols[i];
      });
      return row;
    });
}

const ZEEK_CASES = [
  { trace: "firefox-102.13.0esr-blog-cloudflare-com.pcap", baseline: "scripts.base.protocols.quic.firefox" },
  { trace: "quicv2-echo-443.pcap", baseline: "scripts.base.protocols.quic.quicv2-echo-443" },
];

for (const c of ZEEK_CASES) {
  test(`${c.trace}: quic records equal Zeek's quic.log, SNI equals ssl.log`, {
    skip: NO_CORPUS,
  }, async () => {
    const { quic, weirds } = await records(corpusPath(BTEST, "Traces/quic", c.trace));
    const zq = zeekLog(corpusPath(BTEST, "Baseline", c.baseline, "quic.log"));
    const zs = zeekLog(corpusPath(BTEST, "Baseline", c.baseline, "ssl.log"));
    assert.equal(weirds.length, 0, JSON.stringify(weirds));
    assert.equal(quic.length, zq.length);
    for (const z of zq) {
      const r = quic.find((q) => q.orig_h === z["id.orig_h"] && String(q.orig_p) === z["id.orig_p"]);
      assert.ok(r, `a record for ${z["id.orig_h"]}:${z["id.orig_p"]}`);
      assert.equal(String(r.resp_p), z["id.resp_p"]);
      const mine = {
        version: r.version,
        client_initial_dcid: r.client_initial_dcid,
        client_scid: r.client_scid,
        server_scid: r.server_scid,
        server_name: r.server_name,
        client_protocol: r.client_protocol,
        history: r.history,
      };
      const theirs = {
        version: z.version,
        client_initial_dcid: z.client_initial_dcid,
        client_scid: z.client_scid,
        server_scid: z.server_scid,
        server_name: z.server_name,
        client_protocol: z.client_protocol,
        history: z.history,
      };
      assert.deepEqual(mine, theirs);
      assert.equal(r.decrypted_initial, true);
      const ssl = zs.find((s) => s["id.orig_h"] === z["id.orig_h"] && s["id.orig_p"] === z["id.orig_p"]);
      assert.equal(r.server_name, ssl?.server_name);
    }
  });
}

/** tshark's server names from its own decryption of the Initial packets, in frame order. */
function tsharkSni(file: string): string[] {
  const out = execFileSync(
    "tshark",
    ["-r", file, "-T", "fields", "-e", "tls.handshake.extensions_server_name"],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  return out.split("\n").filter((l) => l.trim().length > 0);
}

const TCPDUMP = "tcpdump-tests/tests";
const skipTshark = NO_CORPUS || NO_TSHARK;

test("quic_handshake.pcap: SNI equals tshark's tls.handshake.extensions_server_name", {
  skip: skipTshark,
}, async () => {
  const file = corpusPath(TCPDUMP, "quic_handshake.pcap");
  const { quic, weirds } = await records(file);
  const names = tsharkSni(file);
  assert.ok(names.length > 0, "tshark decrypts this handshake");
  assert.deepEqual(
    quic.map((q) => q.server_name),
    names,
  );
  assert.equal(weirds.length, 0, JSON.stringify(weirds));
  assert.equal(quic[0].client_protocol, "h3");
});

test("quic_retry.pcap: the Retry splits the handshake in two; every SNI is one tshark saw", {
  skip: skipTshark,
}, async () => {
  const file = corpusPath(TCPDUMP, "quic_retry.pcap");
  const { quic } = await records(file);
  const names = new Set(tsharkSni(file));
  assert.equal(quic.length, 2);
  assert.match(quic[0].history, /^IS.*r$/);
  assert.notEqual(quic[0].client_initial_dcid, quic[1].client_initial_dcid);
  for (const q of quic) assert.ok(q.server_name !== undefined && names.has(q.server_name), q.server_name);
});

test("quic_handshake_truncated.pcap (256-byte snaplen): no crash, no invented SNI", {
  skip: skipTshark,
}, async () => {
  const file = corpusPath(TCPDUMP, "quic_handshake_truncated.pcap");
  const { quic, weirds } = await records(file);
  assert.deepEqual(tsharkSni(file), []);
  assert.ok(quic.length >= 1);
  for (const q of quic) assert.equal(q.server_name, undefined);
  assert.ok(weirds.includes("quic_truncated_packet"), "the cut client Initial is reported");
  // tshark decrypts the server's Initial (frame 2: CRYPTO and ACK frames) with the cut packet's DCID; so do we.
  assert.equal(quic[0].client_initial_dcid, "f71ae16671baa8b7");
  assert.equal(quic[0].decrypted_initial, true);
});

const registered = STREAM_DECODERS.some((d) => d.name === "quic");

test("through the default registry the firefox trace yields blog.cloudflare.com", {
  skip: NO_CORPUS || (registered ? false : "quic is not in src/decode/registry.ts yet"),
}, async () => {
  const { quic } = await records(corpusPath(BTEST, "Traces/quic", ZEEK_CASES[0].trace), STREAM_DECODERS);
  assert.deepEqual(
    quic.map((q) => q.server_name),
    ["blog.cloudflare.com"],
  );
});
