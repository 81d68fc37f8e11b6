import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { LEAN_ENV, LEAN_FLAGS, LEAN_MIN_BYTES, leanFlags } from "../../bin/launch.js";

const BIN = fileURLToPath(new URL("../../bin/phonehome.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "phonehome-launch-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A sparse file of `size` bytes (no data written). */
function sparse(name: string, size: number): string {
  const f = join(dir, name);
  closeSync(openSync(f, "w"));
  truncateSync(f, size);
  return f;
}

/** A valid pcap of just over `size` bytes: UDP/IPv4 frames of 60,000 bytes. */
function bigPcap(name: string, size: number): string {
  const f = join(dir, name);
  const fd = openSync(f, "w");
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20); // Ethernet
  writeSync(fd, head);
  const len = 60_000;
  const rec = Buffer.alloc(16 + len);
  rec.writeUInt32LE(len, 8);
  rec.writeUInt32LE(len, 12);
  const frame = rec.subarray(16);
  frame.writeUInt16BE(0x0800, 12);
  const ip = frame.subarray(14);
  ip[0] = 0x45;
  ip.writeUInt16BE(len - 14, 2);
  ip[8] = 64;
  ip[9] = 17;
  ip.set([10, 0, 0, 1], 12);
  ip.set([10, 0, 0, 2], 16);
  ip.writeUInt16BE(40000, 20);
  ip.writeUInt16BE(9999, 22);
  ip.writeUInt16BE(len - 34, 24);
  for (let n = 24, i = 0; n < size; n += rec.length, i++) {
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    writeSync(fd, rec);
  }
  closeSync(fd);
  return f;
}

test("small inputs and other commands run in place", () => {
  const small = sparse("small.pcap", 1000);
  assert.deepEqual(leanFlags(["analyze", small], {}), []);
  assert.deepEqual(leanFlags(["profile", "init"], {}), []);
  assert.deepEqual(leanFlags(["demo"], {}), []);
  assert.deepEqual(leanFlags(["analyze", join(dir, "missing.pcap")], {}), []);
});

test("large inputs, summed over the file arguments, and standard input are relaunched lean", () => {
  const half = sparse("half.pcap", LEAN_MIN_BYTES / 2);
  const big = sparse("big.pcap", LEAN_MIN_BYTES);
  assert.deepEqual(leanFlags(["analyze", "--format", "json", big], {}), LEAN_FLAGS);
  assert.deepEqual(leanFlags(["logs", half], {}), []);
  assert.deepEqual(leanFlags(["diff", half, half], {}), LEAN_FLAGS);
  assert.deepEqual(leanFlags(["info", "-"], {}), LEAN_FLAGS);
  assert.ok(LEAN_FLAGS.some((f) => f.startsWith("--max-semi-space-size=")));
  assert.ok(LEAN_FLAGS.includes("--expose-gc"));
});

test("a lean process, or PHONEHOME_LEAN=0, never relaunches", () => {
  const big = sparse("big2.pcap", LEAN_MIN_BYTES);
  assert.deepEqual(leanFlags(["analyze", big], { [LEAN_ENV]: "1" }), []);
  assert.deepEqual(leanFlags(["analyze", big], { [LEAN_ENV]: "0" }), []);
});

test("a relaunched run gives the same output and exit code as one in place", () => {
  const f = bigPcap("big-valid.pcap", LEAN_MIN_BYTES + 1);
  const run = (lean: string | undefined) => {
    const env = { ...process.env };
    delete env[LEAN_ENV];
    if (lean !== undefined) env[LEAN_ENV] = lean;
    return spawnSync(process.execPath, [BIN, "info", f], { encoding: "utf8", env, timeout: 60_000 });
  };
  const lean = run(undefined);
  const inPlace = run("0");
  assert.equal(lean.status, 0, lean.stderr);
  assert.equal(lean.stdout, inPlace.stdout);
  // The file holds ceil((LEAN_MIN_BYTES + 1 − 24) / 60,016) records.
  const records = Math.ceil((LEAN_MIN_BYTES + 1 - 24) / 60_016);
  assert.match(lean.stdout, new RegExp(`^Packets:\\s+${records}$`, "m"));
});

test("a relaunched run that fails keeps its one-line message and exit code 2", () => {
  const junk = sparse("junk.pcap", LEAN_MIN_BYTES);
  const env = { ...process.env };
  delete env[LEAN_ENV];
  const r = spawnSync(process.execPath, [BIN, "info", junk], { encoding: "utf8", env, timeout: 60_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /junk\.pcap/);
  assert.equal(r.stderr.trim().split("\n").length, 1);
});
