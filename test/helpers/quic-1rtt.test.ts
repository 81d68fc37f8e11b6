import assert from "node:assert/strict";
import { test } from "node:test";
import { tohex, unhex } from "../decode/quic/rfc-samples.ts";
import { sealKeys, sealShort, updatedKeys } from "./quic-1rtt.ts";

// RFC 9001 A.5 / RFC 9369 A.5: the ChaCha20-Poly1305 short header packet, PING, packet number 654360564 in 3
// bytes, empty DCID; the appendices print the protected packet and the key update secret.
const SECRET = unhex("9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b");

for (const [v2, packet, ku] of [
  [
    false,
    "4cfe4189655e5cd55c41f69080575d7999c25a5bfb",
    "1223504755036d556342ee9361d253421a826c9ecdf3c7148684b36b714881f9",
  ],
  [
    true,
    "5558b1c60ae7b6b932bc27d786f4bc2bb20f2162ba",
    "c69374c49e3d2a9466fa689e49d476db5d0dfbc87d32ceeaa6343fd0ae4c7d88",
  ],
] as const) {
  test(`the 1-RTT builder seals the RFC ${v2 ? "9369" : "9001"} A.5 packet byte for byte`, () => {
    const k = sealKeys(0x1303, SECRET, v2);
    const p = sealShort(k, { dcid: new Uint8Array(0), pn: 654360564, pnLen: 3, frames: Uint8Array.of(0x01) });
    assert.equal(tohex(p), packet);
    assert.equal(tohex(updatedKeys(k).secret), ku);
  });
}
