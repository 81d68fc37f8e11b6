// The TLS 1.3 key schedule of one direction: RFC 8448's client records in sequence (handshake key, then the
// application key after the Finished), and real OpenSSL sessions with KeyUpdates both ways and with 0-RTT
// early data, whose decrypted bytes tshark's "follow tls" must show the same.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { cipherSuite } from "../../src/decrypt/cipher-suites.ts";
import { Tls13Direction } from "../../src/decrypt/tls13-direction.ts";
import { payloadText, runDecrypt, scratchFile } from "../helpers/decrypt-run.ts";
import { NO_OPENSSL, recordOpensslSession } from "../helpers/openssl-tls-capture.ts";
import { tlsPcap } from "../helpers/tls-capture.ts";
import { HAS_TSHARK } from "../helpers/tshark.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ""), "hex");

// RFC 8448 §3: the client's secrets and its three protected records (header stripped).
const CLIENT_HS_SECRET = hex("b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21");
const CLIENT_APP_SECRET = hex("9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5");
const FINISHED = hex(`75 ec 4d c2 38 cc e6 0b 29 80 44 a7 1e 21 9c 56 cc 77 b0 51 7f e9 b9 3c 7a 4b fc 44 d8
  7f 38 f8 03 38 ac 98 fc 46 de b3 84 bd 1c ae ac ab 68 67 d7 26 c4 05 46`);
const APP_DATA = hex(`a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55 cb ef ac ea 42 f9 14 aa 66 bc ab 3f 2b 98
  19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97 70 14 bd 1e 3d ea e6 3a ee bb 21 69 49
  15 e4`);
const ALERT = hex("c9 87 27 60 65 56 66 b7 4d 7f f1 15 3e fd 6d b6 d0 b0 e3");

test("RFC 8448 client: Finished under the handshake key moves the direction to the application key", () => {
  const d = new Tls13Direction(
    cipherSuite(0x1301)!,
    { handshake: CLIENT_HS_SECRET, app: CLIENT_APP_SECRET },
    false,
    "client",
  );
  const fin = d.open(23, FINISHED);
  assert.equal(fin.kind, "ok");
  if (fin.kind === "ok") assert.equal(fin.pt.contentType, 22);
  const data = d.open(23, APP_DATA);
  assert.equal(data.kind, "ok");
  if (data.kind === "ok") {
    assert.equal(data.pt.contentType, 23);
    assert.deepEqual(
      [...data.pt.data],
      Array.from({ length: 50 }, (_, i) => i),
    );
  }
  const alert = d.open(23, ALERT);
  assert.deepEqual(alert.kind === "ok" && [alert.pt.contentType, ...alert.pt.data], [21, 1, 0]);
});

test("RFC 8448 client: without the Finished, the application record does not open under the handshake key", () => {
  const d = new Tls13Direction(
    cipherSuite(0x1301)!,
    { handshake: CLIENT_HS_SECRET, app: CLIENT_APP_SECRET },
    false,
    "client",
  );
  assert.equal(d.open(23, APP_DATA).kind, "fail");
});

test("RFC 8448 client: with only the application secret, the Finished is skipped and the data opens", () => {
  const d = new Tls13Direction(cipherSuite(0x1301)!, { app: CLIENT_APP_SECRET }, false, "client");
  assert.equal(d.open(23, FINISHED).kind, "skip");
  assert.equal(d.open(23, APP_DATA).kind, "ok");
  assert.equal(d.missing, undefined);
});

test("a sender with no secret at all says so before any record", () => {
  const d = new Tls13Direction(cipherSuite(0x1301)!, {}, false, "server");
  assert.equal(d.missing, "no traffic secret for the server");
});

