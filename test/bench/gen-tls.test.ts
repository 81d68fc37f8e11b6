// The TLS benchmark capture is real TLS: tshark, reading only the file (its key log comes from the embedded
// Decryption Secrets Block), decrypts every connection of every suite, shows the planted requests with the
// host and URI the truth file names, and finds each planted value in the decrypted bytes of its connection.
// The file is deterministic, reaches its size, and phonehome's analyze finds every planted value in it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { inflateRawSync } from "node:zlib";
import { generateTls } from "../../bench/gen-tls.ts";
import { BENCH_SUITES } from "../../bench/gen-tls-records.ts";
import { analyzeRecall } from "../../bench/run.ts";
import { tlsDecryption } from "../../bench/tls-stage.ts";
import { DSB_TLS_KEY_LOG } from "../../src/decrypt/key-log.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";

interface TruthPlant {
  kind: string;
  value: string;
  planted: string;
  transform: string;
  host: string;
  frames: number[];
  split: boolean;
  conn: { orig_h: string; orig_p: number; resp_h: string; resp_p: number };
}

interface Truth {
  version: number;
  frames: number;
  bytes: number;
  plants: TruthPlant[];
  keylog_sessions: number;
  versions: { "1.3": number; "1.2": number };
  requests: { h1: number; h2: number };
  responses: { h1: number; h2: number };
}

const SIZE = 3 << 20;
const SEED = 2;
const dir = mkdtempSync(join(tmpdir(), "phonehome-gen-tls-"));
const file = join(dir, "t.pcapng");
let truth: Truth;
after(() => rmSync(dir, { recursive: true, force: true }));
before(async () => {
  await generateTls(file, SIZE, SEED);
  truth = JSON.parse(readFileSync(`${file}.truth.json`, "utf8")) as Truth;
});

