import assert from "node:assert/strict";
import { test } from "node:test";
import { V1 as QV1, V2 as QV2, sealInitial } from "./quic-builder.ts";
import { CLIENT_CRYPTO_FRAME, SAMPLE_DCID, SERVER_PAYLOAD, tohex, unhex, V1, V2 } from "./rfc-samples.ts";

// The test builder must reproduce the RFC samples byte for byte, or tests built on it prove nothing.
for (const [name, s, version] of [
  ["RFC 9001", V1, QV1],
  ["RFC 9369", V2, QV2],
] as const) {
  test(`the builder seals ${name} §A.2 and §A.3 exactly`, () => {
    const client = sealInitial({
      version,
      dcid: unhex(SAMPLE_DCID),
      scid: new Uint8Array(0),
      pn: 2,
      pnLen: 4,
      frames: unhex(CLIENT_CRYPTO_FRAME),
      padTo: 1200,
    });
    assert.equal(tohex(client), tohex(unhex(s.clientPacket)));
    const server = sealInitial({
      version,
      dcid: new Uint8Array(0),
      scid: unhex(s.serverScid),
      keyDcid: unhex(SAMPLE_DCID),
      server: true,
      pn: 1,
      pnLen: 2,
      frames: unhex(SERVER_PAYLOAD),
    });
    assert.equal(tohex(server), tohex(unhex(s.serverPacket)));
  });
}
