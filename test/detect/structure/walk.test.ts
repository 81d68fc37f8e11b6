import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deflateSync, gzipSync } from "node:zlib";
import { enc, pbField, walkAll, withChain, zstdRaw } from "./structure-helpers.ts";

const SECRET = "861234567890127";
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString("base64");

describe("walkPayload: chains", () => {
  it("visits the payload first, as a non-leaf with the root step", () => {
    const views = walkAll(enc("plain text"), "raw.stream");
    assert.equal(views.length, 1);
    assert.equal(views[0].chainText, "raw.stream");
    assert.equal(views[0].leaf, false);
    assert.equal(views[0].field, "body");
  });

  it("http.body › gzip › json $.data.d › base64", () => {
    const body = gzipSync(JSON.stringify({ data: { x: 1, d: b64(`imei=${SECRET}`) } }));
    const hit = withChain(walkAll(body), "http.body › gzip › json $.data.d › base64");
    assert.equal(hit.length, 1);
    assert.equal(hit[0].text, `imei=${SECRET}`);
    assert.equal(hit[0].field, "json:$.data.d");
    assert.equal(hit[0].key, "d");
  });

  it("zlib and zstd by magic", () => {
    const z = withChain(walkAll(deflateSync(enc(`{"imei":"${SECRET}"}`))), "http.body › zlib › json $.imei");
    assert.equal(z[0]?.text, SECRET);
    const zs = withChain(walkAll(zstdRaw(enc(`a=${SECRET}`))), "http.body › zstd › form a");
    assert.equal(zs[0]?.text, SECRET);
  });

  it("depth 4 and more: form › base64 › json › base64 › gzip › json", () => {
    const inner = b64(gzipSync(JSON.stringify({ imei: SECRET })));
    const body = `v=2&d=${encodeURIComponent(b64(JSON.stringify({ z: inner })))}`;
    const chain = "http.body › form d › base64 › json $.z › base64 › gzip › json $.imei";
    assert.equal(withChain(walkAll(enc(body)), chain)[0]?.text, SECRET);
  });

  it("query strings in the URI and in URL-valued leaves", () => {
    const uri = walkAll(enc(`/api/v1?imei=${SECRET}&name=Li+Wei&e=a%40b.c#top`), "http.uri");
    assert.equal(withChain(uri, "http.uri › query imei")[0]?.text, SECRET);
    assert.equal(withChain(uri, "http.uri › query name")[0]?.text, "Li Wei");
    assert.equal(withChain(uri, "http.uri › query e")[0]?.text, "a@b.c");
    assert.equal(withChain(uri, "http.uri › query e")[0]?.field, "query:e");
    const leaf = walkAll(enc(JSON.stringify({ cb: `https://t.example/p?id=${SECRET}` })));
    assert.equal(withChain(leaf, "http.body › json $.cb › query id")[0]?.text, SECRET);
  });

  it("a JSON string leaf that is itself JSON is walked as nested JSON", () => {
    const body = JSON.stringify({ payload: JSON.stringify({ dev: { imei: SECRET } }) });
    assert.equal(
      withChain(walkAll(enc(body)), "http.body › json $.payload › json $.dev.imei")[0]?.text,
      SECRET,
    );
  });

  it("hex strings of text", () => {
    const body = JSON.stringify({ h: Buffer.from(`IMEI:${SECRET}`).toString("hex").toUpperCase() });
    assert.equal(withChain(walkAll(enc(body)), "http.body › json $.h › hex")[0]?.text, `IMEI:${SECRET}`);
  });

  it("protobuf varint inside nested messages, as decimal text with the field path", () => {
    const msg = Uint8Array.from([
      ...pbField(2, "com.example.app"),
      ...pbField(
        1,
        Uint8Array.from([...pbField(7, 5), ...pbField(3, Uint8Array.from(pbField(2, 861234567890127n)))]),
      ),
    ]);
    const hit = withChain(walkAll(msg), "http.body › protobuf 1.3.2");
    assert.equal(hit[0]?.text, SECRET);
    assert.equal(hit[0]?.field, "protobuf:1.3.2");
    assert.equal(hit[0]?.key, "2");
    assert.equal(withChain(walkAll(msg), "http.body › protobuf 2")[0]?.text, "com.example.app");
  });

  it("multipart with the boundary from a Content-Type header, and from the body", () => {
    const parts = (b: string) =>
      `--${b}\r\nContent-Disposition: form-data; name="imei"\r\n\r\n${SECRET}\r\n` +
      `--${b}\r\nContent-Disposition: form-data; name="meta"; filename="m.json"\r\n` +
      `Content-Type: application/json\r\n\r\n{"p":"${SECRET}"}\r\n--${b}--\r\n`;
    const withHeader = walkAll(enc(`preamble\r\n${parts("AaB03x")}`), "http.body", {
      contentType: 'multipart/form-data; boundary="AaB03x"',
    });
    assert.equal(withChain(withHeader, "http.body › multipart imei")[0]?.text, SECRET);
    assert.equal(withChain(withHeader, "http.body › multipart meta › json $.p")[0]?.text, SECRET);
    const sniffed = walkAll(enc(parts("----WebKitFormBoundary7MA4YWxk")));
    const imei = withChain(sniffed, "http.body › multipart imei")[0];
    assert.equal(imei?.text, SECRET);
    assert.equal(imei?.field, "multipart:imei");
    assert.equal(imei?.leaf, true);
    assert.equal(withChain(sniffed, "http.body › multipart meta")[0]?.leaf, false);
  });
});

describe("walkPayload: bounds", () => {
  it("stops at maxDepth", () => {
    let s = SECRET;
    for (let i = 0; i < 8; i++) s = JSON.stringify({ n: s });
    const views = walkAll(enc(s), "http.body", { maxDepth: 3 });
    assert.ok(views.every((v) => v.chain.length <= 4));
    assert.ok(views.some((v) => v.chain.length === 4));
  });

  it("stops at maxViews and reports it once", () => {
    const weirds: string[] = [];
    const body = JSON.stringify(Array.from({ length: 100 }, (_, i) => i));
    const views = walkAll(enc(body), "http.body", { maxViews: 10, onWeird: (n) => weirds.push(n) });
    assert.equal(views.length, 10);
    assert.deepEqual(weirds, ["structure_view_limit"]);
  });

  it("caps decompression (a gzip bomb stops at maxDecompressed)", () => {
    const weirds: string[] = [];
    const bomb = gzipSync(new Uint8Array(50 * 1024 * 1024));
    const views = walkAll(bomb, "http.body", { maxDecompressed: 1 << 20, onWeird: (n) => weirds.push(n) });
    const out = withChain(views, "http.body › gzip")[0];
    assert.ok(out && out.data.length <= 1 << 20);
    assert.ok(weirds.includes("structure_decompressed_size_limit"));
  });

  it("random bytes give only the payload view, quickly", () => {
    const data = new Uint8Array(1 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 13;
    data[0] = 0x17; // a TLS record type byte, not a protobuf tag
    const t = performance.now();
    const views = walkAll(data, "raw.stream");
    assert.ok(performance.now() - t < 50);
    assert.equal(views.length, 1);
  });
});
