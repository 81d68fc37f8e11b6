// The HAR reader against real files: mitmproxy's own import of each HAR (the `.json` beside it) is the
// oracle for exchanges; the sitespeed.io HARs are checked against their entries read independently.
// Plus unreadable inputs (CaptureError with offset) and properties: only CaptureError ever escapes.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { CaptureError } from "../../src/capture/capture-events.ts";
import { HAR_WEIRD_NAMES } from "../../src/capture/har-entry.ts";
import { parseHar, readHar } from "../../src/capture/har-reader.ts";
import type { HttpExchange, HttpHeader } from "../../src/model/http-message.ts";
import type { WeirdRecord } from "../../src/model/weird.ts";
import { corpusPath, NO_CORPUS, REPO_ROOT } from "../helpers/corpus.ts";

const MITM = ["mitmproxy-testdata", "test", "mitmproxy", "data"];
const HAR_FILES = [...MITM, "har_files"];

async function collect(file: string, opts = {}) {
  const xs: HttpExchange[] = [];
  const weirds: Omit<WeirdRecord, "type">[] = [];
  const summary = await readHar(file, (x) => xs.push(x), { ...opts, weird: (w) => weirds.push(w) });
  return { xs, weirds, summary };
}

async function captureError(p: Promise<unknown>): Promise<CaptureError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof CaptureError, `expected a CaptureError, got ${e}`);
    return e;
  }
  assert.fail("expected a CaptureError");
}

interface MitmMessage {
  method?: string;
  scheme?: string;
  host?: string;
  port?: number;
  path?: string;
  status_code?: number;
  reason?: string;
  headers: [string, string][];
  contentLength: number;
  contentHash: string;
  timestamp_start: number;
}
interface MitmFlow {
  request: MitmMessage;
  response: MitmMessage;
  server_conn: { address: [string, number] | null };
}

// mitmproxy rewrites framing headers on import: it adds Content-Length for the content it stores and drops
// Content-Encoding because HAR content is already decoded. Those two are not compared.
const FRAMING = new Set(["content-length", "content-encoding"]);
const comparable = (hs: readonly HttpHeader[] | [string, string][]): [string, string][] =>
  hs
    .map((h) => (Array.isArray(h) ? h : [h.name, h.value]) as [string, string])
    .filter(([n]) => !FRAMING.has(n));

function sameBody(body: Uint8Array | undefined, m: MitmMessage, what: string): void {
  const bytes = body ?? new Uint8Array(0);
  assert.equal(bytes.length, m.contentLength, `${what} body length`);
  assert.equal(createHash("sha256").update(bytes).digest("hex"), m.contentHash, `${what} body sha256`);
}

function sameAsMitmproxy(x: HttpExchange, f: MitmFlow, i: number): void {
  const at = `flow ${i}`;
  const r = x.request;
  assert.equal(x.index, i + 1);
  assert.deepEqual(
    [r.method, r.scheme, r.host, r.port, r.path],
    [f.request.method, f.request.scheme, f.request.host, f.request.port, f.request.path],
    at,
  );
  assert.ok(Math.abs(r.ts - f.request.timestamp_start) < 1e-6, `${at} ts`);
  assert.deepEqual(comparable(r.headers), comparable(f.request.headers), `${at} request headers`);
  sameBody(r.body, f.request, `${at} request`);
  const s = x.response!;
  assert.equal(s.status, f.response.status_code, `${at} status`);
  // mitmproxy fills an empty reason from the status code; compare only reasons the HAR wrote.
  if (s.statusText !== "") assert.equal(s.statusText, f.response.reason, `${at} reason`);
  assert.deepEqual(comparable(s.headers), comparable(f.response.headers), `${at} response headers`);
  sameBody(s.body, f.response, `${at} response`);
  assert.equal(x.serverIp, f.server_conn.address?.[0], `${at} server address`);
}

for (const name of ["chrome", "firefox", "postdata", "with-bom"]) {
  test(`${name}.har equals mitmproxy's import of it`, { skip: NO_CORPUS }, async () => {
    const flows = JSON.parse(readFileSync(corpusPath(...HAR_FILES, `${name}.json`), "utf8")) as MitmFlow[];
    const { xs, weirds, summary } = await collect(corpusPath(...HAR_FILES, `${name}.har`));
    assert.deepEqual(weirds, []);
    assert.equal(xs.length, flows.length);
    assert.equal(summary.entries, flows.length);
    for (const [i, x] of xs.entries()) sameAsMitmproxy(x, flows[i]!, i);
  });
}

