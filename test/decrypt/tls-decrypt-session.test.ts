// When decryption cannot happen or breaks: a wrong key, no key, secrets only in part, a missing ServerHello,
// lost bytes. Each must end in a `tls` record that says so (decrypted, decrypt_note), a weird where the
// keys failed, and never an exception. Then random bytes and random keys as a property.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import type { DecoderOutput } from "../../src/decode/stream-decoder.ts";
import { makeTlsDecoder } from "../../src/decode/tls/tls-decoder.ts";
import type { TlsSessionInfo } from "../../src/decode/tls/tls-decrypt-hook.ts";
import { KeyStore } from "../../src/decrypt/key-log.ts";
import { tlsKeyHook } from "../../src/decrypt/tls-key-hook.ts";
import { CTX } from "../decode/tls/tls-build.ts";
import { writePcap } from "../helpers/capture-writer.ts";
import { runDecrypt } from "../helpers/decrypt-run.ts";
import {
  type RecordedTlsSession,
  recordTlsSession,
  TEST_TLS_HOST,
  tlsFrames,
  tlsPcap,
} from "../helpers/tls-capture.ts";

const REQ1 = `GET /one?imei=490154203237518 HTTP/1.1\r\nHost: ${TEST_TLS_HOST}\r\n\r\n`;
const REQ2 = `GET /two HTTP/1.1\r\nHost: ${TEST_TLS_HOST}\r\n\r\n`;
const RESP = "HTTP/1.1 204 No Content\r\n\r\n";

const sessions = new Map<string, Promise<RecordedTlsSession>>();
/** One recorded session per version, shared by the tests. */
function session(version: "TLSv1.2" | "TLSv1.3"): Promise<RecordedTlsSession> {
  let s = sessions.get(version);
  if (!s) {
    s = recordTlsSession({
      version,
      alpn: ["http/1.1"],
      steps: [
        { fromClient: true, data: REQ1 },
        { fromClient: false, data: RESP },
        { fromClient: true, data: REQ2 },
        { fromClient: false, data: RESP },
      ],
    });
    sessions.set(version, s);
  }
  return s;
}

/** The key log with every secret replaced by other bytes of the same length. */
function wrongSecrets(keyLog: string): string {
  return keyLog.replace(/^(\S+ [0-9a-f]{64} )([0-9a-f]+)$/gm, (_m, head: string, secret: string) => {
    return head + randomBytes(secret.length / 2).toString("hex");
  });
}

/** Only the lines with these labels. */
function onlyLabels(keyLog: string, labels: string[]): string {
  return keyLog
    .split("\n")
    .filter((l) => labels.includes(l.split(" ")[0]))
    .join("\n");
}

for (const version of ["TLSv1.3", "TLSv1.2"] as const) {
  test(`${version}: a wrong key → decrypted false, tls_decrypt_failed, the record number in the note`, async () => {
    const s = await session(version);
    const run = await runDecrypt(tlsPcap(s.chunks), wrongSecrets(s.keyLog));
    assert.equal(run.http.length, 0);
    const t = run.tls[0];
    assert.equal(t.decrypted, false);
    // The first protected record of each side is its Finished: both fail there.
    assert.equal(
      t.decrypt_note,
      version === "TLSv1.3"
        ? "authentication failed at record 1 (server): stopped; authentication failed at record 1 (client): stopped"
        : "authentication failed at record 1 (client): stopped; authentication failed at record 1 (server): stopped",
    );
    assert.deepEqual(
      run.weirds.map((w) => w.name),
      ["tls_decrypt_failed"],
    );
  });

  test(`${version}: another session's key → "no key for this client random", no weird`, async () => {
    const s = await session(version);
    const other = s.keyLog.replace(new RegExp(s.clientRandom, "g"), "ab".repeat(32));
    const run = await runDecrypt(tlsPcap(s.chunks), other);
    assert.equal(run.tls[0].decrypted, false);
    assert.equal(run.tls[0].decrypt_note, "no key for this client random");
    assert.deepEqual(run.weirds, []);
    assert.equal(run.http.length, 0);
  });
}

test("no key log at all: no decrypt_note, nothing decrypted", async () => {
  const s = await session("TLSv1.3");
  const run = await runDecrypt(tlsPcap(s.chunks));
  assert.equal(run.tls[0].decrypted, false);
  assert.equal(run.tls[0].decrypt_note, undefined);
});

