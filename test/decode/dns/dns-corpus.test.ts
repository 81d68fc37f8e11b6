// The shared corpus against tshark: for every capture where tshark dissects DNS, each DNS frame's question
// names and transaction id equal tshark's `dns.qry.name` / `dns.id`, and each response's answer section
// equals tshark's (owner, type, TTL, and the data of A/AAAA/CNAME/PTR). The forward-pointer fuzz capture
// (tshark: malformed) must end as weirds, quickly.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";
import { runCapture } from "../../../src/app/capture-run.ts";
import { dnsDecoder } from "../../../src/decode/dns/dns-decoder.ts";
import { typeName } from "../../../src/decode/dns/dns-types.ts";
import { NameTable } from "../../../src/decode/dns/name-table.ts";
import type { DnsRecord } from "../../../src/model/dns.ts";
import { corpusPath, NO_CORPUS } from "../../helpers/corpus.ts";
import { NO_TSHARK } from "../../helpers/tshark.ts";

const run = promisify(execFile);
const SKIP = NO_CORPUS || NO_TSHARK;

/** Corpus captures where tshark shows DNS (found with `tshark -Y dns` over the whole corpus), minus the fuzz
 *  files tshark itself calls malformed; `decodeAs` tells tshark about DNS on a port it does not know. */
const FILES: { path: string; decodeAs?: string }[] = [
  { path: "tcpdump-tests/tests/dns_tcp.pcap" },
  { path: "tcpdump-tests/tests/dns_udp.pcap" },
  { path: "tcpdump-tests/tests/dns_udp_2.pcap" },
  { path: "tcpdump-tests/tests/dns_tcp_8053.pcap", decodeAs: "tcp.port==8053,dns" },
  { path: "tcpdump-tests/tests/edns-opts.pcap" },
  { path: "tcpdump-tests/tests/dns-badcookie.pcap" },
  { path: "tcpdump-tests/tests/dnssec.pcap" },
  { path: "tcpdump-tests/tests/nflog.pcap" },
  { path: "tcpdump-tests/tests/LINKTYPE_RAW_ipv4.pcap" },
  { path: "tcpdump-tests/tests/LINKTYPE_RAW_ipv6.pcap" },
  { path: "tcpdump-tests/tests/time_2039.pcap" },
  { path: "tcpdump-tests/tests/time_2107.pcapng" },
  { path: "tcpdump-tests/tests/arcnet-rfc1051-arp-icmp-http.pcap" },
  { path: "tcpdump-tests/tests/arcnet-rfc1201-arp-icmp-http.pcap" },
  { path: "tcpdump-tests/tests/ipv6_invalid_length_2.pcap" },
  { path: "libpcap-tests/tests/filter/http_PPI.pcap" },
  { path: "libpcap-tests/tests/filter/arcnet-rfc1051-arp-icmp-http.pcap" },
  { path: "zeek-traces/testing/btest/Traces/dns-svcb.pcap" },
  { path: "zeek-traces/testing/btest/Traces/dns53.pcap" },
  { path: "zeek-traces/testing/btest/Traces/ipv6-fragmented-dns.pcap" },
  { path: "zeek-traces/testing/btest/Traces/pcapng-multi-interface.pcapng" },
  { path: "zeek-traces/testing/btest/Traces/raw_packets.pcap" },
];

/** What our pipeline saw of one capture. */
interface Ours {
  recs: DnsRecord[];
  weirds: { name: string; frame?: number }[];
  /** Frames the packet decoder turned into TCP/UDP (others never reach a decoder). */
  transport: Set<number>;
}

const oursCache = new Map<string, Promise<Ours>>();

/** Our records for a capture (one run per file, shared by the tests). */
function ours(file: string): Promise<Ours> {
  let p = oursCache.get(file);
  if (!p) {
    p = runOurs(file);
    oursCache.set(file, p);
  }
  return p;
}

async function runOurs(file: string): Promise<Ours> {
  const o: Ours = { recs: [], weirds: [], transport: new Set() };
  await runCapture(file, {
    decoders: [dnsDecoder],
    onRecord: (r) => {
      if (r.type === "dns") o.recs.push(r as unknown as DnsRecord);
      if (r.type === "weird") o.weirds.push(r as { name: string; frame?: number });
    },
    onPacket: (p, kind) => {
      if (kind === "tcp" || kind === "udp") o.transport.add(p.frame);
    },
  });
  return o;
}

/** One DNS frame as tshark dissects it: ids and question names of its messages, answer sections as text. */
interface TheirFrame {
  ids: number[];
  names: string[];
  answers: string[];
  response: boolean;
}

/** One question or answer as tshark's JSON shows it. */
interface TsharkRr {
  "dns.qry.name"?: string;
  "dns.resp.name": string;
  "dns.resp.type": string;
  "dns.resp.ttl": string;
  "dns.a"?: string;
  "dns.aaaa"?: string;
  "dns.cname"?: string;
  "dns.ptr.domain_name"?: string;
}

