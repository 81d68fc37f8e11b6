import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { CaptureError } from "../../src/capture/capture-events.ts";
import { readCapture } from "../../src/capture/read-capture.ts";
import { concat, type WriteFrame, writePcap, writePcapng } from "../helpers/capture-writer.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";
import { recorder } from "./parse-helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "phonehome-read-capture-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const frames: WriteFrame[] = Array.from({ length: 50 }, (_, i) => ({
  data: Uint8Array.from({ length: 40 + i * 13 }, (_, j) => (i + j) & 0xff),
  tsSec: 1700000000 + i,
  tsNsec: i * 1000,
}));
const PCAP = writePcap(frames);
const PCAPNG = writePcapng([
  { interfaces: [{ linkType: 1 }], blocks: frames.map((frame) => ({ kind: "epb" as const, frame })) },
]);

function put(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function read(file: string, chunkSize?: number) {
  const { seen, handler } = recorder();
  const res = await readCapture(file, handler, { chunkSize });
  return { res, seen };
}

async function rejects(file: string, pattern: RegExp): Promise<CaptureError> {
  try {
    await read(file);
  } catch (e) {
    assert.ok(e instanceof CaptureError, String(e));
    assert.match(e.message, pattern);
    assert.equal(e.file, file);
    return e;
  }
  assert.fail(`no error for ${file}`);
}

test("a pcap and a pcapng file, any chunk size, report every frame", async () => {
  for (const [name, bytes, format] of [
    ["a.pcap", PCAP, "pcap"],
    ["a.pcapng", PCAPNG, "pcapng"],
  ] as const) {
    const p = put(name, bytes);
    for (const chunk of [undefined, 7, 64, 1000]) {
      const { res, seen } = await read(p, chunk);
      assert.deepEqual(res, { format, compressed: false, bytes: bytes.length });
      assert.deepEqual(
        seen.packets.map((x) => [x.frame, x.tsSec, x.tsNsec, x.bytes.length]),
        frames.map((f, i) => [i + 1, f.tsSec, f.tsNsec, f.data.length]),
      );
      assert.deepEqual(seen.problems, []);
    }
  }
});

test("gzip is detected by magic and decompressed transparently (name says nothing)", async () => {
  const p = put("plain-name.pcap", gzipSync(PCAPNG));
  const { res, seen } = await read(p, 100);
  assert.deepEqual(res, { format: "pcapng", compressed: true, bytes: PCAPNG.length });
  assert.equal(seen.packets.length, frames.length);
  // Two gzip members back to back are one stream (RFC 1952 §2.2).
  const half = PCAP.length >> 1;
  const two = put("two.gz", concat([gzipSync(PCAP.subarray(0, half)), gzipSync(PCAP.subarray(half))]));
  assert.equal((await read(two)).seen.packets.length, frames.length);
});

test("a truncated gzip file: frames before the cut, then problems, no throw", async () => {
  const gz = gzipSync(PCAP);
  const p = put("cut.pcap.gz", gz.subarray(0, Math.floor(gz.length * 0.6)));
  const { res, seen } = await read(p);
  assert.equal(res.compressed, true);
  assert.ok(seen.packets.length > 0 && seen.packets.length < frames.length);
  assert.equal(seen.problems[0].name, "gzip_truncated");
  assert.ok(seen.problems.every((x) => x.name === "gzip_truncated" || x.name === "capture_truncated"));
});

test("a file cut mid-record reports capture_truncated and resolves", async () => {
  const p = put("cut.pcap", PCAP.subarray(0, PCAP.length - 10));
  const { seen } = await read(p, 50);
  assert.equal(seen.packets.length, frames.length - 1);
  assert.deepEqual(
    seen.problems.map((x) => x.name),
    ["capture_truncated"],
  );
});

test("HAR is recognised and not parsed", async () => {
  const p = put("x.bin", '\ufeff  {"log": {"version": "1.2", "entries": []}}');
  const { res, seen } = await read(p);
  assert.equal(res.format, "har");
  assert.equal(res.compressed, false);
  assert.deepEqual(seen.packets, []);
  assert.equal((await read(put("x.har.gz", gzipSync('{"log":{}}')))).res.compressed, true);
});

test("unreadable inputs reject with a CaptureError naming file and offset", async () => {
  const missing = await rejects(join(dir, "nope.pcap"), /ENOENT|no such file/);
  assert.equal(missing.offset, 0);
  await rejects(put("empty.pcap", ""), /^empty file$/);
  await rejects(put("text.pcap", "hello, world"), /not a capture file: magic 0x68656c6c6f2c2077/);
  await rejects(put("gz-text.gz", gzipSync("hello")), /gzip-compressed data is not a capture file/);
  await rejects(put("gz-empty.gz", gzipSync(new Uint8Array(0))), /empty file/);
  await rejects(
    put("gz-bad.gz", Uint8Array.of(0x1f, 0x8b, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3)),
    /gzip/,
  );
  await rejects(dir, /EISDIR|directory/);
  await rejects(put("short.pcap", PCAP.subarray(0, 10)), /cut short/);
});

test('"-" reads stdin', () => {
  const script = [
    `import { readCapture } from ${JSON.stringify(join(REPO_ROOT, "src/capture/read-capture.ts"))};`,
    "let n = 0;",
    "const r = await readCapture('-', { packet() { n++; } });",
    "console.log(JSON.stringify({ ...r, n }));",
  ].join("\n");
  const out = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    input: gzipSync(PCAP),
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), {
    format: "pcap",
    compressed: true,
    bytes: PCAP.length,
    n: frames.length,
  });
});

test("an exception thrown by the handler propagates unchanged", async () => {
  const p = put("ok.pcap", PCAP);
  const boom = new Error("handler failed");
  await assert.rejects(
    readCapture(p, {
      packet() {
        throw boom;
      },
    }),
    (e) => e === boom,
  );
});
