// WebSocket frames against the examples of RFC 6455 §5.7 and RFC 7692 §7.2.3, a full Upgrade handshake
// (RFC 6455 §1.3's key and accept), masking rules, fragmentation, bounds and bad frames.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { WebSocketReader, type WsWeirdName } from "../../../src/decode/http/websocket.ts";
import { hex } from "../decode-helpers.ts";
import { runSteps } from "./http-helpers.ts";

interface Got {
  messages: { text: string; opcode: number; bytes: Uint8Array }[];
  weirds: WsWeirdName[];
}

function read(fromClient: boolean, chunks: Uint8Array[], opts = {}): Got {
  const got: Got = { messages: [], weirds: [] };
  const r = new WebSocketReader(
    fromClient,
    {
      message: (data, opcode) =>
        got.messages.push({
          text: Buffer.from(data).toString("latin1"),
          opcode,
          bytes: new Uint8Array(data),
        }),
      weird: (name) => got.weirds.push(name),
    },
    opts,
  );
  chunks.forEach((c, i) => {
    r.data(c, i, i + 1);
  });
  r.end();
  return got;
}

test("RFC 6455 §5.7: single-frame unmasked text from the server", () => {
  const got = read(false, [hex("81 05 48 65 6c 6c 6f")]);
  assert.deepEqual(
    got.messages.map((m) => [m.text, m.opcode]),
    [["Hello", 1]],
  );
  assert.deepEqual(got.weirds, []);
});

test("RFC 6455 §5.7: single-frame masked text from the client is unmasked", () => {
  const got = read(true, [hex("81 85 37 fa 21 3d   7f 9f 4d 51 58  # mask key, then masked 'Hello'")]);
  assert.deepEqual(
    got.messages.map((m) => m.text),
    ["Hello"],
  );
  assert.deepEqual(got.weirds, []);
});

test("RFC 6455 §5.7: a fragmented message is joined; a ping between fragments is not a message", () => {
  const got = read(false, [
    hex("01 03 48 65 6c  # FIN 0, text, 'Hel'"),
    hex("89 05 48 65 6c 6c 6f  # ping 'Hello' (control frames may interleave)"),
    hex("80 02 6c 6f  # FIN 1, continuation, 'lo'"),
  ]);
  assert.deepEqual(
    got.messages.map((m) => m.text),
    ["Hello"],
  );
});

test("RFC 6455 §5.7: 16-bit and 64-bit lengths, split at every byte", () => {
  const b256 = Uint8Array.from({ length: 256 }, (_, i) => i);
  const b64k = Uint8Array.from({ length: 65536 }, (_, i) => (i * 7) & 0xff);
  const frames = Buffer.concat([hex("82 7e 01 00"), b256, hex("82 7f 00 00 00 00 00 01 00 00"), b64k]);
  const oneByOne = Array.from(frames, (b) => Uint8Array.of(b));
  const got = read(false, oneByOne);
  assert.equal(got.messages.length, 2);
  assert.deepEqual(got.messages[0].bytes, b256);
  assert.deepEqual(got.messages[1].bytes, b64k);
  assert.equal(got.messages[0].opcode, 2);
});

test("RFC 7692 §7.2.3: permessage-deflate messages inflate, the second using the first as window", () => {
  const got = read(false, [hex("c1 07 f2 48 cd c9 c9 07 00"), hex("c1 05 f2 00 11 00 00")]);
  assert.deepEqual(
    got.messages.map((m) => m.text),
    ["Hello", "Hello"],
  );
  assert.deepEqual(got.weirds, []);
});

test("masking rules: an unmasked client frame and a masked server frame are weirds (once each)", () => {
  assert.deepEqual(read(true, [hex("81 01 41"), hex("81 01 42")]).weirds, ["ws_unmasked_client_frame"]);
  assert.deepEqual(read(false, [hex("81 81 00 00 00 00 41")]).weirds, ["ws_masked_server_frame"]);
});

test("bad frames stop the reader: reserved opcode, fragmented control, stray continuation", () => {
  assert.deepEqual(read(false, [hex("83 00"), hex("81 01 41")]), { messages: [], weirds: ["ws_bad_frame"] });
  assert.deepEqual(read(false, [hex("09 00")]).weirds, ["ws_bad_frame"]);
  assert.deepEqual(read(false, [hex("80 01 41")]).weirds, ["ws_bad_frame"]);
  assert.deepEqual(read(false, [hex("b1 00")]).weirds, ["ws_bad_frame"]); // RSV2 + RSV3
});

test("a message longer than the bound is cut with ws_message_too_long", () => {
  const got = read(false, [Buffer.concat([hex("82 7e 00 c8"), Buffer.alloc(200, 0x61)])], {
    maxMessageBytes: 50,
  });
  assert.deepEqual(got.weirds, ["ws_message_too_long"]);
  assert.equal(got.messages[0].bytes.length, 50);
});

test("Upgrade handshake then frames both ways: payloads reach the detector as ws.message", () => {
  const r = runSteps([
    {
      orig: true,
      data:
        "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    },
    {
      orig: false,
      data:
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x81\x05Hello",
    },
    { orig: true, data: hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") },
  ]);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].status_code, 101);
  assert.deepEqual(r.records[0].tags, ["websocket"]);
  const ws = r.payloads.filter((p) => p.layer === "ws.message").map((p) => [p.text, p.fromOrig, p.index]);
  assert.deepEqual(ws, [
    ["Hello", false, 1],
    ["Hello", true, 1],
  ]);
  assert.deepEqual(r.weirds, []);
});

test("property: random and mutated frames never throw", () => {
  const seed = hex("01 03 48 65 6c 89 05 48 65 6c 6c 6f 80 02 6c 6f c1 07 f2 48 cd c9 c9 07 00");
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }).map((muts) => {
          const b = Uint8Array.from(seed);
          for (const [at, v] of muts) b[at % b.length] = v;
          return b;
        }),
      ),
      fc.boolean(),
      fc.integer({ min: 1, max: 16 }),
      (bytes, client, split) => {
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < bytes.length; i += split) chunks.push(bytes.subarray(i, i + split));
        read(client, chunks, { maxMessageBytes: 64 });
      },
    ),
    { numRuns: 10000 },
  );
});