test("TLS 1.3 with only the application secrets: the data decrypts, the handshake does not", async () => {
  const s = await session("TLSv1.3");
  const run = await runDecrypt(
    tlsPcap(s.chunks),
    onlyLabels(s.keyLog, ["CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"]),
  );
  assert.deepEqual(
    run.http.map((h) => [h.uri, h.status_code]),
    [
      ["/one?imei=490154203237518", 204],
      ["/two", 204],
    ],
  );
  assert.equal(run.tls[0].decrypted, true);
  assert.equal(run.tls[0].cert_subject_cn, undefined, "the Certificate was under the handshake secret");
  assert.deepEqual(
    run.weirds.map((w) => w.name),
    ["tls_decrypt_skipped"],
    "the handshake records are skipped, once said",
  );
});

test("TLS 1.3 with only the handshake secrets: the certificate decrypts, the data does not, and the note says why", async () => {
  const s = await session("TLSv1.3");
  const run = await runDecrypt(
    tlsPcap(s.chunks),
    onlyLabels(s.keyLog, ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET"]),
  );
  assert.equal(run.http.length, 0);
  const t = run.tls[0];
  assert.equal(t.cert_subject_cn, TEST_TLS_HOST);
  assert.equal(t.decrypted, true);
  assert.equal(
    t.decrypt_note,
    "no application traffic secret for the server; no application traffic secret for the client",
  );
});

test('a ClientHello whose ServerHello was never captured: "missing handshake"', async () => {
  const s = await session("TLSv1.2");
  const run = await runDecrypt(tlsPcap(s.chunks.filter((c) => c.fromClient)), s.keyLog);
  assert.equal(run.tls[0].decrypted, false);
  assert.equal(run.tls[0].decrypt_note, "missing handshake");
});

/** Frames of the session without the client's `nth` data segment counting from the end (1 = last). */
function dropClientSegment(s: RecordedTlsSession, nthFromEnd: number): Uint8Array {
  const frames = tlsFrames(s.chunks);
  // Ethernet 14 + IPv4 20 + TCP 20 (data segments carry no options); source address 10.0.0.2 at 26.
  const clientData = frames
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.data.length > 54 && f.data[26] === 10 && f.data[29] === 2);
  const drop = clientData[clientData.length - nthFromEnd].i;
  return writePcap(frames.filter((_, i) => i !== drop));
}

test("TLS 1.3: lost client bytes stop that direction with tls_decrypt_gap; the server's side reads on", async () => {
  const s = await session("TLSv1.3");
  // Client data segments end: ..., REQ1, REQ2, close_notify. Drop REQ2.
  const run = await runDecrypt(dropClientSegment(s, 2), s.keyLog);
  assert.equal(run.http[0].uri, "/one?imei=490154203237518");
  assert.equal(run.http[0].status_code, 204);
  assert.ok(run.weirds.some((w) => w.name === "tls_decrypt_gap"));
  const t = run.tls[0];
  assert.equal(t.decrypted, true);
  // Client records before the gap: Finished, REQ1.
  assert.equal(t.decrypt_note, "gap in the client's bytes after record 2: stopped");
  assert.ok(t.alerts?.includes("resp:warning:close_notify"), "the server's close_notify still decrypts");
});

// The hook itself, for what Node's TLS cannot be made to negotiate.
const silent: DecoderOutput = { record: () => {}, weird: () => {}, payload: () => {} };
const RANDOM = "11".repeat(32);

function info(over: Partial<TlsSessionInfo>): TlsSessionInfo {
  return {
    uid: CTX.uid,
    clientRandom: RANDOM,
    serverRandom: "22".repeat(32),
    version: 0x0303,
    cipherSuite: 0xc02f,
    ctx: CTX,
    clientIsOrig: true,
    encryptThenMac: false,
    compressionMethod: 0,
    earlyDataOffered: false,
    sessionId: "",
    resumed: false,
    ...over,
  };
}

function noteOf(keys: KeyStore, i: TlsSessionInfo) {
  const sink = tlsKeyHook(keys).open(i, silent);
  assert.ok(sink);
  assert.equal(sink.wantsMore?.(), false, "a sink that cannot decrypt asks for nothing");
  return sink.close();
}

