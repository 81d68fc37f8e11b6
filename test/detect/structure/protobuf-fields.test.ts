import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { isMessage, varintText } from "../../../src/detect/structure/protobuf-wire.ts";
import { enc, pbField, varint, walkAll } from "./structure-helpers.ts";

const fields = (msg: number[]) =>
  walkAll(Uint8Array.from(msg))
    .filter((v) => v.chain.length >= 2)
    .map(
      (v) => `${v.chainText.replace("http.body › ", "")} = ${v.leaf ? v.text : `<${v.data.length} bytes>`}`,
    );

describe("protobuf fields", () => {
  it("varints as unsigned decimal text, up to 64 bits", () => {
    const v = Uint8Array.from(varint(18446744073709551615n));
    assert.equal(varintText(v, 0, v.length), "18446744073709551615");
    const i = Uint8Array.from(varint(861234567890127n));
    assert.equal(varintText(i, 0, i.length), "861234567890127");
  });

  it("strings, nested messages, fixed64 doubles that look like coordinates, opaque compressed bytes", () => {
    const gz = gzipSync(enc("compressed text"));
    const msg = [
      ...pbField(1, "hello world"),
      ...pbField(
        2,
        Uint8Array.from([...pbField(1, { double: 39.9042 }), ...pbField(2, { double: 116.4074 })]),
      ),
      ...pbField(3, 150),
      ...pbField(4, gz),
    ];
    const got = fields(msg);
    assert.ok(got.includes("protobuf 1 = hello world"));
    assert.ok(got.includes("protobuf 2.1 = 39.9042"));
    assert.ok(got.includes("protobuf 2.2 = 116.4074"));
    assert.ok(got.includes("protobuf 3 = 150"));
    assert.ok(got.includes(`protobuf 4 = <${gz.length} bytes>`));
    const unzipped = walkAll(Uint8Array.from(msg)).find(
      (v) => v.chainText === "http.body › protobuf 4 › gzip",
    );
    assert.equal(unzipped?.text, "compressed text");
  });

  it("rejects groups, bad wire types, field 0 and lengths past the end", () => {
    assert.equal(isMessage(Uint8Array.from([0x0b, 0x0c])), false); // group start/end
    assert.equal(isMessage(Uint8Array.from([0x0e, 0x01])), false); // wire type 6
    assert.equal(isMessage(Uint8Array.from([0x00, 0x01])), false); // field 0
    assert.equal(isMessage(Uint8Array.from([0x0a, 0x05, 0x61])), false); // length 5, 1 byte left
    assert.equal(isMessage(Uint8Array.from([0x08, 0x96, 0x01])), true); // field 1 = 150
  });
});
