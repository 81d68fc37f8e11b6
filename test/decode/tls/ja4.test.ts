// JA4 against the published examples: FoxIO's JA4.md worked example (ja4, ja4_r, ja4_o, ja4_ro) and a
// browser fingerprint published with all four forms; plus GREASE, ALPN and empty-list rules of the spec.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { type ClientHello, parseClientHello } from "../../../src/decode/tls/client-hello.ts";
import { ja4, ja4Original, ja4Raw } from "../../../src/decode/tls/ja4.ts";
import { clientHelloBody, type Ext, extAlpn, extList16, extSni, extVersions } from "./tls-build.ts";

const h16 = (list: string) => (list === "" ? [] : list.split(",").map((x) => Number.parseInt(x, 16)));

/** A ClientHello with these ciphers, extensions (in order) and signature algorithms; ALPN h2, TLS 1.3. */
function hello(ciphers: string, exts: string, sigs: string, extra: { grease?: boolean } = {}): ClientHello {
  const list: Ext[] = h16(exts).map((t): Ext => {
    if (t === 0x0000) return extSni("example.com");
    if (t === 0x0010) return extAlpn(["h2", "http/1.1"]);
    if (t === 0x002b) return extVersions(extra.grease ? [0x3a3a, 0x0304, 0x0303] : [0x0304, 0x0303]);
    if (t === 0x000d) return extList16(13, extra.grease ? [0x5a5a, ...h16(sigs)] : h16(sigs));
    return [t, []];
  });
  const cs = h16(ciphers);
  if (extra.grease) {
    cs.unshift(0x8a8a);
    list.unshift([0xdada, []]);
    list.push([0x1a1a, [0]]);
  }
  const h = parseClientHello(clientHelloBody({ ciphers: cs, extensions: list }));
  assert.ok(h);
  return h;
}

// JA4.md, "Example" and "Raw Output" sections.
const SPEC = {
  ciphers: "1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035",
  exts: "001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015",
  sigs: "0403,0804,0401,0503,0805,0501,0806,0601",
  ja4: "t13d1516h2_8daaf6152771_e5627efa2ab1",
  ja4_o: "t13d1516h2_acb858a92679_18f69afefd3d",
  ja4_r:
    "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601",
  ja4_ro:
    "t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015_0403,0804,0401,0503,0805,0501,0806,0601",
};

test("JA4.md worked example: ja4, ja4_o, ja4_r, ja4_ro", () => {
  const h = hello(SPEC.ciphers, SPEC.exts, SPEC.sigs);
  assert.equal(ja4(h), SPEC.ja4);
  assert.equal(ja4Original(h), SPEC.ja4_o);
  assert.equal(ja4Raw(h), SPEC.ja4_r);
  assert.equal(ja4Raw(h, "t", true), SPEC.ja4_ro);
});

test("GREASE anywhere changes nothing (JA4.md: ignore GREASE values)", () => {
  const h = hello(SPEC.ciphers, SPEC.exts, SPEC.sigs, { grease: true });
  assert.equal(h.greaseCipherSuites, 1);
  assert.equal(ja4(h), SPEC.ja4);
  assert.equal(ja4Raw(h, "t", true), SPEC.ja4_ro);
});

test("a published browser fingerprint (Chrome 143, with ECH and ALPS): ja4 and ja4_o", () => {
  // ja4_ro as published beside ja4 t13d1516h2_8daaf6152771_d8a2da3f94cd and ja4_o ..._f96a17c57971.
  const ro =
    "t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_002d,0033,0010,fe0d,0017,44cd,0000,000b,000a,002b,ff01,0023,0012,0005,000d,001b_0403,0804,0401,0503,0805,0501,0806,0601";
  const [, ciphers, exts, sigs] = ro.split("_");
  const h = hello(ciphers, exts, sigs, { grease: true });
  assert.equal(ja4Raw(h, "t", true), ro);
  assert.equal(ja4(h), "t13d1516h2_8daaf6152771_d8a2da3f94cd");
  assert.equal(ja4Original(h), "t13d1516h2_acb858a92679_f96a17c57971");
});

const sha12 = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 12);

test("part a: QUIC letter, IP destination, TLS 1.2 from legacy_version, no ALPN", () => {
  const h = parseClientHello(
    clientHelloBody({ version: 0x0303, ciphers: [0xc02f, 0x009c], extensions: [extList16(10, [0x1d])] }),
  );
  assert.ok(h);
  assert.equal(ja4(h, "q"), `q12i020100_${sha12("009c,c02f")}_${sha12("000a")}`);
});

test("ALPN edge cases of JA4.md: one character, non-alphanumeric bytes use their hex", () => {
  const cases: [(string | number[])[], string][] = [
    [["h"], "hh"],
    [[[0xab]], "ab"],
    [[[0xab, 0xcd]], "ad"],
    [[[0x30, 0xab]], "3b"],
    [[[0x30, 0x31, 0xab, 0xcd]], "3d"],
    [[[0x30, 0xab, 0xcd, 0x31]], "01"],
  ];
  for (const [alpn, code] of cases) {
    const h = parseClientHello(clientHelloBody({ ciphers: [0x1301], extensions: [extAlpn(alpn)] }));
    assert.ok(h);
    assert.equal(ja4Raw(h).slice(8, 10), code, JSON.stringify(alpn));
  }
});

test("no ciphers or no extensions hash to twelve zeros; no signature algorithms drops the underscore", () => {
  const none = parseClientHello(clientHelloBody({ version: 0x0301, ciphers: [] }));
  assert.ok(none);
  assert.equal(ja4(none), "t10i000000_000000000000_000000000000");
  const onlySni = parseClientHello(clientHelloBody({ ciphers: [0x002f], extensions: [extSni("a.example")] }));
  assert.ok(onlySni);
  assert.equal(ja4(onlySni), `t12d010100_${sha12("002f")}_000000000000`);
  // JA4.md: with no signature algorithms "0005,000a,000b,000d,...,4469,ff01 = 6d807ffa2a79".
  const noSigs = hello(SPEC.ciphers, SPEC.exts, "");
  assert.deepEqual(noSigs.signatureAlgorithms, []);
  assert.equal(ja4(noSigs).split("_")[2], "6d807ffa2a79");
});

test("draft and unknown versions give 00", () => {
  const h = parseClientHello(clientHelloBody({ ciphers: [0x1301], extensions: [extVersions([0x7f1c])] }));
  assert.ok(h);
  assert.equal(ja4(h).slice(1, 3), "00");
});
