// The TLS decoder's side of decryption, with a key hook that records what it is given: the session info
// built from the hellos, 0-RTT records held from before the ServerHello (bounded) and replayed in order,
// the decrypted handshake read back, and the notes of connections no sink was opened for.

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseClientHello } from "../../../src/decode/tls/client-hello.ts";
import { parseServerHello } from "../../../src/decode/tls/server-hello.ts";
import type { TlsKeyHook, TlsPlaintext, TlsSessionInfo } from "../../../src/decode/tls/tls-decrypt-hook.ts";
import { MAX_EARLY_HELD, TlsSinkLink } from "../../../src/decode/tls/tls-sink-link.ts";
import type { TlsRecord } from "../../../src/model/tls.ts";
import {
  alertRecord,
  be16,
  CTX,
  clientHelloBody,
  extVersions,
  handshake,
  harness,
  record,
  serverHelloBody,
  vec,
} from "./tls-build.ts";

/** A hook whose sink keeps every record and answers with `answer`. */
function spyHook(answer?: (body: Uint8Array) => TlsPlaintext | undefined) {
  const seen = {
    infos: [] as TlsSessionInfo[],
    records: [] as [boolean, number, number, number][],
    closed: 0,
  };
  const hook: TlsKeyHook = {
    open(info) {
      seen.infos.push(info);
      return {
        record(fromOrig, type, body, _ts, frame) {
          seen.records.push([fromOrig, type, body.length, frame]);
          return answer?.(body);
        },
        close() {
          seen.closed++;
          return { decrypted: true, note: "spy" };
        },
      };
    },
    unopened: (random) => `unopened ${random?.slice(0, 4)}`,
  };
  return { hook, seen };
}

const EARLY_DATA_EXT: [number, number[]] = [42, []];
const clientHello = (early: boolean) =>
  record(
    22,
    handshake(
      1,
      clientHelloBody({
        ciphers: [0x1301],
        random: new Array(32).fill(0xab),
        extensions: [extVersions([0x0304]), ...(early ? [EARLY_DATA_EXT] : [])],
      }),
    ),
  );
const serverHello13 = record(
  22,
  handshake(
    2,
    serverHelloBody({
      cipher: 0x1301,
      extensions: [
        [43, be16(0x0304)],
        [22, []],
      ],
    }),
  ),
);

test("0-RTT records before the ServerHello are held and replayed to the sink, in order, with their frames", () => {
  const { hook, seen } = spyHook();
  const h = harness({ keys: hook });
  h.feed([
    [true, clientHello(true)],
    [true, record(23, new Uint8Array(100))],
    [true, record(23, new Uint8Array(200))],
    [false, serverHello13],
    [false, record(23, new Uint8Array(50))],
  ]);
  assert.deepEqual(seen.records, [
    [true, 23, 100, 2],
    [true, 23, 200, 3],
    [false, 23, 50, 5],
  ]);
  const i = seen.infos[0];
  assert.equal(i.clientRandom, "ab".repeat(32));
  assert.equal(i.version, 0x0304);
  assert.equal(i.earlyDataOffered, true);
  assert.equal(i.encryptThenMac, true, "extension 22 in the ServerHello");
  assert.equal(i.clientIsOrig, true);
  assert.equal(i.ctx.uid, "CTLS0000000000000");
});

test("held early records are bounded by MAX_EARLY_HELD; without early_data nothing is held", () => {
  const { hook, seen } = spyHook();
  const steps: [boolean, Uint8Array][] = [[true, clientHello(true)]];
  const n = Math.floor(MAX_EARLY_HELD / 16384) + 2;
  for (let k = 0; k < n; k++) steps.push([true, record(23, new Uint8Array(16384))]);
  harness({ keys: hook }).feed([...steps, [false, serverHello13]]);
  assert.equal(seen.records.length, MAX_EARLY_HELD / 16384);
  const plain = spyHook();
  harness({ keys: plain.hook }).feed([
    [true, clientHello(false)],
    [true, record(23, new Uint8Array(10))],
    [false, serverHello13],
  ]);
  assert.equal(plain.seen.records.length, 0);
});

test("a decrypted alert from the sink becomes a named alert; close() gives decrypted and the note", () => {
  const { hook } = spyHook(() => ({ contentType: 21, data: Uint8Array.of(2, 40) }));
  const h = harness({ keys: hook });
  h.feed([
    [true, clientHello(false)],
    [false, serverHello13],
    [false, record(23, new Uint8Array(30))],
  ]);
  h.consumer.end();
  const t = h.records.find((r) => r.type === "tls") as TlsRecord;
  assert.deepEqual(t.alerts, ["resp:fatal:handshake_failure"]);
  assert.equal(t.decrypted, true);
  assert.equal(t.decrypt_note, "spy");
});

test("a decrypted EncryptedExtensions gives alpn_selected", () => {
  const alpn = vec(2, vec(1, [0x68, 0x32]));
  const ee = handshake(8, vec(2, [...be16(16), ...vec(2, alpn)]));
  const { hook } = spyHook(() => ({ contentType: 22, data: ee }));
  const h = harness({ keys: hook });
  h.feed([
    [true, clientHello(false)],
    [false, serverHello13],
    [false, record(23, new Uint8Array(30))],
  ]);
  h.consumer.end();
  assert.equal((h.records.find((r) => r.type === "tls") as TlsRecord).alpn_selected, "h2");
});

test("no ServerHello: the hook's note for the client random; no hook: no note", () => {
  const { hook, seen } = spyHook();
  const h = harness({ keys: hook }).feed([
    [true, clientHello(false)],
    [true, alertRecord(2, 40)],
  ]);
  h.consumer.end();
  assert.equal(seen.infos.length, 0);
  assert.equal((h.records[0] as TlsRecord).decrypt_note, "unopened abab");
  const bare = harness().feed([[true, clientHello(false)]]);
  bare.consumer.end();
  assert.equal((bare.records[0] as TlsRecord).decrypt_note, undefined);
});

test("close() closes the sink once and lets it go: later records no longer reach it", () => {
  const { hook, seen } = spyHook();
  const out = { record: () => {}, weird: () => {}, payload: () => {} };
  const link = new TlsSinkLink(hook, out);
  const client = parseClientHello(
    Uint8Array.from(clientHelloBody({ ciphers: [0x1301], extensions: [extVersions([0x0304])] })),
  )!;
  const server = parseServerHello(
    Uint8Array.from(serverHelloBody({ cipher: 0x1301, extensions: [[43, be16(0x0304)]] })),
  )!;
  assert.equal(
    link.open(CTX, client, server, true, () => {}),
    true,
  );
  link.record(true, 23, new Uint8Array(40), 1, 1);
  assert.deepEqual(link.close(client.random), { decrypted: true, note: "spy" });
  assert.equal(link.sink, undefined, "the sink (its decoders, its keys) is let go");
  assert.equal(link.record(true, 23, new Uint8Array(60), 2, 2), undefined);
  assert.deepEqual(
    seen.records.map((r) => r[2]),
    [40],
  );
  assert.equal(seen.closed, 1);
});
