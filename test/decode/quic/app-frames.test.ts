import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { walkAppFrames } from "../../../src/decode/quic/app-frames.ts";
import { hex } from "../decode-helpers.ts";

function walk(p: Uint8Array) {
  const seen: string[] = [];
  const w = walkAppFrames(p, {
    stream: (id, off, d, fin) =>
      seen.push(`stream ${id}@${off} ${Buffer.from(d).toString("hex")}${fin ? " fin" : ""}`),
    resetStream: (id, size) => seen.push(`reset ${id} ${size}`),
    crypto: (off, d) => seen.push(`crypto ${off} ${d.length}`),
    close: (code, app) => seen.push(`close ${code} ${app}`),
    newConnectionId: (len) => seen.push(`ncid ${len}`),
  });
  return { w, seen };
}

test("the frames of a 1-RTT packet (RFC 9000 §19), hand-encoded", () => {
  const { w, seen } = walk(
    hex(`
      01                          # PING
      02 05 00 00 00              # ACK largest 5, delay 0, 0 ranges, first range 0
      0b 00 03 616263             # STREAM id 0, LEN, FIN: "abc"
      0e 04 4010 02 6465          # STREAM id 4, OFF 16 (2-byte varint), LEN 2: "de"
      04 08 00 05                 # RESET_STREAM id 8, error 0, final size 5
      05 0c 00                    # STOP_SENDING id 12, error 0
      10 4400                     # MAX_DATA 1024
      18 01 00 04 a1a2a3a4 ${"00".repeat(16)}  # NEW_CONNECTION_ID seq 1, retire 0, 4-byte ID, token
      1a 0102030405060708         # PATH_CHALLENGE
      06 00 02 0400               # CRYPTO offset 0, 2 bytes
      1e                          # HANDSHAKE_DONE
      00 00 00                    # PADDING
      1d 07 00                    # application CONNECTION_CLOSE code 7, empty reason
      09 10 6869                  # STREAM id 16, FIN, no LEN: runs to the end: "hi"
    `),
  );
  assert.equal(w.status, "ok");
  assert.deepEqual(seen, [
    "stream 0@0 616263 fin",
    "stream 4@16 6465",
    "reset 8 5",
    "ncid 4",
    "crypto 0 2",
    "close 7 true",
    "stream 16@0 6869 fin",
  ]);
});

test("an unknown frame type stops the walk; a truncated frame says so", () => {
  const unknown = walk(hex("01 21 00"));
  assert.deepEqual(unknown.w, { status: "unexpected", frameType: 0x21, at: 1 });
  const cut = walk(hex("0a 00 05 6162"));
  assert.deepEqual(cut.w, { status: "truncated", frameType: 0x0a, at: 0 });
  assert.deepEqual(cut.seen, []);
  const ncid = walk(hex("18 01 00 04 a1a2"));
  assert.equal(ncid.w.status, "truncated");
});

test("property: random payloads never throw and always end", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (p) => {
      const w = walkAppFrames(p, {
        stream() {},
        resetStream() {},
        crypto() {},
        close() {},
        newConnectionId() {},
      });
      assert.ok(w.at >= 0 && w.at <= p.length);
    }),
    { numRuns: 10000 },
  );
});
