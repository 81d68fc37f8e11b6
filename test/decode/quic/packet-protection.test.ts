import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { nextSecret, packetKeys, QUIC_SUITES } from "../../../src/decode/quic/packet-keys.ts";
import { HeaderProtection, PacketOpener, packetNonce } from "../../../src/decode/quic/packet-protection.ts";
import { QUIC_V1, QUIC_V2 } from "../../../src/decode/quic/quic-header.ts";
import { sealKeys, sealShort, updatedKeys } from "../../helpers/quic-1rtt.ts";
import { SERVER_PAYLOAD, tohex, unhex, V1 } from "./rfc-samples.ts";

// RFC 9001 Appendix A.5 and RFC 9369 Appendix A.5: a ChaCha20-Poly1305 short header packet with an empty
// DCID, packet number 654360564 in 3 bytes, payload a single PING (0x01). Values as the appendices print them.
const A5_SECRET = "9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b";
const A5 = [
  {
    name: "RFC 9001 A.5 (v1)",
    version: QUIC_V1,
    key: "c6d98ff3441c3fe1b2182094f69caa2ed4b716b65488960a7a984979fb23e1c8",
    iv: "e0459b3474bdd0e44a41c144",
    hp: "25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4",
    ku: "1223504755036d556342ee9361d253421a826c9ecdf3c7148684b36b714881f9",
    nonce: "e0459b3474bdd0e46d417eb0",
    sample: "5e5cd55c41f69080575d7999c25a5bfb",
    mask: "aefefe7d03",
    packet: "4cfe4189655e5cd55c41f69080575d7999c25a5bfb",
  },
  {
    name: "RFC 9369 A.5 (v2)",
    version: QUIC_V2,
    key: "3bfcddd72bcf02541d7fa0dd1f5f9eeea817e09a6963a0e6c7df0f9a1bab90f2",
    iv: "a6b5bc6ab7dafce30ffff5dd",
    hp: "d659760d2ba434a226fd37b35c69e2da8211d10c4f12538787d65645d5d1b8e2",
    ku: "c69374c49e3d2a9466fa689e49d476db5d0dfbc87d32ceeaa6343fd0ae4c7d88",
    nonce: "a6b5bc6ab7dafce328ff4a29",
    sample: "e7b6b932bc27d786f4bc2bb20f2162ba",
    mask: "97580e32bf",
    packet: "5558b1c60ae7b6b932bc27d786f4bc2bb20f2162ba",
  },
];
const CHACHA = QUIC_SUITES.get(0x1303)!;
const AES128 = QUIC_SUITES.get(0x1301)!;

for (const v of A5) {
  test(`${v.name}: key, iv, hp and the key update secret from the traffic secret`, () => {
    const k = packetKeys(CHACHA, unhex(A5_SECRET), v.version);
    assert.equal(tohex(k.key), v.key);
    assert.equal(tohex(k.iv), v.iv);
    assert.equal(tohex(k.hp), v.hp);
    assert.equal(tohex(nextSecret(CHACHA, unhex(A5_SECRET), v.version)), v.ku);
    assert.equal(tohex(packetNonce(k.iv, 654360564)), v.nonce);
  });

  test(`${v.name}: ChaCha20 header protection mask and the packet opened`, () => {
    const k = packetKeys(CHACHA, unhex(A5_SECRET), v.version);
    assert.equal(tohex(new HeaderProtection(CHACHA, k.hp).mask(unhex(v.sample))), v.mask);
    const o = new PacketOpener(CHACHA, unhex(A5_SECRET), v.version, true);
    // Seen up to 654360563 before: the 3-byte truncated number 0x00bff4 recovers to 654360564 (RFC 9000 §A.3).
    o.largest = 654360563;
    const r = o.open(unhex(v.packet), 0, 1, 21, true);
    assert.ok(r.ok, r.ok ? "" : r.why);
    assert.equal(r.pn, 654360564);
    assert.equal(tohex(r.payload), "01");
    assert.equal(r.keyPhase, 0);
  });
}

