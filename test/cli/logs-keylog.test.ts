// `phonehome logs --keylog FILE` end to end as a real process: a TLS session recorded on loopback comes out
// as decrypted http records; an unreadable key log is one line and exit 2; bad lines are one warning.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { REPO_ROOT } from "../helpers/corpus.ts";
import { scratchFile } from "../helpers/decrypt-run.ts";
import { recordTlsSession, TEST_TLS_HOST, tlsPcap } from "../helpers/tls-capture.ts";

const BIN = join(REPO_ROOT, "bin", "phonehome.js");

function phonehome(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const URI = "/v2/register?imei=490154203237518";

async function capture() {
  const s = await recordTlsSession({
    version: "TLSv1.3",
    alpn: ["http/1.1"],
    clientSends: [`GET ${URI} HTTP/1.1\r\nHost: ${TEST_TLS_HOST}\r\n\r\n`],
    serverSends: ["HTTP/1.1 204 No Content\r\n\r\n"],
  });
  return { pcap: scratchFile("s.pcap", tlsPcap(s.chunks)), keyLog: s.keyLog };
}

test("logs --keylog: the decrypted request is an http record, transport tls-decrypted; the tls record says so", async () => {
  const c = await capture();
  const keys = scratchFile("keys.log", c.keyLog);
  const r = phonehome("logs", c.pcap, "--keylog", keys);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const recs = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const http = recs.filter((x) => x.type === "http");
  assert.deepEqual(
    http.map((h) => [h.method, h.uri, h.status_code, h.transport]),
    [["GET", URI, 204, "tls-decrypted"]],
  );
  const tls = recs.find((x) => x.type === "tls");
  assert.equal(tls.decrypted, true);
  const without = phonehome("logs", c.pcap, "--log", "http");
  assert.equal(without.stdout, "", "without the key log nothing is read");
});

test("logs --keylog with an unreadable file: one line naming it, exit 2", async () => {
  const c = await capture();
  const r = phonehome("logs", c.pcap, "--keylog", "/nonexistent/keys.log");
  assert.equal(r.code, 2);
  assert.deepEqual(r.stderr.trim().split("\n"), [
    "phonehome: /nonexistent/keys.log: cannot read the key log (ENOENT)",
  ]);
});

test("logs --keylog with bad lines: a warning with their count and first line, the good lines used", async () => {
  const c = await capture();
  const keys = scratchFile("keys.log", `garbage line\n${c.keyLog}not a key either\n`);
  const r = phonehome("logs", c.pcap, "--log", "http", "--keylog", keys);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stderr,
    `phonehome: warning: ${keys}: 2 lines of the key log did not parse (first at line 1); 5 secret(s) read\n`,
  );
  assert.equal(JSON.parse(r.stdout.trim()).uri, URI);
});