test("hook: unsupported suite, version and compression are notes, not attempts", () => {
  const keys = new KeyStore();
  keys.add("CLIENT_RANDOM", RANDOM, new Uint8Array(48));
  assert.deepEqual(noteOf(keys, info({ cipherSuite: 0x000a })), {
    decrypted: false,
    note: "unsupported cipher suite 0x000a",
  });
  assert.deepEqual(noteOf(keys, info({ version: 0x0300 })), {
    decrypted: false,
    note: "unsupported version SSLv3",
  });
  assert.deepEqual(noteOf(keys, info({ compressionMethod: 1 })), {
    decrypted: false,
    note: "unsupported compression method 1",
  });
  assert.deepEqual(noteOf(keys, info({ version: 0x0304, cipherSuite: 0x1301 })), {
    decrypted: false,
    note: "no TLS 1.3 traffic secrets for this client random",
  });
  assert.equal(tlsKeyHook(new KeyStore()).open(info({}), silent), undefined, "an empty store opens nothing");
});

test("hook: a resumed TLS 1.2 session decrypts with the master secret its session id had earlier", async () => {
  const keys = new KeyStore();
  const master = new Uint8Array(48).fill(3);
  keys.add("CLIENT_RANDOM", RANDOM, master);
  const hook = tlsKeyHook(keys);
  hook.open(info({ sessionId: "aa".repeat(32) }), silent);
  const resumed = info({ clientRandom: "33".repeat(32), sessionId: "aa".repeat(32), resumed: true });
  const sink = hook.open(resumed, silent);
  assert.notEqual(sink?.wantsMore?.(), false, "the remembered master secret opens the resumption");
  const fresh = hook.open(
    info({ clientRandom: "44".repeat(32), sessionId: "bb".repeat(32), resumed: true }),
    silent,
  );
  assert.deepEqual(fresh?.close(), { decrypted: false, note: "no key for this client random" });
});

test("property: random protected records under random keys never throw, and never decrypt", () => {
  const suites = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305, 0xc02f, 0xc030, 0xcca8, 0xc013, 0xc028, 0x003c];
  fc.assert(
    fc.property(
      fc.constantFrom(...suites),
      fc.constantFrom(0x0301, 0x0302, 0x0303),
      fc.uint8Array({ minLength: 48, maxLength: 48 }),
      fc.boolean(),
      fc.array(fc.tuple(fc.boolean(), fc.constantFrom(21, 22, 23), fc.uint8Array({ maxLength: 300 })), {
        maxLength: 8,
      }),
      (suite, v12, secret, etm, records) => {
        const tls13 = suite >> 8 === 0x13;
        const keys = new KeyStore();
        if (tls13) {
          const len = suite === 0x1302 ? 48 : 32;
          for (const l of ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET"] as const) {
            keys.add(l, RANDOM, secret.subarray(0, len));
          }
        } else keys.add("CLIENT_RANDOM", RANDOM, secret);
        const i = info({
          version: tls13 ? 0x0304 : v12,
          cipherSuite: suite,
          encryptThenMac: etm,
          earlyDataOffered: etm,
        });
        const sink = tlsKeyHook(keys).open(i, silent);
        for (const [fromOrig, type, body] of records) {
          assert.equal(sink?.record(fromOrig, type, body, 1, 1), undefined);
        }
        sink?.gap?.(true);
        assert.equal(sink?.close().decrypted, false);
      },
    ),
    { numRuns: 6000 }, // fewer than 10000: each run derives keys; this keeps the property under 3 s,
  );
});

test("property: a recorded session with bytes flipped or lost never throws, and gives at most one tls record", async () => {
  const recorded = [await session("TLSv1.3"), await session("TLSv1.2")];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(0, 1),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.option(fc.nat(), { nil: undefined }),
      async (which, flips, gapAt) => {
        const s = recorded[which];
        const keys = new KeyStore();
        keys.addKeyLog(s.keyLog);
        const records: string[] = [];
        const out: DecoderOutput = {
          record: (r) => records.push(r.type),
          weird: () => {},
          payload: () => {},
        };
        const c = makeTlsDecoder({ keys: tlsKeyHook(keys) }).create(CTX, out);
        const chunks = s.chunks.map((k) => ({ fromClient: k.fromClient, data: Uint8Array.from(k.data) }));
        for (const [i, off, x] of flips) {
          const k = chunks[i % chunks.length];
          if (k.data.length > 0) k.data[off % k.data.length] ^= x;
        }
        chunks.forEach((k, i) => {
          if (gapAt !== undefined && i === gapAt % chunks.length) c.gap(k.fromClient, k.data.length);
          else c.data(k.fromClient, k.data, i, i + 1);
        });
        c.end();
        assert.ok(records.filter((t) => t === "tls").length <= 1);
      },
    ),
    { numRuns: 1500 }, // each run decrypts a whole session; 1500 keep the property under 3 s
  );
});
