// Every capture of the shared corpus goes through the whole spine without a crash or a hang; the files whose
// header is invalid are refused with a CaptureError naming the file and the offset.

import assert from "node:assert/strict";
import { test } from "node:test";
import { runCapture } from "../../src/app/capture-run.ts";
import { CaptureError } from "../../src/capture/capture-events.ts";
import { corpusFiles, corpusPath, NO_CORPUS } from "../helpers/corpus.ts";

/** Files libpcap's and Wireshark's own tests expect to be refused at the header (capinfos refuses them too). */
const INVALID_HEADERS = [
  "libpcap-tests/tests/linktype-reserved-field-not-zero.pcap",
  "libpcap-tests/tests/pcap-invalid-version-1.pcap",
  "libpcap-tests/tests/pcapng-invalid-vers-1.pcapng",
];

const PER_FILE_MS = 5000;

test("every corpus capture runs to the end, each within 5 s", { skip: NO_CORPUS }, async () => {
  const files = corpusFiles(".", /\.(pcap|pcapng|cap|gz)$/);
  assert.ok(files.length > 400, `found ${files.length} captures`);
  const invalid = new Set(INVALID_HEADERS.map((f) => corpusPath(f)));
  let read = 0;
  for (const file of files) {
    if (invalid.has(file)) continue;
    const started = performance.now();
    let records = 0;
    const stats = await runCapture(file, { onRecord: () => records++ });
    const ms = performance.now() - started;
    assert.ok(ms < PER_FILE_MS, `${file} took ${ms.toFixed(0)} ms`);
    assert.ok(stats.packets >= 0 && records >= 0);
    read++;
  }
  assert.equal(read, files.length - INVALID_HEADERS.length);
});

for (const rel of INVALID_HEADERS) {
  test(`invalid header is refused with file and offset: ${rel}`, { skip: NO_CORPUS }, async () => {
    const file = corpusPath(rel);
    await assert.rejects(runCapture(file, { onRecord: () => {} }), (e: unknown) => {
      assert.ok(e instanceof CaptureError, String(e));
      assert.match(e.line(), /^.+: offset \d+: .+/);
      assert.ok(!e.line().includes("\n"));
      assert.equal(e.file, file);
      return true;
    });
  });
}