test("RFC 9001 A.1/A.3: AES-128-GCM keys from the server Initial secret open the A.3 server packet", () => {
  // The Initial secrets are traffic secrets like any other as far as "quic key"/"quic iv"/"quic hp" go.
  const k = packetKeys(AES128, unhex(V1.server.secret), QUIC_V1);
  assert.equal(tohex(k.key), V1.server.key);
  assert.equal(tohex(k.iv), V1.server.iv);
  assert.equal(tohex(k.hp), V1.server.hp);
  assert.equal(tohex(new HeaderProtection(AES128, k.hp).mask(unhex(V1.serverSample))), V1.serverMask);
  const pkt = unhex(V1.serverPacket);
  // Long header: 1 + 4 + 1 + 0 (DCID) + 1 + 8 (SCID) + 1 (token length 0) + 2 (Length) = pnOff 18.
  const r = new PacketOpener(AES128, unhex(V1.server.secret), QUIC_V1, false).open(
    pkt,
    0,
    18,
    pkt.length,
    false,
  );
  assert.ok(r.ok);
  assert.equal(r.pn, V1.serverPn);
  assert.equal(tohex(r.payload), tohex(unhex(SERVER_PAYLOAD)));
});

for (const code of [0x1301, 0x1302, 0x1303, 0x1304]) {
  const suite = QUIC_SUITES.get(code)!;
  test(`${suite.name}: a key update is followed, and a packet reordered across it still opens`, () => {
    const secret = Uint8Array.from({ length: suite.hash === "sha384" ? 48 : 32 }, (_, i) => i * 7);
    const k0 = sealKeys(code, secret);
    const k1 = updatedKeys(k0);
    const k2 = updatedKeys(k1);
    const dcid = Uint8Array.of(1, 2, 3, 4);
    const pkt = (k: typeof k0, pn: number, kp: 0 | 1) =>
      sealShort(k, { dcid, pn, keyPhase: kp, frames: Uint8Array.of(0x01, pn & 0xff) });
    const o = new PacketOpener(suite, secret, QUIC_V1, true);
    const open = (b: Uint8Array) => o.open(b, 0, 5, b.length, true);
    const sequence: [Uint8Array, number, number][] = [
      [pkt(k0, 0, 0), 0, 0],
      [pkt(k0, 1, 0), 1, 0],
      [pkt(k1, 3, 1), 3, 1], // update to phase 1
      [pkt(k0, 2, 0), 2, 0], // reordered: older than the update, old keys
      [pkt(k1, 4, 1), 4, 1],
      [pkt(k2, 5, 0), 5, 0], // second update back to phase bit 0
    ];
    for (const [b, pn, kp] of sequence) {
      const r = open(b);
      assert.ok(r.ok, r.ok ? "" : `pn ${pn}: ${r.why}`);
      assert.equal(r.pn, pn);
      assert.equal(r.keyPhase, kp);
      assert.deepEqual([...r.payload.subarray(0, 2)], [0x01, pn & 0xff]);
    }
    assert.equal(o.updates, 2);
  });
}

test("a packet sealed with other keys fails authentication, and the opener stays usable", () => {
  const secret = new Uint8Array(32).fill(9);
  const o = new PacketOpener(AES128, secret, QUIC_V1, true);
  const bad = sealShort(sealKeys(0x1301, new Uint8Array(32).fill(8)), {
    dcid: new Uint8Array(0),
    pn: 0,
    frames: Uint8Array.of(1),
  });
  const r = o.open(bad, 0, 1, bad.length, true);
  assert.equal(r.ok, false);
  const good = sealShort(sealKeys(0x1301, secret), {
    dcid: new Uint8Array(0),
    pn: 0,
    frames: Uint8Array.of(1),
  });
  assert.ok(o.open(good, 0, 1, good.length, true).ok);
  const short = Uint8Array.of(0x40, 1, 2, 3);
  assert.deepEqual(o.open(short, 0, 1, short.length, true), { ok: false, why: "packet too short to sample" });
});

test("property: random bytes as protected packets never throw, for every suite", () => {
  const openers = [...QUIC_SUITES.values()].map(
    (s) => new PacketOpener(s, new Uint8Array(48).fill(3), QUIC_V1, true),
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), fc.nat(30), fc.boolean(), (b, pnOff, short) => {
      for (const o of openers) {
        const r = o.open(b, 0, Math.min(pnOff, b.length), b.length, short);
        assert.equal(r.ok, false);
      }
    }),
    { numRuns: 10000 },
  );
});
