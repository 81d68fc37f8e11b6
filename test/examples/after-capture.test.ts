// The re-test after the update: real TLS 1.2 and 1.3 to the same Xiaomi address, SNI set, and the key log
// inside the pcapng as a Decryption Secrets Block. tshark decrypts it with nothing but the file and finds
// every planted value in the requests; with the secrets stripped it finds no HTTP at all. The generator
// makes a file like it again on demand (new keys and ciphertext, the same requests).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { afterPcapng, buildAfter } from "../../examples/after-capture.ts";
import { EXAMPLE_FILES } from "../../examples/make-example.ts";
import { DSB_TLS_KEY_LOG, KeyStore } from "../../src/decrypt/key-log.ts";
import { parse } from "../capture/parse-helpers.ts";
import { examplePath, plantedValues } from "../helpers/example-oracle.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";
import { tsharkFileFields } from "../helpers/tshark-file.ts";

const FILE = examplePath(EXAMPLE_FILES.after);
const API_HOST = "api.account.xiaomi.com";
const dir = mkdtempSync(join(tmpdir(), "phonehome-after-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const NO_OPENSSL =
  spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0 ? false : "openssl is not installed";

/** The decrypted requests: destination, host, URI, form values, JSON strings. */
function decryptedRequests(file: string): string[][] {
  return tsharkFileFields(
    file,
    ["ip.dst", "tcp.dstport", "http.host", "http.request.uri", "urlencoded-form.value", "json.value.string"],
    { filter: "http.request" },
  );
}

/** Asserts that the decrypted requests carry every profile value, over TLS to port 443 of one address. */
function assertPlanted(rows: string[][]): void {
  const v = plantedValues();
  assert.equal(rows.length, 3, "three requests decrypted");
  const dst = rows[0][0];
  for (const r of rows) assert.deepEqual(r.slice(0, 3), [dst, "443", API_HOST]);
  const text = rows.map((r) => r.slice(3).join("\n")).join("\n");
  assert.ok(rows[0][3].includes(`imei=${v.imei}`), rows[0][3]);
  for (const x of [v.carrier, v.phoneNational, v.imsi, v.phone, ...v.contactPhones, ...v.smsNumbers]) {
    assert.ok(text.includes(x), x);
  }
}

test("our reader finds one TLSK secrets block whose key log covers both ClientHellos", {
  skip: NO_TSHARK,
}, () => {
  const seen = parse("pcapng", new Uint8Array(readFileSync(FILE)));
  assert.deepEqual(seen.problems, []);
  assert.equal(seen.secrets.length, 1);
  assert.equal(seen.secrets[0].secretsType, DSB_TLS_KEY_LOG);
  const keys = new KeyStore();
  const load = keys.addKeyLog(new TextDecoder().decode(seen.secrets[0].data));
  assert.equal(load.bad, 0);
  const randoms = tsharkFileFields(FILE, ["tls.handshake.random"], { filter: "tls.handshake.type == 1" });
  assert.equal(randoms.length, 2);
  for (const [r] of randoms) assert.ok(keys.has(r.replace(/:/g, "")), r);
});

test("TLS 1.2 and TLS 1.3, both with SNI api.account.xiaomi.com, to the address DNS gave", {
  skip: NO_TSHARK,
}, () => {
  const answer = tsharkFileFields(FILE, ["dns.qry.name", "dns.a"], { filter: "dns.flags.response == 1" });
  assert.deepEqual(answer.length, 1);
  assert.equal(answer[0][0], API_HOST);
  const hellos = tsharkFileFields(FILE, ["ip.dst", "tls.handshake.extensions_server_name"], {
    filter: "tls.handshake.type == 1",
  });
  assert.deepEqual(hellos, [
    [answer[0][1], API_HOST],
    [answer[0][1], API_HOST],
  ]);
  const servers = tsharkFileFields(
    FILE,
    ["tls.handshake.version", "tls.handshake.extensions.supported_version"],
    {
      filter: "tls.handshake.type == 2",
    },
  );
  // A TLS 1.3 ServerHello names 0x0304 in supported_versions (RFC 8446 §4.2.1); a TLS 1.2 one has none.
  assert.deepEqual(servers, [
    ["0x0303", ""],
    ["0x0303", "0x0304"],
  ]);
});

test("tshark decrypts the requests with the embedded key log alone and finds every planted value", {
  skip: NO_TSHARK,
}, () => {
  assertPlanted(decryptedRequests(FILE));
  const comments = tsharkFileFields(FILE, ["frame.comment"], { filter: "frame.comment" });
  assert.equal(comments.length, 2, "one comment on each TLS connection's SYN");
});

test("with the secrets stripped, tshark sees no HTTP: the values are readable only thanks to the DSB", {
  skip: NO_TSHARK,
}, () => {
  const stripped = join(dir, "stripped.pcapng");
  const r = spawnSync("editcap", ["--discard-all-secrets", FILE, stripped], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(tsharkFileFields(stripped, ["frame.number"], { filter: "http" }), []);
  const raw = readFileSync(stripped).toString("latin1");
  for (const x of [plantedValues().imei, plantedValues().imsi]) assert.ok(!raw.includes(x), x);
});

test("the generator makes such a file again: new keys, the same decrypted requests", {
  skip: NO_TSHARK || NO_OPENSSL,
  timeout: 60_000,
}, async () => {
  const made = await buildAfter();
  assert.deepEqual(
    made.sessions.map((s) => s.version),
    ["TLSv1.2", "TLSv1.3"],
  );
  const file = join(dir, "again.pcapng");
  writeFileSync(file, afterPcapng(made));
  const again = decryptedRequests(file);
  assertPlanted(again);
  assert.deepEqual(again, decryptedRequests(FILE));
});
