// Certificate messages and X.509 leaf fields: the checked-in fixtures against the values openssl reported
// (and openssl itself, at test time, when installed), certificates minted by openssl at test time with
// planted names, TLS 1.3 message framing, and never-throws properties.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { parseCertificateMessage, parseX509 } from "../../../src/decode/tls/certificate.ts";
import { REPO_ROOT } from "../../helpers/corpus.ts";
import { be24, cat, certificateBody } from "./tls-build.ts";

const FIXTURES = join(REPO_ROOT, "test", "fixtures", "tls");
const SRV = new Uint8Array(readFileSync(join(FIXTURES, "srv.der")));
const CA = new Uint8Array(readFileSync(join(FIXTURES, "ca.der")));
const HAS_OPENSSL = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;
const NO_OPENSSL = HAS_OPENSSL ? false : "openssl is not installed";

test("srv.der: the fields openssl reported when the fixture was made (test/fixtures/tls/README.md)", () => {
  const c = parseX509(SRV);
  assert.ok(c);
  assert.equal(c.subjectCn, "api.telemetry.example");
  assert.equal(c.subjectO, "Example Telemetry Ltd");
  assert.equal(c.issuerCn, "Phonehome Test Root");
  assert.equal(c.issuerO, "Phonehome Test CA");
  assert.deepEqual(c.sanDns, ["api.telemetry.example", "*.push.example.net"]);
  assert.deepEqual(c.sanIp, ["192.0.2.7", "2001:db8::7"]);
  assert.equal(c.serial, "C0FFEE1234");
  assert.equal(c.notBefore, "2026-11-29T18:14:24Z");
  assert.equal(c.notAfter, "2029-03-03T18:14:24Z");
  assert.equal(c.selfIssued, false);
});

test("ca.der: a self-issued root", () => {
  const c = parseX509(CA);
  assert.ok(c);
  assert.equal(c.subjectCn, "Phonehome Test Root");
  assert.equal(c.issuerCn, "Phonehome Test Root");
  assert.equal(c.selfIssued, true);
  assert.equal(c.serial, "2BF5C0C7F8100B33E4053E08AEE69587189C262F");
  assert.deepEqual(c.sanDns, []);
});

test("fixtures agree with node's X509Certificate (OpenSSL underneath)", () => {
  for (const der of [SRV, CA]) {
    const x = new X509Certificate(der);
    const c = parseX509(der);
    assert.ok(c);
    assert.equal(c.serial, x.serialNumber);
    assert.equal(new Date(c.notAfter ?? "").getTime(), new Date(x.validTo).getTime());
    assert.equal(new Date(c.notBefore ?? "").getTime(), new Date(x.validFrom).getTime());
    assert.match(x.subject, new RegExp(`CN=${c.subjectCn?.replace(/\./g, "\\.")}`));
  }
});