test("Chrome extras: connection id, transfer size, resource type", { skip: NO_CORPUS }, async () => {
  const har = JSON.parse(readFileSync(corpusPath(...HAR_FILES, "postdata.har"), "utf8"));
  const e = har.log.entries[0];
  const { xs, summary } = await collect(corpusPath(...HAR_FILES, "postdata.har"));
  assert.equal(xs[0]!.connectionId, e.connection);
  assert.equal(xs[0]!.transferSize, e.response._transferSize);
  assert.equal(xs[0]!.resourceType, e._resourceType);
  assert.deepEqual(summary.creator, har.log.creator);
  assert.equal(summary.pages, har.log.pages.length);
});

test("mitmproxy's own export (flows/successful_log.har)", { skip: NO_CORPUS }, async () => {
  const { xs, weirds, summary } = await collect(corpusPath(...MITM, "flows", "successful_log.har"));
  assert.deepEqual(weirds, []);
  assert.deepEqual(summary, {
    entries: 2,
    skipped: 0,
    pages: 0,
    version: "1.2",
    creator: { name: "mitmproxy", version: "1.2.3" },
  });
  const [get, post] = xs as [HttpExchange, HttpExchange];
  // Oracle: Python's datetime.fromisoformat(startedDateTime).timestamp(), microseconds kept.
  assert.ok(Math.abs(get.request.ts - 1690281721.72681) < 1e-6);
  assert.ok(Math.abs(post.request.ts - 1690282705.577252) < 1e-6);
  assert.deepEqual([get.request.method, get.request.host, get.request.path], ["GET", "example.com", "/"]);
  assert.equal(get.response!.body!.length, 1256, "the file's own content-length header says 1256");
  assert.equal(get.serverIp, "93.184.216.34");
  assert.equal(Buffer.from(post.request.body!).toString(), "key1=value1&key2=value2");
  assert.equal(post.request.contentType, "application/x-www-form-urlencoded");
  assert.equal(post.response!.body!.length, 453, "content-length header 453");
});

test("corrupted_har/brokenfile.har: CaptureError at the JSON error's byte offset", {
  skip: NO_CORPUS,
}, async () => {
  const file = corpusPath(...MITM, "corrupted_har", "brokenfile.har");
  const e = await captureError(readHar(file, () => {}));
  // Oracle: Python's json.load says "Expecting ',' delimiter: line 5 column 1 (char 22)"; the file is ASCII.
  assert.equal(e.offset, 22);
  assert.equal(e.file, file);
  assert.match(e.message, /^not a HAR file: bad JSON at line 5 column 1: expected ',' or '}'/);
  assert.ok(!e.line().includes("\n"), "one line");
});

test("with-bom.har: the BOM is skipped and error offsets count its 3 bytes", {
  skip: NO_CORPUS,
}, async (t) => {
  const plain = await collect(corpusPath(...HAR_FILES, "postdata.har"));
  const bom = await collect(corpusPath(...HAR_FILES, "with-bom.har"));
  assert.deepEqual(bom.xs, plain.xs);
  const dir = mkdtempSync(join(tmpdir(), "har-"));
  t.after(() => rmSync(dir, { recursive: true }));
  const broken = readFileSync(corpusPath(...MITM, "corrupted_har", "brokenfile.har"));
  writeFileSync(join(dir, "b.har"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), broken]));
  assert.equal((await captureError(readHar(join(dir, "b.har"), () => {}))).offset, 25);
});

const PAGEXRAY = [
  ["http", "http1.1-chrome.har"],
  ["http", "http2-chrome.har"],
  ["redirect", "mytoys.de.har"],
];
for (const [dir, name] of PAGEXRAY) {
  test(`sitespeedio ${name}: one exchange per entry, URL, host, status, time`, {
    skip: NO_CORPUS,
  }, async () => {
    const file = corpusPath("sitespeedio-pagexray", "test", "files", dir!, name!);
    const entries = JSON.parse(readFileSync(file, "utf8")).log.entries;
    const { xs, weirds } = await collect(file);
    assert.deepEqual(weirds, []);
    assert.equal(xs.length, entries.length);
    xs.forEach((x, i) => {
      const e = entries[i];
      assert.equal(x.request.url, e.request.url);
      assert.equal(x.request.host, new URL(e.request.url).hostname);
      assert.equal(x.response!.status, e.response.status);
      assert.equal(x.request.ts, Date.parse(e.startedDateTime) / 1000);
    });
  });
}