/** One tshark pass per capture (JSON of every DNS frame), shared by the tests; at most 2 at a time. */
const theirCache = new Map<string, Promise<Map<number, TheirFrame>>>();
let running = 0;
const waiting: (() => void)[] = [];

function theirs(file: string, decodeAs?: string): Promise<Map<number, TheirFrame>> {
  let p = theirCache.get(file);
  if (!p) {
    p = limited(() => runTheirs(file, decodeAs));
    theirCache.set(file, p);
  }
  return p;
}

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

async function runTheirs(file: string, decodeAs?: string): Promise<Map<number, TheirFrame>> {
  const args = [
    "-r",
    file,
    "-T",
    "json",
    "-J",
    "frame dns",
    "--no-duplicate-keys",
    "-Y",
    "dns && !_ws.malformed",
  ];
  if (decodeAs) args.push("-d", decodeAs);
  const { stdout } = await run("tshark", args, { maxBuffer: 256 << 20 });
  const m = new Map<number, TheirFrame>();
  for (const pkt of JSON.parse(stdout || "[]")) {
    const layers = pkt._source.layers;
    const f: TheirFrame = { ids: [], names: [], answers: [], response: false };
    for (const dns of [layers.dns].flat()) {
      f.ids.push(Number.parseInt(dns["dns.id"], 16));
      f.response = dns["dns.flags_tree"]?.["dns.flags.response"] === "1";
      const questions = Object.values(dns.Queries ?? {}).flat() as TsharkRr[];
      f.names.push(...questions.map((q) => root(q["dns.qry.name"] ?? "")));
      const answers = Object.values(dns.Answers ?? {}).flat() as TsharkRr[];
      f.answers.push(...answers.map(tsharkAnswerText));
    }
    m.set(Number(layers.frame["frame.number"]), f);
  }
  return m;
}

function root(name: string): string {
  return name === "<Root>" ? "." : name;
}

function tsharkAnswerText(a: TsharkRr): string {
  const data = a["dns.a"] ?? a["dns.aaaa"] ?? a["dns.cname"] ?? a["dns.ptr.domain_name"] ?? "";
  return `${root(a["dns.resp.name"])} ${typeName(Number(a["dns.resp.type"]))} ${a["dns.resp.ttl"]} ${data}`;
}

function ourAnswerText(a: { name: string; type: string; ttl: number; data: string }): string {
  const shown = ["A", "AAAA", "CNAME", "PTR"].includes(a.type) ? a.data : "";
  return `${a.name} ${a.type} ${a.ttl} ${shown}`;
}

/** Our question names and ids per frame (a record's names belong to its query frame and its response frame). */
function ourFrames(recs: DnsRecord[]): Map<number, { ids: number[]; names: string[] }> {
  const m = new Map<number, { ids: number[]; names: string[] }>();
  for (const r of recs) {
    const names = r.queries ?? (r.query !== undefined ? [r.query] : []);
    for (const f of [r.query_frame, r.response_frame]) {
      if (f === undefined) continue;
      const e = m.get(f) ?? { ids: [], names: [] };
      e.ids.push(r.trans_id);
      e.names.push(...names);
      m.set(f, e);
    }
  }
  return m;
}

const sorted = (xs: readonly (string | number)[]) => [...xs].sort();

// tshark starts slowly (~0.5 s a run): start every run now, two at a time, while the tests consume them.
if (!SKIP) for (const { path, decodeAs } of FILES) theirs(corpusPath(path), decodeAs).catch(() => {});

for (const { path, decodeAs } of FILES) {
  test(`question names and ids per frame equal tshark's: ${path}`, { skip: SKIP }, async (t) => {
    const file = corpusPath(path);
    const [o, their] = await Promise.all([ours(file), theirs(file, decodeAs)]);
    const mine = ourFrames(o.recs);
    let compared = 0;
    for (const [frame, want] of their) {
      if (!o.transport.has(frame)) continue; // link type or IP header the spine does not decode
      compared++;
      const got = mine.get(frame);
      // tshark's JSON merges repeated keys, so compare each frame's names and ids as sorted lists.
      assert.deepEqual(sorted(got?.names ?? []), sorted(want.names), `frame ${frame} names`);
      assert.deepEqual(sorted(got?.ids ?? []), sorted(want.ids), `frame ${frame} ids`);
    }
    for (const frame of mine.keys())
      assert.ok(their.has(frame), `frame ${frame}: DNS for us, not for tshark`);
    if (compared === 0)
      t.diagnostic("no DNS frame reached the decoder: the spine does not decode this capture's frames");
    else assert.equal(compared, their.size, "every DNS frame tshark sees was compared");
  });
}

