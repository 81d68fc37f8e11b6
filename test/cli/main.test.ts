// The command line end to end: a real process, real files, exit codes and output.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { corpusPath, NO_CORPUS, REPO_ROOT } from "../helpers/corpus.ts";

const BIN = join(REPO_ROOT, "bin", "phonehome.js");

function phonehome(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("a file that is not a capture: one line naming file and offset, exit 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-cli-"));
  const file = join(dir, "notes.txt");
  writeFileSync(file, "these are not packets\n");
  const r = phonehome("info", file);
  assert.equal(r.code, 2);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0].includes(file) && /offset 0/.test(lines[0]), lines[0]);
});

test("a missing file: exit 2 with the file named", () => {
  const r = phonehome("logs", "/nonexistent/capture.pcap");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\/nonexistent\/capture\.pcap/);
});

test("an unknown option is a usage error, exit 2", () => {
  assert.equal(phonehome("info", "--no-such-flag", "x").code, 2);
});

test("info --json reports what capinfos reports for dns_tcp.pcap", { skip: NO_CORPUS }, () => {
  // capinfos: 11 packets, Ethernet, first 2020-06-10 09:21:03.720289 UTC; tshark -z conv,tcp: 1 conversation.
  const r = phonehome("info", "--json", corpusPath("tcpdump-tests/tests/dns_tcp.pcap"));
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.format, "pcap");
  assert.equal(info.packets, 11);
  assert.equal(info.interfaces[0].link_type, 1);
  assert.equal(info.conns, 1);
  assert.equal(info.first_ts, "2020-06-10T09:21:03.720289000Z");
});

test("logs --out writes one JSONL file per record type; --log prints one type", { skip: NO_CORPUS }, () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-logs-"));
  const file = corpusPath("tcpdump-tests/tests/dns_tcp.pcap");
  assert.equal(phonehome("logs", file, "--out", dir).code, 0);
  const conns = readFileSync(join(dir, "conn.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(conns.length, 1);
  assert.equal(conns[0].community_id, "1:Y9CU9ov/Nil5pVQ5T76exw3p0Oc="); // tshark --enable-protocol communityid
  assert.equal(readFileSync(join(dir, "weird.jsonl"), "utf8"), "");
  const only = phonehome("logs", file, "--log", "conn");
  assert.equal(only.code, 0);
  assert.deepEqual(JSON.parse(only.stdout.trim()), conns[0]);
  assert.equal(phonehome("logs", file, "--log", "nonsense").code, 2);
});

test("logs on a HAR file: one http record per entry, transport har; a broken HAR exits 2", {
  skip: NO_CORPUS,
}, () => {
  const har = corpusPath("mitmproxy-testdata/test/mitmproxy/data/har_files/firefox.har");
  const entries = JSON.parse(readFileSync(har, "utf8").replace(/^\uFEFF/, "")).log.entries;
  const r = phonehome("logs", har, "--log", "http");
  assert.equal(r.code, 0, r.stderr);
  const recs = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(recs.length, entries.length);
  assert.deepEqual(
    recs.map((x) => [x.method, x.url, x.transport]),
    entries.map((e: { request: { method: string; url: string } }) => [
      e.request.method,
      e.request.url,
      "har",
    ]),
  );
  const broken = phonehome(
    "logs",
    corpusPath("mitmproxy-testdata/test/mitmproxy/data/corrupted_har/brokenfile.har"),
  );
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /brokenfile\.har: offset \d+: /);
});