test("unreadable inputs are CaptureErrors with a clear one-line message", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "har-"));
  t.after(() => rmSync(dir, { recursive: true }));
  const cases: [string, string | Buffer, RegExp, number][] = [
    ["empty.har", "", /the file is empty/, 0],
    ["pcap.har", Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]), /bad JSON at line 1 column 1/, 0],
    ["array.har", "[1,2]", /no "log" object/, 0],
    ["noentries.har", '{"log":{"version":"1.2"}}', /log\.entries is missing/, 0],
    ["utf8.har", '{"log":{"é":1,}}', /line 1 column 15: expected a double-quoted property name/, 15],
  ];
  for (const [name, content, message, offset] of cases) {
    writeFileSync(join(dir, name), content);
    const e = await captureError(readHar(join(dir, name), () => {}));
    assert.match(e.message, message, name);
    // For utf8.har the error is at character 14 but byte 15: 'é' is two bytes in UTF-8.
    assert.equal(e.offset, offset, name);
  }
  const missing = await captureError(readHar(join(dir, "nope.har"), () => {}));
  assert.match(missing.message, /cannot read the file \(ENOENT\)/);
  writeFileSync(join(dir, "big.har"), `{"log":{"entries":[]}}${" ".repeat(100)}`);
  const big = await captureError(readHar(join(dir, "big.har"), () => {}, { maxFileBytes: 100 }));
  assert.match(big.message, /above the 100-byte limit/);
});

test("a UTF-16 HAR (byte order mark FF FE) reads like its UTF-8 twin", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "har-"));
  t.after(() => rmSync(dir, { recursive: true }));
  const text =
    '{"log":{"entries":[{"startedDateTime":"2020-01-01T00:00:00Z","request":{"url":"http://é.example/"}}]}}';
  writeFileSync(
    join(dir, "u16.har"),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
  );
  const { xs } = await collect(join(dir, "u16.har"));
  assert.equal(xs[0]!.request.host, "é.example");
  writeFileSync(
    join(dir, "bad16.har"),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{x", "utf16le")]),
  );
  assert.equal((await captureError(readHar(join(dir, "bad16.har"), () => {}))).offset, 4);
});

test("parseHar: entries in file order, skipped ones counted, summary of the log", () => {
  const har = {
    log: {
      version: "1.2",
      creator: { name: "Charles Proxy", version: "4.6.4" },
      pages: [{ id: "p" }],
      entries: [{ request: { url: "http://a/" } }, { nope: 1 }, { request: { url: "http://b/" } }],
    },
  };
  const seen: string[] = [];
  const summary = parseHar(JSON.stringify(har), "x.har", (x) => seen.push(`${x.index} ${x.request.host}`));
  assert.deepEqual(seen, ["1 a", "3 b"]);
  assert.deepEqual(summary, {
    entries: 2,
    skipped: 1,
    pages: 1,
    version: "1.2",
    creator: { name: "Charles Proxy", version: "4.6.4" },
  });
});

test("default body bound: a 9 MiB base64 body keeps its first 8 MiB", () => {
  const bytes = Buffer.alloc(9 * 1024 * 1024, 0x41);
  bytes[8 * 1024 * 1024 - 1] = 0x5a;
  const content = { text: bytes.toString("base64"), encoding: "base64" };
  const har = { log: { entries: [{ request: { url: "http://h/" }, response: { status: 200, content } }] } };
  const xs: HttpExchange[] = [];
  const weirds: string[] = [];
  parseHar(JSON.stringify(har), "big.har", (x) => xs.push(x), { weird: (w) => weirds.push(w.name) });
  const body = xs[0]!.response!.body!;
  assert.equal(body.length, 8 * 1024 * 1024);
  assert.equal(body[body.length - 1], 0x5a);
  assert.equal(xs[0]!.response!.bodyTruncated, true);
  assert.ok(weirds.includes("har_body_truncated"));
});

