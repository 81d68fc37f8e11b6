// The bundled example capture: up to date with its generator, small, and telling the 2014 story as tshark
// reads it (DNS answer, clear HTTP POSTs carrying each profile identifier, TLS with SNI, a CNNIC connection
// carrying none), with a profile that holds the same fake values.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { buildExample, EXAMPLE, luhnDigit, profileYaml } from "../../examples/make-example.ts";
import { writePcap } from "../helpers/capture-writer.ts";
import { REPO_ROOT } from "../helpers/corpus.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";

const PCAP = join(REPO_ROOT, "examples", "redmi-1s-2014.pcap");
const PROFILE = join(REPO_ROOT, "examples", "redmi-1s-2014.profile.yaml");

function tsharkFields(filter: string, fields: string[]): string[][] {
  const args = [
    "-r",
    PCAP,
    "-Y",
    filter,
    "-T",
    "fields",
    "-E",
    "occurrence=a",
    ...fields.flatMap((f) => ["-e", f]),
  ];
  const r = spawnSync("tshark", args, { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .trimEnd()
    .split("\n")
    .filter((l) => l)
    .map((l) => l.split("\t"));
}

/** Reassembled TCP payload of the conversation with `server`, both directions, as text. */
function streamText(server: string): string {
  const idx = tsharkFields(`ip.addr == ${server} && tcp`, ["tcp.stream"])[0][0];
  const r = spawnSync("tshark", ["-r", PCAP, "-q", "-z", `follow,tcp,raw,${idx}`], { encoding: "utf8" });
  const hex = r.stdout
    .split("\n")
    .filter((l) => /^\t?[0-9a-f]+$/.test(l))
    .map((l) => l.trim())
    .join("");
  return Buffer.from(hex, "hex").toString("latin1");
}

test("the IMEI's check digit is a valid Luhn digit", () => {
  // ISO/IEC 7812-1 test vector: 7992739871 takes check digit 3.
  assert.equal(luhnDigit("7992739871"), 3);
  assert.equal(EXAMPLE.imei.length, 15);
  assert.equal(Number(EXAMPLE.imei[14]), luhnDigit(EXAMPLE.imei.slice(0, 14)));
});

test("the committed capture and profile are what the generator makes, and small", () => {
  const { frames, linkType } = buildExample();
  const made = writePcap(frames, { linkType });
  const committed = readFileSync(PCAP);
  assert.ok(committed.length < 200 * 1024, `${committed.length} bytes`);
  assert.ok(
    Buffer.from(made).equals(committed),
    "examples/redmi-1s-2014.pcap is stale: run npm run example:make",
  );
  assert.equal(readFileSync(PROFILE, "utf8"), profileYaml());
});

test("the profile lists the identifiers under the keys the analyzer reads", () => {
  const text = readFileSync(PROFILE, "utf8");
  for (const key of [
    "device",
    "home_country",
    "imei",
    "imsi",
    "phone_number",
    "carrier",
    "contacts",
    "sms",
  ]) {
    assert.match(text, new RegExp(`^${key}:`, "m"), key);
  }
  for (const v of [
    EXAMPLE.imei,
    EXAMPLE.imsi,
    EXAMPLE.phone,
    EXAMPLE.carrier,
    "+8613800138003",
    "+8613800138004",
  ]) {
    assert.ok(text.includes(`"${v}"`), v);
  }
});

test("tshark reads the story: DNS, clear HTTP with every identifier, TLS SNI, CNNIC", {
  skip: NO_TSHARK,
}, () => {
  const dns = tsharkFields("dns.flags.response == 1", ["dns.qry.name", "dns.a"]);
  assert.deepEqual(
    dns.find((r) => r[0] === "api.account.xiaomi.com"),
    ["api.account.xiaomi.com", EXAMPLE.xiaomiApi],
  );
  const posts = tsharkFields("http.request.method == POST", [
    "ip.src",
    "ip.dst",
    "http.host",
    "http.request.uri",
  ]);
  assert.equal(posts.length, 2);
  for (const p of posts)
    assert.deepEqual(p.slice(0, 3), [EXAMPLE.phoneIp, EXAMPLE.xiaomiApi, "api.account.xiaomi.com"]);
  assert.ok(posts[0][3].includes(`imei=${EXAMPLE.imei}`));
  const form = tsharkFields("urlencoded-form", ["urlencoded-form.key", "urlencoded-form.value"])[0];
  assert.deepEqual(form, ["carrier,phone,imsi", `${EXAMPLE.carrier},13800138000,${EXAMPLE.imsi}`]);
  const json = tsharkFields("http.request && json", ["json.value.string"])[0][0].split(",");
  for (const v of [
    EXAMPLE.imei,
    EXAMPLE.phone,
    "+8613800138001",
    "+8613800138002",
    "+8613800138003",
    "+8613800138004",
  ]) {
    assert.ok(json.includes(v), v);
  }
  const sni = tsharkFields("tls.handshake.type == 1", ["ip.dst", "tls.handshake.extensions_server_name"]);
  assert.ok(sni.some((r) => r[0] === EXAMPLE.xiaomiTls && r[1] === "account.xiaomi.com"));
  const cnnic = streamText(EXAMPLE.cnnic);
  assert.ok(cnnic.startsWith("GET / HTTP/1.1"), cnnic.slice(0, 40));
  for (const v of [EXAMPLE.imei, EXAMPLE.imsi, "13800138", EXAMPLE.carrier]) assert.ok(!cnnic.includes(v), v);
  assert.deepEqual(
    tsharkFields(`dns.a == ${EXAMPLE.cnnic}`, ["frame.number"]),
    [],
    "no DNS lookup led there",
  );
});
