// Runs fzstd on a worker thread under a time limit. Some malformed zstd frames make fzstd loop forever (an
// FSE table whose "less than one" probabilities fill every slot spreads symbols without end), and code on
// the main thread cannot be interrupted: so the frame is decoded on a worker while the main thread waits
// synchronously (Atomics.wait) and gives up, terminating the worker, when the limit passes.

import { createRequire } from "node:module";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";

/** Milliseconds one frame may take; a 16 MiB frame decodes in well under a tenth of this. */
export const ZSTD_TIME_LIMIT_MS = 2000;

/** What decoding one frame on the worker produced. */
export interface GuardedFrame {
  /** Output, at most `room` bytes. */
  data: Uint8Array;
  /** `limit`: output reached `room`; `corrupt`: fzstd refused the data; `timeout`: the time limit passed. */
  problem?: "limit" | "corrupt" | "timeout";
  /** fzstd's message for `corrupt`. */
  detail?: string;
}

// The worker's whole program: decode with fzstd, stop at the byte budget, answer on the port, then wake the
// waiting main thread through the shared flag.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { Decompress } = require(workerData.fzstd);
const { port, flag } = workerData;
port.on("message", ({ frame, complete, room }) => {
  const parts = [];
  let total = 0;
  let problem, detail;
  try {
    const d = new Decompress((chunk) => {
      const take = Math.min(chunk.length, room - total);
      if (take > 0) parts.push(chunk.slice(0, take));
      total += take;
      if (take < chunk.length) throw new Error("limit");
    });
    d.push(frame, complete);
  } catch (e) {
    if (e && e.message === "limit") problem = "limit";
    else { problem = "corrupt"; detail = e && e.message ? String(e.message) : String(e); }
  }
  const data = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { data.set(p, o); o += p.length; }
  port.postMessage({ data, problem, detail });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

interface Guard {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
}

let guard: Guard | undefined;

function start(): Guard {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const fzstd = createRequire(import.meta.url).resolve("fzstd");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { fzstd, port: port2, flag },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  return { worker, port: port1, flag };
}

/** Decodes one zstd frame with fzstd on the worker; never blocks longer than `limitMs`. */
export function decodeFrameGuarded(
  frame: Uint8Array,
  complete: boolean,
  room: number,
  limitMs = ZSTD_TIME_LIMIT_MS,
): GuardedFrame {
  const g = guard ?? start();
  guard = g;
  Atomics.store(g.flag, 0, 0);
  g.port.postMessage({ frame, complete, room });
  if (Atomics.wait(g.flag, 0, 0, limitMs) === "timed-out") {
    guard = undefined;
    void g.worker.terminate();
    return { data: new Uint8Array(0), problem: "timeout" };
  }
  const reply = receiveMessageOnPort(g.port)?.message as GuardedFrame | undefined;
  return reply ?? { data: new Uint8Array(0), problem: "corrupt", detail: "no answer from the zstd worker" };
}
