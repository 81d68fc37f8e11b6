// The benchmark generator: sizes parse, output is deterministic, and the truth file is true — tshark finds
// every planted value in the frames it names, on the connection it names, with Good checksums throughout.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { generate, parseSize } from "../../bench/gen-capture.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";

interface TruthPlant {
  kind: string;
  value: string;
  planted: string;
  transform: string;
  frames: number[];
  split: boolean;
  conn: { orig_h: string; orig_p: number; resp_h: string; resp_p: number };
}

interface Truth {
  version: number;
  frames: number;
  bytes: number;
  plants: TruthPlant[];
  profile: Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), "phonehome-gen-"));
const file = join(dir, "g.pcap");
let truth: Truth;
after(() => rmSync(dir, { recursive: true, force: true }));
before(async () => {
  await generate(file, 6 << 20, 5);
  truth = JSON.parse(readFileSync(`${file}.truth.json`, "utf8")) as Truth;
});

test("parseSize reads binary units", () => {
  assert.equal(parseSize("100M"), 100 * 2 ** 20);
  assert.equal(parseSize("1G"), 2 ** 30);
  assert.equal(parseSize("10g"), 10 * 2 ** 30);
  assert.equal(parseSize("512K"), 512 * 1024);
  assert.equal(parseSize("1234"), 1234);
  assert.throws(() => parseSize("lots"));
});

test("the capture reaches its size and the truth file's totals match it", () => {
  const size = statSync(file).size;
  assert.ok(size >= 6 << 20 && size < (6 << 20) + 2000, String(size));
  assert.equal(truth.bytes, size);
  assert.ok(truth.plants.length > 0, "something was planted");
  assert.ok(
    truth.plants.some((p) => p.split),
    "some values straddle two segments",
  );
  assert.ok(readFileSync(`${file}.profile.yaml`, "utf8").includes(`imei: "${truth.profile.imei}"`));
});

test("the same seed writes the same bytes", async () => {
  const again = join(dir, "again.pcap");
  await generate(again, 6 << 20, 5);
  const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
  assert.equal(sha(again), sha(file));
});

interface Row {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  payload: Buffer;
}

function frames(): Map<number, Row> {
  const fields = [
    "frame.number",
    "ip.src",
    "ipv6.src",
    "tcp.srcport",
    "ip.dst",
    "ipv6.dst",
    "tcp.dstport",
    "tcp.payload",
  ];
  const args = [
    "-r",
    file,
    "-Y",
    "tcp.len > 0 && tcp.dstport == 80",
    "-T",
    "fields",
    ...fields.flatMap((f) => ["-e", f]),
  ];
  const r = spawnSync("tshark", args, { encoding: "utf8", maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<number, Row>();
  for (const line of r.stdout.trimEnd().split("\n")) {
    const c = line.split("\t");
    out.set(Number(c[0]), {
      src: c[1] || c[2],
      sport: Number(c[3]),
      dst: c[4] || c[5],
      dport: Number(c[6]),
      payload: Buffer.from(c[7], "hex"),
    });
  }
  return out;
}

test("tshark finds each planted value in the frames and connection the truth names", {
  skip: NO_TSHARK,
}, () => {
  const rows = frames();
  for (const p of truth.plants) {
    const parts = p.frames.map((n) => rows.get(n));
    assert.ok(
      parts.every((r) => r !== undefined),
      `frames ${p.frames} carry client data to port 80`,
    );
    for (const r of parts) {
      assert.deepEqual(
        [r!.src, r!.sport, r!.dst, r!.dport],
        [p.conn.orig_h, p.conn.orig_p, p.conn.resp_h, p.conn.resp_p],
      );
    }
    const joined = Buffer.concat(parts.map((r) => r!.payload));
    if (p.transform.startsWith("gzip")) {
      // The frames hold the whole gzip body (and maybe the headers before it): undo it, then look.
      const at = joined.indexOf(Buffer.from([0x1f, 0x8b]));
      assert.ok(gunzipSync(joined.subarray(at)).toString().includes(p.planted), p.transform);
    } else {
      assert.ok(joined.includes(p.planted), `${p.kind} ${p.planted} in frames ${p.frames}`);
      if (p.split)
        assert.ok(
          parts.every((r) => !r!.payload.includes(p.planted)),
          "split across frames",
        );
    }
  }
});

test("every IP, TCP and UDP checksum is Good and no frame is malformed", { skip: NO_TSHARK }, () => {
  const checks = ["tcp", "udp", "ip"].flatMap((p) => ["-o", `${p}.check_checksum:TRUE`]);
  const bad =
    "ip.checksum.status != 1 || tcp.checksum.status != 1 || udp.checksum.status != 1 || _ws.malformed";
  const r = spawnSync("tshark", ["-r", file, ...checks, "-Y", bad, "-T", "fields", "-e", "frame.number"], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "");
  const count = spawnSync("capinfos", ["-c", "-M", file], { encoding: "utf8" }).stdout;
  assert.match(count, new RegExp(`Number of packets:\\s+${truth.frames}\\b`));
});
