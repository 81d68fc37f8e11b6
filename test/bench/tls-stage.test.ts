// The TLS rows of the benchmark: the twin capture is found by the run capture's size label and seed, and
// the note counts decrypted `tls` records, never blaming a connection the file cut before its handshake.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { CaptureSet } from "../../bench/gen-capture.ts";
import { labelOf, tlsDecryption, tlsStages } from "../../bench/tls-stage.ts";

const dir = mkdtempSync(join(tmpdir(), "phonehome-tls-stage-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const set = (file: string, bytes = 0): CaptureSet => ({
  file,
  truthFile: `${file}.truth.json`,
  profileFile: `${file}.profile.yaml`,
  bytes,
  cached: true,
});

test("the twin's size label and seed come from the run capture's file name", () => {
  assert.deepEqual(labelOf(set("/x/bench/.cache/phone-100M.pcap")), { label: "100M", seed: 1 });
  assert.deepEqual(labelOf(set("/x/phone-1G-s7.pcap")), { label: "1G", seed: 7 });
  assert.deepEqual(labelOf(set("/x/phone-2.5G.pcap")), { label: "2.5G", seed: 1 });
  assert.deepEqual(labelOf(set("/dev/null", 1234)), { label: "1234", seed: 1 });
});

test("tls records: decrypted, and established but not decrypted, counted apart", () => {
  const out = join(dir, "out.jsonl");
  writeFileSync(
    out,
    [
      '{"type":"conn","uid":"C1"}',
      '{"type":"tls","uid":"C1","established":true,"decrypted":true}',
      '{"type":"tls","uid":"C2","established":false,"decrypted":false,"decrypt_note":"missing handshake"}',
      '{"type":"tls","uid":"C3","established":true,"decrypted":false,"decrypt_note":"no key"}',
      '{"type":"tls","uid":"C4","established":false,"decrypted":true}',
      "",
    ].join("\n"),
  );
  assert.deepEqual(tlsDecryption(out), { tls: 4, decrypted: 2, failed: 1 });
});

test("two rows: phonehome analyze of the twin, and tshark's HTTP statistics of the same file", () => {
  const rows = tlsStages({ node: "node", cli: "cli.js", recall: () => "" });
  assert.deepEqual(
    rows.map((r) => r.name),
    ["phonehome analyze (TLS with keys)", "tshark -q -z http,tree (TLS with keys)"],
  );
  assert.ok(rows[0].check, "analyze's row reports recall");
  assert.ok(!rows.some((r) => r.reference), "the run's reference stays the phone capture's tshark");
});