test("readHar('-') reads standard input", () => {
  const script =
    'const { readHar } = await import("./src/capture/har-reader.ts");' +
    'const s = await readHar("-", (x) => console.log(x.request.url)); console.log(s.entries);';
  const input = '{"log":{"entries":[{"request":{"url":"http://a/"}},{"request":{"url":"http://b/"}}]}}';
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: REPO_ROOT,
    input,
    encoding: "utf8",
  });
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "http://a/\nhttp://b/\n2\n");
});

// Properties: whatever the text, parseHar returns or throws a CaptureError, weirds use catalogue names,
// bodies respect the bound, and every entry is either yielded or counted as skipped.
const MAX_BODY = 16;
const WEIRD_NAMES: ReadonlySet<string> = new Set(HAR_WEIRD_NAMES);

function onlyCaptureErrors(text: string): void {
  const weirds: string[] = [];
  const xs: HttpExchange[] = [];
  let summary: ReturnType<typeof parseHar>;
  try {
    summary = parseHar(text, "p.har", (x) => xs.push(x), {
      maxBodyBytes: MAX_BODY,
      weird: (w) => weirds.push(w.name),
    });
  } catch (e) {
    if (e instanceof CaptureError) return;
    throw e;
  }
  assert.equal(summary.entries, xs.length);
  for (const name of weirds) assert.ok(WEIRD_NAMES.has(name), name);
  for (const x of xs) {
    assert.ok((x.request.body?.length ?? 0) <= MAX_BODY);
    assert.ok((x.response?.body?.length ?? 0) <= MAX_BODY);
  }
}

const TEMPLATE = {
  log: {
    version: "1.2",
    creator: { name: "t", version: "1" },
    pages: [],
    entries: [
      {
        startedDateTime: "2014-08-12T10:00:00.123+08:00",
        time: 12,
        serverIPAddress: "10.0.0.1",
        connection: "7",
        request: {
          method: "POST",
          url: "http://h.example:81/a?b=c",
          httpVersion: "HTTP/1.1",
          headers: [{ name: "Host", value: "h.example:81" }],
          cookies: [{ name: "c", value: "v" }],
          postData: { mimeType: "application/x-www-form-urlencoded", params: [{ name: "p", value: "q" }] },
        },
        response: {
          status: 200,
          statusText: "OK",
          httpVersion: "HTTP/1.1",
          headers: [{ name: "Content-Type", value: "text/plain" }],
          content: {
            size: 30,
            mimeType: "text/plain",
            text: "AAECAwQFBgcICQoLDA0ODxAREhMU",
            encoding: "base64",
          },
        },
        timings: { blocked: -1, dns: 1, connect: 2, send: 3, wait: 4, receive: 5 },
      },
    ],
  },
};

/** Every path (list of keys) inside a JSON value. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) for (const [i, c] of v.entries()) out.push(...paths(c, [...at, i]));
  else if (typeof v === "object" && v !== null)
    for (const [k, c] of Object.entries(v)) out.push(...paths(c, [...at, k]));
  return out;
}
const TEMPLATE_PATHS = paths(TEMPLATE).filter((p) => p.length > 0);

function replaced(path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(TEMPLATE) as unknown as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

test("property: random strings give a result or a CaptureError, nothing else", () => {
  const soup = fc.array(
    fc.constantFrom('{"log":', '{"entries":[', "{", "}", "[", "]", ",", '"a"', ":", "1"),
    {
      maxLength: 12,
    },
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 40 }),
        soup.map((a) => a.join("")),
      ),
      onlyCaptureErrors,
    ),
    {
      numRuns: 10000,
    },
  );
});

test("property: a valid HAR with any field replaced by any JSON value", () => {
  const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined), fc.string({ maxLength: 20 }));
  fc.assert(
    fc.property(fc.nat(TEMPLATE_PATHS.length - 1), value, (k, v) => {
      onlyCaptureErrors(JSON.stringify(replaced(TEMPLATE_PATHS[k]!, v)));
    }),
    { numRuns: 10000 },
  );
});

test("property: a valid HAR text with characters inserted, deleted or replaced", () => {
  const base = JSON.stringify(TEMPLATE);
  const edit = fc.tuple(fc.nat(base.length), fc.nat(4), fc.string({ maxLength: 4 }));
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
      let text = base;
      for (const [at, cut, ins] of edits) {
        const k = at % (text.length + 1);
        text = text.slice(0, k) + ins + text.slice(k + cut);
      }
      onlyCaptureErrors(text);
    }),
    { numRuns: 10000 },
  );
});
