import assert from "node:assert/strict";
import { test } from "node:test";
import { newLongHeader, parseLongHeader, QUIC_V1, QUIC_V2 } from "../../../src/decode/quic/quic-header.ts";
import {
  decodePacketNumber,
  hkdfExpandLabel,
  hkdfExtract,
  InitialOpener,
  initialKeys,
  initialSalt,
} from "../../../src/decode/quic/quic-initial.ts";
import { CLIENT_CRYPTO_FRAME, SAMPLE_DCID, SERVER_PAYLOAD, tohex, unhex, V1, V2 } from "./rfc-samples.ts";

const SAMPLES = [
  { name: "RFC 9001 (v1)", s: V1, version: QUIC_V1, salt: "38762cf7f55934b34d179ae6a4c80cadccbb7f0a" },
  { name: "RFC 9369 (v2)", s: V2, version: QUIC_V2, salt: "0dede3def700a6db819381be6e269dcbf9bd2ed9" },
] as const;

for (const { name, s, version, salt } of SAMPLES) {
  test(`${name} §A.1: initial, client and server secrets and keys`, () => {
    assert.equal(tohex(initialSalt(version)!), salt);
    const initial = hkdfExtract(unhex(salt), unhex(SAMPLE_DCID));
    assert.equal(tohex(initial), s.initialSecret);
    assert.equal(tohex(hkdfExpandLabel(initial, "client in", 32)), s.client.secret);
    assert.equal(tohex(hkdfExpandLabel(initial, "server in", 32)), s.server.secret);
    for (const [side, want] of [
      [false, s.client],
      [true, s.server],
    ] as const) {
      const k = initialKeys(version, unhex(SAMPLE_DCID), side)!;
      assert.deepEqual(
        { key: tohex(k.key), iv: tohex(k.iv), hp: tohex(k.hp) },
        {
          key: want.key,
          iv: want.iv,
          hp: want.hp,
        },
      );
    }
  });

  test(`${name} §A.2: header protection mask and the decrypted client Initial`, () => {
    const keys = initialKeys(version, unhex(SAMPLE_DCID), false)!;
    const opener = new InitialOpener(keys);
    assert.equal(tohex(opener.mask(unhex(s.clientSample)).subarray(0, 5)), s.clientMask);
    const p = unhex(s.clientPacket);
    const h = newLongHeader();
    assert.equal(parseLongHeader(p, 0, p.length, h), undefined);
    const r = opener.open(p, h);
    assert.ok(r.ok);
    assert.equal(r.pn, s.clientPn);
    // 1162 bytes of frames: the CRYPTO frame, then PADDING (zeros) to the end.
    assert.equal(r.payload.length, 1162);
    const frame = unhex(CLIENT_CRYPTO_FRAME);
    assert.equal(tohex(r.payload.subarray(0, frame.length)), tohex(frame));
    assert.ok(r.payload.subarray(frame.length).every((b) => b === 0));
  });

  test(`${name} §A.3: the server Initial opens with the server keys from the client's DCID`, () => {
    const opener = new InitialOpener(initialKeys(version, unhex(SAMPLE_DCID), true)!);
    assert.equal(tohex(opener.mask(unhex(s.serverSample)).subarray(0, 5)), s.serverMask);
    const p = unhex(s.serverPacket);
    const h = newLongHeader();
    assert.equal(parseLongHeader(p, 0, p.length, h), undefined);
    const r = opener.open(p, h);
    assert.ok(r.ok);
    assert.equal(r.pn, s.serverPn);
    assert.equal(tohex(r.payload), tohex(unhex(SERVER_PAYLOAD)));
  });
}

test("a flipped ciphertext bit, the wrong side's keys or another DCID fail authentication without throwing", () => {
  const p = unhex(V1.clientPacket);
  const h = newLongHeader();
  parseLongHeader(p, 0, p.length, h);
  const bad = p.slice();
  bad[600] ^= 1;
  const client = new InitialOpener(initialKeys(QUIC_V1, unhex(SAMPLE_DCID), false)!);
  const r1 = client.open(bad, h);
  assert.equal(r1.ok, false);
  assert.equal(new InitialOpener(initialKeys(QUIC_V1, unhex(SAMPLE_DCID), true)!).open(p, h).ok, false);
  assert.equal(
    new InitialOpener(initialKeys(QUIC_V1, unhex("0011223344556677"), false)!).open(p, h).ok,
    false,
  );
  // v1 keys on the v2 packet (same DCID): the labels and salt differ, so it must fail too.
  const p2 = unhex(V2.clientPacket);
  parseLongHeader(p2, 0, p2.length, h);
  assert.equal(new InitialOpener(initialKeys(QUIC_V1, unhex(SAMPLE_DCID), false)!).open(p2, h).ok, false);
  // Still opens the genuine packet afterwards: a failure leaves no state behind.
  parseLongHeader(p, 0, p.length, h);
  assert.ok(client.open(p, h).ok);
});

test("a packet too short to sample is refused", () => {
  const p = unhex(V1.serverPacket).subarray(0, 40);
  const h = newLongHeader();
  h.start = 0;
  h.firstByte = p[0];
  h.pnOff = 20;
  h.end = 39;
  const r = new InitialOpener(initialKeys(QUIC_V1, unhex(SAMPLE_DCID), true)!).open(p, h);
  assert.deepEqual(r, { ok: false, why: "packet too short to sample" });
});

test("packet number recovery follows RFC 9000 §A.3", () => {
  // The worked example of §A.3: largest 0xa82f30ea, 16-bit truncated 0x9b32 → 0xa82f9b32.
  assert.equal(decodePacketNumber(0xa82f30ea, 0x9b32, 16), 0xa82f9b32);
  assert.equal(decodePacketNumber(-1, 2, 32), 2);
  assert.equal(decodePacketNumber(-1, 1, 16), 1);
  assert.equal(decodePacketNumber(0xff, 0x02, 8), 0x102, "wraps forward past the 8-bit window");
  assert.equal(decodePacketNumber(0x102, 0xff, 8), 0xff, "a late packet from the previous window");
});

test("unknown versions have no Initial keys", () => {
  assert.equal(initialKeys(0x1a2a3a4a, unhex(SAMPLE_DCID), false), undefined);
  assert.equal(tohex(initialSalt(0xff00001d)!), "afbfec289993d24c9e9786f19c6111e04390a899");
  assert.equal(tohex(initialSalt(0xff000021)!), "38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
});