/** Runs openssl with args in `dir`; returns stdout. */
function openssl(dir: string, args: string[]): string {
  const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

interface Minted {
  cn: string;
  dns: string[];
  ips: string[];
  key: string;
  noSan?: boolean;
}

const MINTED: Minted[] = [
  {
    cn: "imei-356938035643809.device.example",
    dns: ["a.example", "b.example.org"],
    ips: ["10.1.2.3"],
    key: "rsa",
  },
  { cn: "Ünïcode Telemetry", dns: ["xn--tlmtrie-b1a.example"], ips: ["fe80::1", "203.0.113.9"], key: "ec" },
  { cn: "nosan.example", dns: [], ips: [], key: "ec", noSan: true },
];

test("certificates minted by openssl now: planted names come back, serial and dates equal openssl's", {
  skip: NO_OPENSSL,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-x509-"));
  try {
    for (const [i, m] of MINTED.entries()) {
      const keyOpts =
        m.key === "rsa"
          ? ["-newkey", "rsa:1024"]
          : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
      const san = [...m.dns.map((d) => `DNS:${d}`), ...m.ips.map((ip) => `IP:${ip}`)].join(",");
      const ext = m.noSan ? [] : ["-addext", `subjectAltName=${san}`];
      openssl(dir, [
        "req",
        "-x509",
        ...keyOpts,
        "-nodes",
        "-keyout",
        `k${i}.pem`,
        "-out",
        `c${i}.der`,
        "-outform",
        "DER",
        "-days",
        "30",
        "-utf8",
        "-subj",
        `/O=Org ${i}/CN=${m.cn}`,
        ...ext,
      ]);
      const der = new Uint8Array(readFileSync(join(dir, `c${i}.der`)));
      const c = parseX509(der);
      assert.ok(c, m.cn);
      assert.equal(c.subjectCn, m.cn);
      assert.equal(c.issuerCn, m.cn);
      assert.equal(c.subjectO, `Org ${i}`);
      assert.equal(c.selfIssued, true);
      assert.deepEqual(c.sanDns, m.dns);
      assert.deepEqual(c.sanIp, m.ips);
      const serial = openssl(dir, ["x509", "-inform", "DER", "-in", `c${i}.der`, "-noout", "-serial"]);
      assert.equal(c.serial, serial.trim().replace(/^serial=/, ""));
      const end = openssl(dir, ["x509", "-inform", "DER", "-in", `c${i}.der`, "-noout", "-enddate"]);
      assert.equal(
        new Date(c.notAfter ?? "").getTime(),
        new Date(end.trim().replace(/^notAfter=/, "")).getTime(),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a v1 certificate (no version field, RFC 5280 §4.1.2.1) still parses", () => {
  // srv.der starts 30 82 LL LL (Certificate) 30 82 LL LL (TBSCertificate) a0 03 02 01 02 (version v3).
  assert.deepEqual([SRV[0], SRV[1], SRV[4], SRV[5], SRV[8], SRV[9]], [0x30, 0x82, 0x30, 0x82, 0xa0, 0x03]);
  const v1 = cat(SRV.subarray(0, 8), SRV.subarray(13));
  new DataView(v1.buffer).setUint16(2, new DataView(SRV.buffer, SRV.byteOffset).getUint16(2) - 5);
  new DataView(v1.buffer).setUint16(6, new DataView(SRV.buffer, SRV.byteOffset).getUint16(6) - 5);
  const c = parseX509(v1);
  assert.equal(c?.subjectCn, "api.telemetry.example");
  assert.equal(c?.serial, "C0FFEE1234");
});

test("TLS 1.2 Certificate message: leaf first, chain counted", () => {
  const list = parseCertificateMessage(certificateBody([SRV, CA]), false);
  assert.ok(list);
  assert.equal(list.count, 2);
  assert.equal(list.consistent, true);
  assert.deepEqual(list.leaf, SRV);
});

test("TLS 1.3 Certificate message: request context and per-entry extensions (RFC 8446 §4.4.2)", () => {
  const entry = (der: Uint8Array, ext: number[]) => cat(be24(der.length), der, [0, ext.length], ext);
  const entries = cat(entry(SRV, [0, 5, 0, 1, 0xaa]), entry(CA, []));
  const body = cat([2, 0xab, 0xcd], be24(entries.length), entries);
  const list = parseCertificateMessage(body, true);
  assert.ok(list);
  assert.equal(list.count, 2);
  assert.equal(list.consistent, true);
  assert.deepEqual(list.leaf, SRV);
});

test("a cut Certificate message keeps a whole leaf and says it is inconsistent", () => {
  const body = certificateBody([SRV, CA]);
  const cut = parseCertificateMessage(body.subarray(0, 3 + 3 + SRV.length + 10), false);
  assert.deepEqual(cut?.leaf, SRV);
  assert.equal(cut?.count, 1);
  assert.equal(cut?.consistent, false);
  const tooShort = parseCertificateMessage(body.subarray(0, 100), false);
  assert.equal(tooShort?.leaf, undefined);
  assert.equal(parseCertificateMessage(body.subarray(0, 2), false), undefined);
});

test("a truncated or mangled DER is undefined, never an exception", () => {
  for (let n = 0; n < SRV.length; n += 7)
    assert.equal(parseX509(SRV.subarray(0, n)), undefined, `cut at ${n}`);
  const indefinite = SRV.slice();
  indefinite[1] = 0x80; // indefinite length, forbidden in DER
  assert.equal(parseX509(indefinite), undefined);
});

test("property: random and mutated certificates never throw", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (b, tls13) => {
      parseX509(b);
      parseCertificateMessage(b, tls13);
    }),
    { numRuns: 10000 },
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(SRV.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      }),
      (flips) => {
        const b = SRV.slice();
        for (const [i, v] of flips) b[i] = v;
        parseX509(b);
      },
    ),
    { numRuns: 10000 },
  );
});
