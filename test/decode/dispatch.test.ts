import assert from "node:assert/strict";
import { test } from "node:test";
import { dispatchFactory } from "../../src/decode/dispatch.ts";
import type {
  DecoderOutput,
  PayloadChunk,
  StreamDecoderDefinition,
} from "../../src/decode/stream-decoder.ts";
import type { StreamContext } from "../../src/session/stream-consumer.ts";

const ctx = (proto: "tcp" | "udp"): StreamContext => ({
  ts: 1,
  uid: "Ctest",
  community_id: "1:x",
  orig_h: "10.0.0.1",
  orig_p: 40000,
  resp_h: "10.0.0.2",
  resp_p: 5222,
  proto,
});

/** A decoder that claims streams starting with `prefix` and records what it is given. */
function prefixDecoder(name: string, prefix: string, seen: string[]): StreamDecoderDefinition {
  return {
    name,
    protos: ["tcp", "udp"],
    probe: (b) => Buffer.from(b).toString("latin1").startsWith(prefix),
    create: () => ({
      data: (fromOrig, b) => {
        seen.push(`${fromOrig ? ">" : "<"}${Buffer.from(b).toString("latin1")}`);
        return undefined;
      },
      gap: () => {},
      end: () => seen.push("end"),
    }),
  };
}

function output(payloads: PayloadChunk[]): DecoderOutput {
  return { record: () => {}, weird: () => {}, payload: (p) => payloads.push({ ...p, data: p.data.slice() }) };
}

const bytes = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

test("the first decoder whose probe claims the bytes gets the whole connection and names the service", () => {
  const seenA: string[] = [];
  const seenB: string[] = [];
  const f = dispatchFactory({
    decoders: [prefixDecoder("alpha", "AAA", seenA), prefixDecoder("beta", "BBB", seenB)],
    out: output([]),
  });
  const c = f(ctx("tcp"))!;
  c.data(true, bytes("BBB hello"), 1, 1);
  c.data(false, bytes("reply"), 2, 2);
  c.end();
  assert.deepEqual(seenA, []);
  assert.deepEqual(seenB, [">BBB hello", "<reply", "end"]);
  assert.equal(c.service, "beta");
});

test("a protocol recognised on the responder's first bytes also gets the originator's earlier bytes, in order", () => {
  const seen: string[] = [];
  const c = dispatchFactory({ decoders: [prefixDecoder("banner", "220 ", seen)], out: output([]) })(
    ctx("tcp"),
  )!;
  assert.equal(c.data(true, bytes("GET /cut-sho"), 1, 1), undefined); // still waiting for the other side
  c.data(true, bytes("rt HTTP/1.1"), 2, 2);
  c.data(false, bytes("220 ready"), 3, 3);
  assert.deepEqual(seen, [">GET /cut-sho", ">rt HTTP/1.1", "<220 ready"]);
});

test("unclaimed streams stop (false) without a detector, and go to raw payloads with one", () => {
  const none = dispatchFactory({ decoders: [prefixDecoder("a", "AAA", [])], out: output([]) })(ctx("tcp"))!;
  none.data(true, bytes("xyz"), 1, 1);
  assert.equal(none.data(false, bytes("zyx"), 2, 2), false);

  const payloads: PayloadChunk[] = [];
  const raw = dispatchFactory({ decoders: [], out: output(payloads), rawPayloads: true })(ctx("tcp"))!;
  raw.data(true, bytes("IMEI=861234567890127"), 1, 1);
  raw.data(false, bytes("ok"), 2, 2);
  raw.data(true, bytes("more"), 3, 3);
  raw.end();
  const text = payloads.map(
    (p) => `${p.layer}:${p.fromOrig ? ">" : "<"}${Buffer.from(p.data).toString("latin1")}`,
  );
  assert.deepEqual(text, ["raw.stream:>IMEI=861234567890127", "raw.stream:<ok", "raw.stream:>more"]);
});

test("a probe that throws counts as 'not mine' and the run goes on", () => {
  const seen: string[] = [];
  const broken: StreamDecoderDefinition = {
    name: "broken",
    protos: ["udp"],
    probe: () => {
      throw new Error("bug");
    },
    create: () => {
      throw new Error("never");
    },
  };
  const c = dispatchFactory({ decoders: [broken, prefixDecoder("ok", "Q", seen)], out: output([]) })(
    ctx("udp"),
  )!;
  c.data(true, bytes("Query"), 1, 1);
  assert.deepEqual(seen, [">Query"]);
});

test("serviceOnly names the service from the probe and asks for no more bytes, without running the decoder", () => {
  const seen: string[] = [];
  const c = dispatchFactory({
    decoders: [prefixDecoder("alpha", "AAA", seen)],
    out: output([]),
    serviceOnly: true,
  })(ctx("tcp"))!;
  assert.equal(c.data(true, bytes("AAA hello"), 1, 1), false);
  c.end();
  assert.equal(c.service, "alpha");
  assert.deepEqual(seen, []);
});
