// Conformance over hadrielk/pcapng-test-generator: each case's .txt states its block counts and sequence;
// capinfos (Wireshark) states the section options and per-interface details. Both are oracles here.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CaptureError } from "../../src/capture/capture-events.ts";
import { readCapture } from "../../src/capture/read-capture.ts";
import { corpusFiles, NO_CORPUS } from "../helpers/corpus.ts";
import { recorder, type Seen } from "./parse-helpers.ts";

const HAS_CAPINFOS = spawnSync("capinfos", ["-v"], { stdio: "ignore" }).status === 0;
const BLOCK_NAMES: Record<string, number> = {
  SHB: 0x0a0d0d0a,
  IDB: 1,
  PB: 2,
  SPB: 3,
  NRB: 4,
  ISB: 5,
  EPB: 6,
  DSB: 0x0a,
  CB: 0xbad,
  DCB: 0x40000bad,
};
/** Wireshark's short encapsulation names for the link types these files use. */
const WTAP_SHORT: Record<number, string> = { 0: "null", 1: "ether" };

interface CaseText {
  description: string;
  counts: Record<string, number>;
  sequence: string[];
}

/** Parses a generator .txt: `Description:`, `Block counts:` (tab-indented `NAME: n`), `Block sequence:`. */
function parseCaseText(text: string): CaseText {
  const description = /^Description:\s*(.*)$/m.exec(text)?.[1] ?? "";
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^\t(\w+): (\d+)$/gm)) counts[m[1]] = Number(m[2]);
  const seq = /^Block sequence:\s*(.*)$/m.exec(text)?.[1] ?? "";
  return { description, counts, sequence: seq.split(",").map((s) => s.trim()) };
}

const cases = corpusFiles("hadrielk-pcapng-test-generator", /\.pcapng$/);

test("hadrielk corpus holds both byte orders, basic and advanced", { skip: NO_CORPUS }, () => {
  assert.ok(cases.some((f) => f.includes("output_le/advanced")));
  assert.ok(cases.some((f) => f.includes("output_be/basic")));
  assert.ok(cases.length >= 40, `${cases.length} cases`);
});

for (const file of cases) {
  const name = file.slice(file.indexOf("output_"));
  test(`hadrielk ${name} matches its .txt`, async () => {
    const spec = parseCaseText(readFileSync(file.replace(/\.pcapng$/, ".txt"), "utf8"));
    const { seen, handler } = recorder();
    if (/invalid|corrupt|malformed|bad/i.test(spec.description)) {
      // A case its author calls invalid must be refused or flagged, never read silently.
      const err = await readCapture(file, handler).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof CaptureError || seen.problems.length > 0, spec.description);
      return;
    }
    await readCapture(file, handler, { onBlock: (t) => seen.blocks.push(t) });
    assert.deepEqual(seen.problems, []);
    assert.deepEqual(
      seen.blocks,
      spec.sequence.map((b) => BLOCK_NAMES[b] ?? assert.fail(`unknown block name ${b}`)),
    );
    const c = (k: string) => spec.counts[k] ?? 0;
    assert.equal(seen.sections.length, c("SHB"));
    assert.equal(seen.ifaces.length, c("IDB"));
    assert.equal(seen.packets.length, c("EPB") + c("SPB") + c("PB"));
    assert.equal(seen.names.length, c("NRB"));
    assert.equal(seen.stats.length, c("ISB"));
    assert.equal(seen.secrets.length, c("DSB"));
    assert.equal(seen.custom.filter((x) => x.copyable).length, c("CB"));
    assert.equal(seen.custom.filter((x) => !x.copyable).length, c("DCB"));
  });

  test(`hadrielk ${name} matches capinfos`, {
    skip: !HAS_CAPINFOS && "capinfos is not installed",
  }, async () => {
    const { seen, handler } = recorder();
    await readCapture(file, handler);
    const info = parseCapinfos(spawnSync("capinfos", ["-M", file], { encoding: "utf8" }).stdout);
    compareSection(seen, info);
    assert.equal(seen.ifaces.length, info.ifaces.length, "interface count");
    for (let n = 0; n < seen.ifaces.length; n++) compareIface(seen, n, info.ifaces[n]);
    const v4 = seen.names.flat().filter((r) => !r.address.includes(":")).length;
    const v6 = seen.names.flat().filter((r) => r.address.includes(":")).length;
    assert.equal(v4, Number(info.top["Number of resolved IPv4 addresses in file"] ?? 0));
    assert.equal(v6, Number(info.top["Number of resolved IPv6 addresses in file"] ?? 0));
  });
}

