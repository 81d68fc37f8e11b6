import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_HISTORY, QuicSession } from "../../../src/decode/quic/quic-session.ts";

const id = {
  ts: 5,
  uid: "Cx",
  community_id: "1:y",
  orig_h: "10.0.0.2",
  orig_p: 5353,
  resp_h: "10.0.0.1",
  resp_p: 443,
};

test("letters are upper case for the client, lower case for the server, and stop at 100 (Zeek's limit)", () => {
  const s = new QuicSession(7, "1");
  s.add("I", true);
  s.add("I", false);
  assert.equal(s.toRecord(id).history, "Ii");
  for (let i = 0; i < 200; i++) s.add("O", i % 2 === 0);
  assert.equal(s.toRecord(id).history.length, MAX_HISTORY);
  assert.ok(s.historyFull());
});

test("the record takes the connection's identity, the handshake's time, and omits what was not seen", () => {
  const s = new QuicSession(7, "quicv2");
  const bare = s.toRecord(id);
  assert.deepEqual(bare, {
    type: "quic",
    ts: 7,
    uid: "Cx",
    community_id: "1:y",
    orig_h: "10.0.0.2",
    orig_p: 5353,
    resp_h: "10.0.0.1",
    resp_p: 443,
    version: "quicv2",
    history: "",
    decrypted_initial: false,
    decrypted: false,
  });
  s.clientScid = "";
  s.alpn = ["h3", "h3-29"];
  s.serverName = "example.com";
  const r = s.toRecord(id);
  assert.equal(r.client_scid, "", "a zero-length SCID is kept, as Zeek's (empty)");
  assert.equal(r.client_protocol, "h3");
  assert.deepEqual(r.alpn, ["h3", "h3-29"]);
  assert.equal(r.server_name, "example.com");
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r, "JSON-safe");
});
