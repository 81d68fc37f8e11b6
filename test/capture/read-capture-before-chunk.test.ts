// readCapture's `beforeChunk` hook (issue 8): awaited before each chunk is parsed, so a consumer on another
// thread can hold the reader back. Oracles: the frames written here, and the chunk size asked for.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { readCapture } from "../../src/capture/read-capture.ts";
import { type WriteFrame, writePcap } from "../helpers/capture-writer.ts";
import { recorder } from "./parse-helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "phonehome-before-chunk-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const frames: WriteFrame[] = Array.from({ length: 200 }, (_, i) => ({
  data: Uint8Array.from({ length: 60 + ((i * 37) % 500) }, (_, j) => (i * 7 + j) & 0xff),
  tsSec: 1700000000 + i,
  tsNsec: 0,
}));
const PCAP = writePcap(frames);
const CHUNK = 1024;

function put(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

test("the reader waits for the hook before each chunk: nothing is parsed while it is pending", async () => {
  const file = put("a.pcap", PCAP);
  const { seen, handler } = recorder();
  let calls = 0;
  let pending = false;
  const parsedWhilePending: number[] = [];
  const wrapped = {
    ...handler,
    packet: (p: Parameters<NonNullable<typeof handler.packet>>[0]) => {
      if (pending) parsedWhilePending.push(p.frame);
      handler.packet(p);
    },
  };
  const res = await readCapture(file, wrapped, {
    chunkSize: CHUNK,
    beforeChunk: () => {
      calls++;
      if (calls % 3 !== 0) return undefined; // most chunks go straight on; every third waits a turn
      pending = true;
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          pending = false;
          resolve();
        }, 1),
      );
    },
  });
  assert.equal(res.bytes, PCAP.length);
  assert.deepEqual(parsedWhilePending, []);
  // The format is sniffed from the first 4096 bytes, handed on as one chunk; the rest comes CHUNK at a time.
  assert.equal(calls, 1 + Math.ceil((PCAP.length - 4096) / CHUNK));
  assert.deepEqual(
    seen.packets.map((p) => p.bytes.length),
    frames.map((f) => f.data.length),
  );
});

test("a hook that rejects ends the read with its error (a failed worker stops the run)", async () => {
  for (const [name, bytes] of [
    ["b.pcap", PCAP],
    ["b.pcap.gz", gzipSync(PCAP)],
  ] as const) {
    const file = put(name, bytes);
    const { seen, handler } = recorder();
    let calls = 0;
    const read = readCapture(file, handler, {
      chunkSize: CHUNK,
      beforeChunk: () => (++calls === 3 ? Promise.reject(new Error("worker gone")) : undefined),
    });
    await assert.rejects(read, /worker gone/, name);
    assert.ok(seen.packets.length < frames.length, `${name}: reading stopped`);
  }
});