interface Capinfos {
  top: Record<string, string>;
  comments: string[];
  ifaces: Record<string, string[]>[];
}

/** capinfos' verbose text: `Key: value` lines, then `Interface #n info:` with `Key = value` lines. */
function parseCapinfos(text: string): Capinfos {
  const out: Capinfos = { top: {}, comments: [], ifaces: [] };
  let last: { list: string[] } | undefined;
  for (const line of text.split("\n")) {
    const kv = /^\s{2,}([A-Za-z][\w -]*?) = (.*)$/.exec(line);
    const top = /^([A-Z][\w -]*?):\s+(.*)$/.exec(line);
    if (/^Interface #\d+ info:$/.test(line)) {
      out.ifaces.push({});
      last = undefined;
    } else if (kv && out.ifaces.length > 0) {
      const cur = out.ifaces[out.ifaces.length - 1];
      cur[kv[1]] ??= [];
      cur[kv[1]].push(kv[2]);
      last = { list: cur[kv[1]] };
    } else if (top) {
      if (top[1] === "Capture comment") out.comments.push(top[2]);
      else out.top[top[1]] = top[2];
      last = top[1] === "Capture comment" ? { list: out.comments } : undefined;
    } else if (last && line.length > 0) {
      // A value with a newline in it continues on the next lines, unindented.
      last.list[last.list.length - 1] += `\n${line}`;
    }
  }
  return out;
}

const noCr = (s: string) => s.replaceAll("\r", "");

function compareSection(seen: Seen, info: Capinfos): void {
  const s = seen.sections[0];
  assert.equal(s.options.shb_hardware, info.top["Capture hardware"]);
  assert.equal(s.options.shb_os, info.top["Capture oper-sys"]);
  assert.equal(s.options.shb_userappl, info.top["Capture application"]);
  assert.deepEqual(s.comments.map(noCr), info.comments.map(noCr));
}

function compareIface(seen: Seen, n: number, ref: Record<string, string[]>): void {
  const i = seen.ifaces[n];
  const one = (k: string) => ref[k]?.[0];
  const msg = `interface ${n}`;
  assert.equal(
    `(${i.linkType === 0 ? 15 : i.linkType} - ${WTAP_SHORT[i.linkType]})`,
    /\(.*\)/.exec(one("Encapsulation") ?? "")?.[0],
    msg,
  );
  assert.equal(String(i.snapLen), one("Capture length"), msg);
  assert.equal(String(i.tsResolution), one("Time ticks per second"), msg);
  assert.equal(i.options.if_name, one("Name"), msg);
  assert.equal(i.options.if_description, one("Description"), msg);
  assert.equal(i.options.if_os, one("Operating system"), msg);
  assert.equal(i.options.if_filter, one("Filter string"), msg);
  assert.equal(i.options.if_speed, one("Speed"), msg);
  if (one("Timestamp offset") !== undefined) assert.equal(String(i.tsOffset), one("Timestamp offset"), msg);
  if (one("FCS length") !== undefined) assert.equal(String(i.fcsLen), one("FCS length"), msg);
  assert.deepEqual(i.comments.map(noCr), (ref.Comment ?? []).map(noCr), msg);
  assert.equal(seen.stats.filter((s) => s.iface === n).length, Number(one("Number of stat entries")), msg);
  assert.equal(seen.packets.filter((p) => p.iface === n).length, Number(one("Number of packets")), msg);
}

test("frame numbers count custom blocks as Wireshark does (test018: CB/DCB among SPB/EPB)", {
  skip: NO_CORPUS,
}, async () => {
  // Block sequence from test018.txt: SHB, IDB, CB, SPB, EPB, DCB, SPB, CB, EPB, DCB — Wireshark numbers every
  // block after the IDB as a frame, so the four packets are frames 2, 3, 5 and 7.
  for (const order of ["output_le", "output_be"]) {
    const file = cases.find((f) => f.includes(`${order}/basic/test018.pcapng`));
    assert.ok(file, `${order}/basic/test018.pcapng`);
    const { seen, handler } = recorder();
    await readCapture(file, handler);
    assert.deepEqual(
      seen.packets.map((p) => p.frame),
      [2, 3, 5, 7],
    );
  }
});