/** The decrypted bytes each way, as tshark's "follow tls" shows them. */
function tsharkFollow(capture: Uint8Array, keyLog: string): { toServer: string; toClient: string } {
  const file = scratchFile("f.pcap", capture);
  const keys = scratchFile("k.log", keyLog);
  const r = spawnSync(
    "tshark",
    ["-r", file, "-o", `tls.keylog_file:${keys}`, "-q", "-z", "follow,tls,raw,0"],
    {
      encoding: "utf8",
    },
  );
  // After the header, node 0's segments are flush left and node 1's indented by a tab.
  const lines = r.stdout.split("\n");
  const node0 = /Node 0: (.*)/.exec(r.stdout)?.[1] ?? "";
  const serverIsNode0 = node0.endsWith(":443");
  const out = { toServer: "", toClient: "" };
  for (const l of lines) {
    const m = /^(\t?)([0-9a-f]+)$/.exec(l);
    if (!m) continue;
    const fromNode0 = m[1] === "";
    const text = Buffer.from(m[2], "hex").toString("latin1");
    if (fromNode0 === serverIsNode0) out.toClient += text;
    else out.toServer += text;
  }
  return out;
}

test("KeyUpdate both ways (s_client `K`, then `k`): every line decrypts, as tshark follows it", {
  skip: NO_OPENSSL,
}, async () => {
  const s = await recordOpensslSession({
    steps: [
      { client: "before-update imei=490154203237518" },
      { keyUpdate: "K" }, // the client updates and asks the server to update too
      { client: "after-first-update" },
      { server: "server-after-update" },
      { keyUpdate: "k" },
      { client: "after-second-update" },
    ],
  });
  const capture = tlsPcap(s.chunks);
  const run = await runDecrypt(capture, s.keyLog);
  const toServer = "before-update imei=490154203237518\nafter-first-update\nafter-second-update\n";
  const toClient = "server-after-update\n";
  assert.equal(payloadText(run, "tls.app", true), toServer);
  assert.equal(payloadText(run, "tls.app", false), toClient);
  assert.ok(run.payloads.filter((p) => p.layer === "tls.app").every((p) => p.transport === "tls-decrypted"));
  assert.equal(run.tls[0].decrypted, true);
  assert.equal(run.tls[0].decrypt_note, undefined);
  assert.deepEqual(run.weirds, []);
  if (HAS_TSHARK) assert.deepEqual(tsharkFollow(capture, s.keyLog), { toServer, toClient });
});

const EARLY = "GET /zero-rtt?imei=490154203237518 HTTP/1.1\r\nHost: tls-decrypt.phonehome.test\r\n\r\n";

test("0-RTT: the early data (sent before the ServerHello) decrypts with CLIENT_EARLY_TRAFFIC_SECRET", {
  skip: NO_OPENSSL,
}, async () => {
  const s = await recordOpensslSession({
    earlyData: EARLY,
    steps: [{ server: "HTTP/1.1 204 No Content\r" }, { server: "\r" }],
  });
  assert.match(s.keyLog, /^CLIENT_EARLY_TRAFFIC_SECRET /m, "the fixture did send early data");
  const capture = tlsPcap(s.chunks);
  const run = await runDecrypt(capture, s.keyLog);
  assert.deepEqual(
    run.http.map((h) => [h.method, h.uri, h.status_code, h.transport]),
    [["GET", "/zero-rtt?imei=490154203237518", 204, "tls-decrypted"]],
  );
  assert.equal(run.tls[0].decrypted, true);
  assert.deepEqual(run.weirds, []);
  if (HAS_TSHARK) assert.equal(tsharkFollow(capture, s.keyLog).toServer, EARLY);
  // Without the early secret the 0-RTT records are skipped (said once), the rest still decrypts.
  const noEarly = s.keyLog.replace(/^CLIENT_EARLY_TRAFFIC_SECRET .*$/m, "");
  const partial = await runDecrypt(capture, noEarly);
  assert.equal(partial.http.length, 1);
  assert.equal(partial.http[0].status_code, 204);
  assert.equal(partial.http[0].method, "", "the request was in the skipped early data");
  assert.deepEqual(partial.http[0].tags, ["no-request"]);
  assert.deepEqual(
    partial.weirds.map((w) => w.name),
    ["tls_decrypt_skipped"],
  );
  assert.equal(partial.tls[0].decrypted, true);
});