/** tshark's fields for the frames matching `filter`, one array per frame. */
function fields(filter: string, names: string[], extra: string[] = []): string[][] {
  const args = ["-r", file, ...extra, "-Y", filter, "-T", "fields", ...names.flatMap((f) => ["-e", f])];
  const r = spawnSync("tshark", args, { encoding: "utf8", maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.trimEnd();
  return out ? out.split("\n").map((l) => l.split("\t")) : [];
}

/** tcp.stream of each connection, by client port and server address (from the SYNs). */
function streamsByConn(): Map<string, string> {
  const rows = fields("tcp.flags.syn == 1 && tcp.flags.ack == 0", [
    "tcp.stream",
    "tcp.srcport",
    "ip.dst",
    "ipv6.dst",
  ]);
  return new Map(rows.map(([s, port, v4, v6]) => [`${port}|${v4 || v6}`, s]));
}

/** The decrypted bytes the client sent on each of `streams`, from tshark's "follow tls" (one pass). */
function clientPlaintext(streams: string[]): Map<string, Buffer> {
  const args = ["-r", file, "-q", ...streams.flatMap((s) => ["-z", `follow,tls,raw,${s}`])];
  const r = spawnSync("tshark", args, { encoding: "utf8", maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, Buffer>();
  for (const section of r.stdout.split(/^=+$/m)) {
    const m = /Filter: tcp\.stream eq (\d+)/.exec(section);
    if (!m) continue;
    // Node 0's lines start in column 0, node 1's are indented by a tab; node 0 is whichever side tshark
    // saw application data from first, so tell the client by its port (the server's is 443).
    const node0IsServer = /^Node 0: .*:443$/m.test(section);
    const mine = node0IsServer ? /^\t([0-9a-f]+)$/ : /^([0-9a-f]+)$/;
    const hex = section.split("\n").flatMap((l) => mine.exec(l)?.[1] ?? []);
    out.set(m[1], Buffer.from(hex.join(""), "hex"));
  }
  return out;
}

test("the file reaches its size and the truth file's totals match it", () => {
  const size = statSync(file).size;
  assert.ok(size >= SIZE && size < SIZE + 2000, String(size));
  assert.equal(truth.bytes, size);
  assert.ok(truth.plants.length > 0, "something was planted");
  assert.ok(truth.plants.some((p) => p.split) && truth.plants.some((p) => !p.split));
  const count = spawnSync("capinfos", ["-c", "-M", file], { encoding: "utf8" }).stdout;
  assert.match(count, new RegExp(`Number of packets:\\s+${truth.frames}\\b`));
});

test("the same seed writes the same bytes", async () => {
  const again = join(dir, "again.pcapng");
  await generateTls(again, SIZE, SEED);
  const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
  assert.equal(sha(again), sha(file));
});

test("the key log comes first: SHB, IDB, then TLSK secrets with a line per logged secret", () => {
  const b = readFileSync(file).subarray(0, 1 << 20);
  const blockAt = (off: number) => ({ type: b.readUInt32LE(off), len: b.readUInt32LE(off + 4) });
  const shb = blockAt(0);
  assert.equal(shb.type, 0x0a0d0d0a);
  const idb = blockAt(shb.len);
  assert.equal(idb.type, 1);
  const dsbAt = shb.len + idb.len;
  assert.equal(blockAt(dsbAt).type, 0x0a, "a Decryption Secrets Block before any packet");
  assert.equal(b.readUInt32LE(dsbAt + 8), DSB_TLS_KEY_LOG);
  const text = b.subarray(dsbAt + 16, dsbAt + 16 + b.readUInt32LE(dsbAt + 12)).toString("latin1");
  const lines = text.trimEnd().split("\n");
  // OpenSSL-style logs: five secrets per TLS 1.3 connection, one CLIENT_RANDOM per TLS 1.2 connection.
  assert.equal(lines.length, truth.versions["1.3"] * 5 + truth.versions["1.2"]);
  assert.equal(truth.keylog_sessions, truth.versions["1.3"] + truth.versions["1.2"]);
  const randoms = new Set(lines.map((l) => l.split(" ")[1]));
  assert.equal(randoms.size, truth.keylog_sessions);
});

test("every ClientHello's random is in the key log", { skip: NO_TSHARK }, () => {
  const b = readFileSync(file);
  const hellos = fields("tls.handshake.type == 1", ["tls.handshake.random"]).map((r) => r[0]);
  assert.ok(hellos.length > 10);
  for (const random of hellos) assert.ok(b.includes(Buffer.from(random, "latin1")), random);
});

test("tshark decrypts every request the generator finished, under every suite", { skip: NO_TSHARK }, () => {
  const suites = new Map(
    fields("tls.handshake.type == 2", ["tcp.stream", "tls.handshake.ciphersuite"]).map(([s, c]) => [
      s,
      Number(c),
    ]),
  );
  const reqs = fields("http.request || http2.headers.method", [
    "tcp.stream",
    "http.request.method",
    "http2.headers.method",
  ]);
  const n = (col: number) => reqs.reduce((a, r) => a + (r[col] ? r[col].split(",").length : 0), 0);
  assert.equal(n(1), truth.requests.h1, "HTTP/1.1 requests");
  assert.equal(n(2), truth.requests.h2, "HTTP/2 requests");
  const decryptedUnder = new Set(reqs.map((r) => suites.get(r[0])));
  for (const s of BENCH_SUITES) assert.ok(decryptedUnder.has(s.id), `a request decrypted under ${s.name}`);
  const responses = fields("http.response || http2.headers.status", [
    "http.response.code",
    "http2.headers.status",
  ]);
  const started = responses.reduce((a, r) => a + r.filter(Boolean).join(",").split(",").length, 0);
  assert.ok(started >= truth.responses.h1 + truth.responses.h2, "every finished response is seen");
});

test("tshark shows each planted request with the truth's host, and its value in the decrypted bytes", {
  skip: NO_TSHARK,
}, () => {
  const streams = streamsByConn();
  const rows = fields("http.request || http2.headers.method", [
    "tcp.stream",
    "http.host",
    "http.request.uri",
    "http2.headers.authority",
    "http2.headers.path",
  ]);
  const planted = [...new Set(truth.plants.map((p) => streams.get(`${p.conn.orig_p}|${p.conn.resp_h}`)!))];
  const plain = clientPlaintext(planted);
  const seen = { h1: 0, h2: 0 };
  for (const p of truth.plants) {
    const s = streams.get(`${p.conn.orig_p}|${p.conn.resp_h}`);
    assert.ok(s !== undefined, `connection of ${p.kind} ${p.conn.orig_p}`);
    const reqs = rows.filter((r) => r[0] === s);
    assert.ok(reqs.length > 0, `decrypted requests on stream ${s}`);
    const hosts = reqs.flatMap((r) => [r[1], ...(r[3] ?? "").split(",")]).filter(Boolean);
    assert.ok(
      hosts.every((h) => h === p.host),
      `${hosts} is ${p.host}`,
    );
    if (p.transform === "query") {
      const uris = reqs.flatMap((r) => [r[2], ...(r[4] ?? "").split(",")]);
      assert.ok(
        uris.some((u) => u.includes(p.planted)),
        `${p.planted} in ${uris}`,
      );
    }
    const bytes = plain.get(s!)!;
    const h2 = bytes.subarray(0, 3).toString() === "PRI";
    seen[h2 ? "h2" : "h1"]++;
    if (p.transform.startsWith("gzip")) {
      // The body is the gzip member (10-byte header, then deflate), followed by whatever came next.
      const at = bytes.indexOf(Buffer.from([0x1f, 0x8b, 8]));
      assert.ok(
        inflateRawSync(bytes.subarray(at + 10))
          .toString()
          .includes(p.planted),
        p.transform,
      );
    } else
      assert.ok(bytes.includes(Buffer.from(p.planted, "latin1")), `${p.kind} ${p.planted} on stream ${s}`);
  }
  assert.ok(seen.h1 > 0 && seen.h2 > 0, `plants inside HTTP/1.1 (${seen.h1}) and HTTP/2 (${seen.h2})`);
});

test("each plant's frames are client data segments of its connection", { skip: NO_TSHARK }, () => {
  const rows = fields("tcp.len > 0 && tcp.dstport == 443", [
    "frame.number",
    "tcp.srcport",
    "ip.dst",
    "ipv6.dst",
  ]);
  const byFrame = new Map(rows.map(([n, port, v4, v6]) => [Number(n), `${port}|${v4 || v6}`]));
  for (const p of truth.plants) {
    assert.equal(p.split, p.frames.length > 1);
    for (const f of p.frames) assert.equal(byFrame.get(f), `${p.conn.orig_p}|${p.conn.resp_h}`, `frame ${f}`);
  }
});

test("phonehome analyze decrypts every connection and finds every planted value", () => {
  const out = join(dir, "analyze.jsonl");
  const cli = join(REPO_ROOT, "bin", "phonehome.js");
  const args = [cli, "analyze", file, "--profile", `${file}.profile.yaml`, "--format", "jsonl", "--reveal"];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  writeFileSync(out, r.stdout);
  const set = {
    file,
    truthFile: `${file}.truth.json`,
    profileFile: `${file}.profile.yaml`,
    bytes: 0,
    cached: true,
  };
  assert.match(analyzeRecall(out, set), /^recall 100\.0% /);
  const n = tlsDecryption(out);
  assert.ok(n.decrypted > 0 && n.failed === 0, JSON.stringify(n));
  // Only connections cut by the end of the file (at most one per concurrent flow) may stay closed.
  assert.ok(n.tls - n.decrypted <= 64, JSON.stringify(n));
});
