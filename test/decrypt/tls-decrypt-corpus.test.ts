// A public capture with its key log: Zeek's TLS 1.2 decryption trace (a Firefox GET / to heise.de and the
// 301 answer, ECDHE-RSA-AES256-GCM-SHA384 with extended master secret). phonehome's http records must
// equal what tshark reads from the same file with the same key log.

import assert from "node:assert/strict";
import { test } from "node:test";
import { runCapture } from "../../src/app/capture-run.ts";
import { loadKeyLogFile } from "../../src/decrypt/key-log-file.ts";
import type { HttpRecord } from "../../src/model/http.ts";
import type { TlsRecord } from "../../src/model/tls.ts";
import { corpusPath, NO_CORPUS } from "../helpers/corpus.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";
import { tsharkFileFields } from "../helpers/tshark-file.ts";

const DIR = "zeek-traces/testing/btest/Traces/tls";

test("Zeek tls12-decryption.pcap with its key log: GET / to heise.de and its 301, as tshark reads them", {
  skip: NO_CORPUS || NO_TSHARK,
}, async () => {
  const file = corpusPath(DIR, "tls12-decryption.pcap");
  const keyFile = corpusPath(DIR, "tls12-decryption.derived.keylog");
  const warnings: string[] = [];
  const keys = loadKeyLogFile(keyFile, (w) => warnings.push(w));
  assert.deepEqual(warnings, []);
  const http: HttpRecord[] = [];
  const tls: TlsRecord[] = [];
  await runCapture(file, {
    keys,
    onRecord: (r) => {
      if (r.type === "http") http.push(r as HttpRecord);
      if (r.type === "tls") tls.push(r as TlsRecord);
    },
  });
  const rows = tsharkFileFields(file, ["http.host", "http.request.uri", "http.response.code"], {
    filter: "http",
    args: ["-o", `tls.keylog_file:${keyFile}`],
  });
  const requests = rows.filter((r) => r[1] !== "").map((r) => [r[0], r[1]]);
  const codes = rows.filter((r) => r[2] !== "" && r[2] !== undefined).map((r) => Number(r[2]));
  assert.deepEqual(requests, [["heise.de", "/"]], "tshark's view of the trace");
  assert.deepEqual(
    http.map((h) => [h.host, h.uri]),
    requests,
  );
  assert.deepEqual(
    http.map((h) => h.status_code),
    codes,
  );
  assert.ok(http.every((h) => h.transport === "tls-decrypted"));
  assert.equal(tls.length, 1);
  assert.equal(tls[0].decrypted, true);
  assert.equal(tls[0].decrypt_note, undefined);
});
