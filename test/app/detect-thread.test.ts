// The detector on a worker thread must hand the rest of the pipeline exactly what the in-process detector
// hands it: the same findings, interleaved with held actions in the same order. The oracle is the in-process
// run of the same calls; the worker runs with tiny limits so calls spread over many batches and the reader
// really waits. A worker that fails, at start-up or mid-run, must reject, never hang.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type DetectStage, startDetect } from "../../src/app/detect-pool.ts";
import { type DetectLimits, WorkerDetect } from "../../src/app/detect-thread.ts";
import type { PayloadChunk } from "../../src/decode/stream-decoder.ts";
import { parseProfile } from "../../src/detect/profile/profile-load.ts";
import type { Profile } from "../../src/detect/profile/profile-types.ts";
import type { ConnId } from "../../src/model/conn.ts";
import { Prng } from "../helpers/traffic-synth.ts";

const IMEI = "490154203237518";
const IMSI = "460011234567891";
const PROFILE = parseProfile(
  `home_country: CN\nimei: "${IMEI}"\nimsi: "${IMSI}"\ncarrier: China Unicom\nemail: li.wei.2014@example.com\n`,
  "p.yaml",
);
/** A raw stream's text, cut at random places so values straddle payloads (the matcher carries state). */
const STREAM = `hello China Unicom, mail li.wei.2014@example.com, id ${IMEI} and again China Unicom`;
const TINY: DetectLimits = { batchBytes: 512, batchOps: 4, maxInFlight: 2 };
const TIMEOUT = { timeout: 60_000 };

type Step =
  | { kind: "payload"; p: PayloadChunk; conn: ConnId }
  | { kind: "end"; uid: string }
  | { kind: "after"; id: number }
  | { kind: "chunk" };

function connOf(n: number): ConnId {
  return {
    ts: 1700000000 + n,
    uid: `Ctest${n}`,
    community_id: `1:test${n}=`,
    orig_h: "10.0.0.2",
    orig_p: 40000 + n,
    resp_h: "203.0.113.7",
    resp_p: 80,
  };
}

/** A seeded mix of payloads (some carrying profile values, one larger than a batch), ends, marks and chunks. */
function scenario(seed: number, steps: number): Step[] {
  const rng = new Prng(seed);
  const enc = new TextEncoder();
  const out: Step[] = [];
  let next = 0;
  let frame = 1;
  const live = new Map<string, { conn: ConnId; at: number }>();
  const open = () => {
    const conn = connOf(next++);
    live.set(conn.uid, { conn, at: 0 });
  };
  for (let i = 0; i < 4; i++) open();
  for (let i = 0; i < steps; i++) {
    const r = rng.float();
    const s = rng.pick([...live.values()]);
    const chunk = (layer: string, data: Uint8Array, index?: number): Step => ({
      kind: "payload",
      p: {
        uid: s.conn.uid,
        layer,
        data,
        fromOrig: rng.float() < 0.8,
        ts: 1700000000 + frame / 100,
        frame: frame++,
        index,
      },
      conn: s.conn,
    });
    if (r < 0.15) out.push(chunk("http.uri", enc.encode(`/r?imei=${IMEI}&n=${i}`), i));
    else if (r < 0.25) out.push(chunk("http.body", enc.encode(`{"imsi":"${IMSI}","n":${i}}`), i));
    else if (r < 0.45 && s.at < STREAM.length) {
      const to = Math.min(STREAM.length, s.at + rng.int(1, 12));
      out.push(chunk("raw.stream", enc.encode(STREAM.slice(s.at, to))));
      s.at = to;
    } else if (r < 0.5) out.push(chunk("dns.query", rng.bytes(rng.int(0, 40))));
    else if (r < 0.52) out.push(chunk("http.body", enc.encode(`${"x".repeat(2000)}imei=${IMEI}`), i));
    else if (r < 0.7) out.push({ kind: "after", id: i });
    else if (r < 0.78) {
      out.push({ kind: "end", uid: s.conn.uid });
      live.delete(s.conn.uid);
      open();
    } else out.push({ kind: "chunk" });
  }
  // The connections still open stay open: their state must not leak into the next input (HAR exchanges
  // never get a conn record either).
  return out;
}

/** Drives a stage through the steps as the analysis does; returns the event log and how often it waited. */
async function drive(stage: DetectStage, steps: Step[], log: string[]): Promise<number> {
  let waits = 0;
  stage.begin((f) => log.push(`finding ${JSON.stringify(f)}`));
  for (const s of steps) {
    if (s.kind === "payload") stage.payload(s.p, s.conn);
    else if (s.kind === "end") stage.endConnection(s.uid);
    else if (s.kind === "after") stage.after(() => log.push(`after ${s.id}`));
    else {
      const w = stage.beforeChunk();
      if (w) {
        waits++;
        await w;
      }
    }
  }
  await stage.end();
  return waits;
}

/** Two inputs through one stage (the second must start from a fresh detector). */
async function run(stage: DetectStage, steps: Step[]): Promise<{ log: string[]; waits: number }> {
  const log: string[] = [];
  try {
    let waits = await drive(stage, steps, log);
    log.push("-- next input --");
    waits += await drive(stage, steps, log);
    log.push(`needles ${await stage.needleCount()}`);
    return { log, waits };
  } finally {
    await stage.close();
  }
}

describe("detector on a worker: same findings, same order as in process", () => {
  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}`, TIMEOUT, async () => {
      const steps = scenario(seed, 600);
      const inline = await run(startDetect({ profile: PROFILE, reveal: true }, 1), steps);
      const worker = await run(startDetect({ profile: PROFILE, reveal: true }, 2, TINY), steps);
      const findings = inline.log.filter((l) => l.startsWith("finding"));
      assert.ok(
        findings.some((l) => l.includes('"raw.stream"')),
        "a value found across stream payloads",
      );
      assert.ok(findings.some((l) => l.includes('"imsi"')) && findings.some((l) => l.includes('"imei"')));
      assert.ok(worker.waits > 0, "the reader waited for the worker at least once");
      assert.deepEqual(worker.log, inline.log);
    });
  }
});

describe("a failing worker ends the run with an error", () => {
  test(
    "failure at start-up (the profile cannot be expanded) rejects with the worker's error",
    TIMEOUT,
    async () => {
      const broken = { imei: 42 } as unknown as Profile;
      const stage = startDetect({ profile: broken }, 2, TINY);
      try {
        await assert.rejects(drive(stage, scenario(4, 200), []), /detector worker failed: TypeError/);
      } finally {
        await stage.close();
      }
    },
  );

  test("a worker that dies mid-run rejects the next wait", TIMEOUT, async () => {
    const stage = new WorkerDetect({ profile: PROFILE }, TINY);
    try {
      const steps = scenario(5, 300);
      const half = steps.slice(0, 150);
      stage.begin(() => {});
      for (const s of half) if (s.kind === "payload") stage.payload(s.p, s.conn);
      assert.ok((await stage.needleCount()) > 0, "the worker was up");
      await stage.worker.terminate();
      for (const s of steps.slice(150)) if (s.kind === "payload") stage.payload(s.p, s.conn);
      await assert.rejects(stage.end(), /detector worker exited early/);
    } finally {
      await stage.close();
    }
  });
});