test("answer sections equal tshark's: owner, type, TTL and address/name data", { skip: SKIP }, async () => {
  let responses = 0;
  for (const { path, decodeAs } of FILES) {
    const file = corpusPath(path);
    const [o, their] = await Promise.all([ours(file), theirs(file, decodeAs)]);
    for (const r of o.recs) {
      if (r.response_frame === undefined) continue;
      responses++;
      const want = sorted(their.get(r.response_frame)?.answers ?? []);
      assert.deepEqual(
        sorted((r.answer_records ?? []).map(ourAnswerText)),
        want,
        `${path} frame ${r.response_frame}`,
      );
    }
  }
  assert.ok(responses >= 40, `${responses} responses compared`);
});

test("extended rcode: the BADCOOKIE response of dns-badcookie.pcap", { skip: SKIP }, async () => {
  const o = await ours(corpusPath("tcpdump-tests/tests/dns-badcookie.pcap"));
  // tshark: frame 2 header rcode 7 with OPT extended rcode 1, i.e. 23 (RFC 7873 §8 BADCOOKIE).
  const { stdout } = await run("tshark", [
    "-r",
    corpusPath("tcpdump-tests/tests/dns-badcookie.pcap"),
    "-Y",
    "frame.number==2",
    "-T",
    "fields",
    "-e",
    "dns.flags.rcode",
    "-e",
    "dns.resp.ext_rcode",
  ]);
  const [rcode, ext] = stdout.trim().split("\t").map(Number);
  const rec = o.recs.find((r) => r.response_frame === 2);
  assert.equal(rec?.rcode, (ext << 4) | rcode);
  assert.equal(rec?.rcode_name, "BADCOOKIE");
});

test("client subnets of edns-opts.pcap equal tshark's ECS fields", { skip: SKIP }, async () => {
  const file = corpusPath("tcpdump-tests/tests/edns-opts.pcap");
  const o = await ours(file);
  const args = [
    "-r",
    file,
    "-Y",
    "dns.flags.response==0 && dns.opt.client.family",
    "-T",
    "fields",
    "-e",
    "frame.number",
  ];
  for (const f of ["dns.opt.client.netmask", "dns.opt.client.addr4", "dns.opt.client.addr6"])
    args.push("-e", f);
  const { stdout } = await run("tshark", args);
  const rows = stdout.trim().split("\n").filter(Boolean);
  assert.ok(rows.length > 0);
  for (const row of rows) {
    const [frame, mask, v4, v6] = row.split("\t");
    const rec = o.recs.find((r) => r.query_frame === Number(frame));
    const [addr, prefix] = (rec?.edns_client_subnet ?? "/").split("/");
    assert.equal(prefix, mask, `frame ${frame}`);
    assert.ok(
      addr === v4 || addr === v6 || (v6 && addr.startsWith(v6.replace(/::$/, ""))),
      `frame ${frame}: ${addr} vs ${v4 || v6}`,
    );
  }
});

test("the name table names 23.194.101.24 by the whole CNAME chain tshark shows", { skip: SKIP }, async () => {
  const file = corpusPath("zeek-traces/testing/btest/Traces/pcapng-multi-interface.pcapng");
  const o = await ours(file);
  const { stdout } = await run("tshark", [
    "-r",
    file,
    "-Y",
    "dns.a == 23.194.101.24",
    "-T",
    "fields",
    "-e",
    "dns.resp.name",
    "-E",
    "occurrence=a",
    "-E",
    "aggregator=|",
  ]);
  // The additional section's OPT record (owner <Root>) is not part of the chain.
  const chain = new Set(
    stdout
      .trim()
      .split("|")
      .filter((n) => n !== "<Root>"),
  );
  const t = new NameTable();
  for (const r of o.recs) t.add(r);
  const rec = o.recs.find((r) => r.answers.includes("23.194.101.24"))!;
  assert.deepEqual(new Set(t.namesFor("23.194.101.24", rec.ts + (rec.rtt ?? 0))), chain);
});

test("dns_fwdptr.pcap (forward-pointer fuzz): weirds, no record, no hang", { skip: NO_CORPUS }, async () => {
  const start = performance.now();
  const o = await ours(corpusPath("tcpdump-tests/tests/dns_fwdptr.pcap"));
  assert.ok(performance.now() - start < 5000);
  assert.deepEqual(o.recs, []);
  assert.ok(o.weirds.some((w) => w.name === "dns_bad_pointer" && w.frame === 1));
});

test("malformed non-DNS that tshark's heuristics call DNS (someip1.pcap) makes no dns record", {
  skip: NO_CORPUS,
}, async () => {
  const o = await ours(corpusPath("tcpdump-tests/tests/someip1.pcap"));
  assert.deepEqual(o.recs, []);
});
