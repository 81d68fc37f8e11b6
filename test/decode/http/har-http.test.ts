// HAR entries → http records: the mitmproxy corpus HARs agree with mitmproxy's own import of them (the
// `.json` beside each), every corpus HAR converts, and the payloads and synthetic connection are right.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { readHar } from "../../../src/capture/har-reader.ts";
import { harExchangeToHttp, harHttpRecord } from "../../../src/decode/http/har-http.ts";
import type { HttpRecord } from "../../../src/model/http.ts";
import type { HttpExchange } from "../../../src/model/http-message.ts";
import { corpusFiles, NO_CORPUS } from "../../helpers/corpus.ts";
import { Collected } from "./http-helpers.ts";

/** One flow of mitmproxy's JSON export (the fields compared). */
interface MitmFlow {
  request: {
    method: string;
    scheme: string;
    host: string;
    port: number;
    path: string;
    headers: [string, string][];
  };
  response?: { status_code: number; headers: [string, string][] };
}

async function exchangesOf(file: string): Promise<HttpExchange[]> {
  const xs: HttpExchange[] = [];
  await readHar(file, (x) => xs.push(x));
  return xs;
}

function mitmUrl(r: MitmFlow["request"]): string {
  const dflt = (r.scheme === "https" && r.port === 443) || (r.scheme === "http" && r.port === 80);
  return `${r.scheme}://${r.host}${dflt ? "" : `:${r.port}`}${r.path}`;
}

/**
 * mitmproxy's header count, undoing the two fields its import rewrites when it sets the (already decoded)
 * HAR body on a message: it adds `content-length` when the HAR had none, and drops `content-encoding`.
 */
function mitmHeaderCount(theirs: [string, string][], ours: [string, string][]): number {
  const has = (l: [string, string][], name: string) => l.some(([n]) => n.toLowerCase() === name);
  const added = has(theirs, "content-length") && !has(ours, "content-length") ? 1 : 0;
  const dropped = has(ours, "content-encoding") && !has(theirs, "content-encoding") ? 1 : 0;
  return theirs.length - added + dropped;
}

const HARS = corpusFiles("mitmproxy-testdata", /\.har$/).filter((f) =>
  existsSync(f.replace(/\.har$/, ".json")),
);

test("the mitmproxy corpus has HARs with mitmproxy's JSON beside them", { skip: NO_CORPUS }, () => {
  assert.ok(HARS.length >= 4, `found ${HARS.length}`);
});

for (const file of HARS) {
  const name = file.split("/").slice(-1)[0];
  test(`${name}: method, URL, status and header counts agree with mitmproxy's import`, {
    skip: NO_CORPUS,
  }, async () => {
    const flows = JSON.parse(readFileSync(file.replace(/\.har$/, ".json"), "utf8")) as MitmFlow[];
    const records = (await exchangesOf(file)).map(harHttpRecord);
    assert.equal(records.length, flows.length);
    records.forEach((r, i) => {
      const f = flows[i];
      const at = `${name} entry ${i + 1}`;
      assert.equal(r.method, f.request.method, at);
      assert.equal(r.url, mitmUrl(f.request), at);
      // mitmproxy keeps Chrome's status 0 (no response: blocked or offline); the record leaves the status
      // out and tags the exchange instead.
      if (f.response?.status_code === 0)
        assert.deepEqual([r.status_code, r.tags], [undefined, ["no-response"]], at);
      else assert.equal(r.status_code, f.response?.status_code, at);
      assert.equal(r.request_headers.length, mitmHeaderCount(f.request.headers, r.request_headers), at);
      const res = f.response?.headers ?? [];
      assert.equal(r.response_headers.length, mitmHeaderCount(res, r.response_headers), at);
      assert.equal(r.transport, "har");
    });
  });
}

test("every corpus HAR converts; each record has a method, a host and a uri", {
  skip: NO_CORPUS,
}, async () => {
  const files = corpusFiles(".", /\.har$/).filter((f) => !f.includes("corrupted"));
  assert.ok(files.length >= 7);
  for (const file of files) {
    const xs = await exchangesOf(file);
    for (const x of xs) {
      const out = new Collected();
      const r: HttpRecord = harExchangeToHttp(x, out);
      assert.ok(r.method && r.host && r.uri.startsWith("/"), `${file} entry ${x.index}`);
      assert.deepEqual(out.records, [r]);
    }
  }
});

test("postdata.har: synthetic connection and the POST body handed to the detector", {
  skip: NO_CORPUS,
}, async () => {
  const file = HARS.find((f) => f.endsWith("postdata.har"))!;
  const [x] = await exchangesOf(file);
  const out = new Collected();
  const r = harExchangeToHttp(x, out);
  assert.equal(r.uid, "H1");
  assert.equal(r.community_id, "");
  assert.equal(r.orig_h, "");
  assert.equal(r.resp_h, "99.83.181.31"); // the entry's serverIPAddress
  assert.equal(r.resp_p, 443);
  assert.equal(r.host, "signal-metrics-collector-beta.s-onetag.com"); // its :authority field
  assert.deepEqual(out.layer("http.uri"), ["https://signal-metrics-collector-beta.s-onetag.com/metrics"]);
  const body = out.layer("http.body")[0];
  assert.ok(body.startsWith('{"metadata":{"pageViewId":1689428126308'), body.slice(0, 60));
  assert.equal(r.request_body_len, Buffer.byteLength(body));
});
