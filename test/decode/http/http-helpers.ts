// Drives the HTTP decoder directly (no packets): a fixed connection context, a collecting DecoderOutput, and
// a feeder that hands each direction's bytes over in chosen pieces. Test helpers only.

import { createHttpConsumer, type HttpDecoderOptions } from "../../../src/decode/http/http-decoder.ts";
import type { DecodedRecord, DecoderOutput, PayloadChunk } from "../../../src/decode/stream-decoder.ts";
import type { HttpRecord } from "../../../src/model/http.ts";
import type { WeirdRecord } from "../../../src/model/weird.ts";
import type { StreamContext } from "../../../src/session/stream-consumer.ts";

/** The connection every direct test runs on: 10.0.0.2:50000 → 93.184.216.34:80. */
export const CTX: StreamContext = {
  ts: 1_400_000_000,
  uid: "CtestHttp0000000001",
  community_id: "1:test",
  orig_h: "10.0.0.2",
  orig_p: 50000,
  resp_h: "93.184.216.34",
  resp_p: 80,
  proto: "tcp",
};

/** A payload with its bytes copied (the decoder's are valid during the call only). */
export interface KeptPayload extends Omit<PayloadChunk, "data"> {
  data: Uint8Array;
  /** The bytes as UTF-8 text. */
  text: string;
}

/** Everything a decoder emitted. */
export class Collected implements DecoderOutput {
  readonly records: HttpRecord[] = [];
  readonly weirds: Omit<WeirdRecord, "type">[] = [];
  readonly payloads: KeptPayload[] = [];
  record(r: DecodedRecord): void {
    this.records.push(r as HttpRecord);
  }
  weird = (w: Omit<WeirdRecord, "type">): void => {
    this.weirds.push(w);
  };
  payload(p: PayloadChunk): void {
    const data = new Uint8Array(p.data); // a copy, also when data is a Buffer
    this.payloads.push({ ...p, data, text: Buffer.from(data).toString("utf8") });
  }
  /** Names of the weirds, in order. */
  weirdNames(): string[] {
    return this.weirds.map((w) => w.name);
  }
  /** Payload texts of one layer. */
  layer(name: string): string[] {
    return this.payloads.filter((p) => p.layer === name).map((p) => p.text);
  }
}

/** One step of a conversation: bytes from the client (orig) or the server. */
export interface Step {
  /** True for originator → responder. */
  orig: boolean;
  /** The bytes (strings as latin1, so every byte value can be written). */
  data?: string | Uint8Array;
  /** Instead of bytes: this many bytes of the direction were lost. */
  gap?: number;
  /** Split the bytes into pieces of this size (default: one piece). */
  split?: number;
}

/** What `runSteps` returns. */
export interface RunResult extends Collected {
  /** The last value data() returned. */
  more: boolean | undefined;
}

/** Bytes of a step. */
export function stepBytes(d: string | Uint8Array): Uint8Array {
  return typeof d === "string" ? Uint8Array.from(Buffer.from(d, "latin1")) : d;
}

/** Feeds the steps to a fresh HTTP consumer (frame numbers count the pieces from 1), then ends it. */
export function runSteps(steps: Step[], opts: HttpDecoderOptions = {}, end = true): RunResult {
  const out = new Collected() as RunResult;
  const c = createHttpConsumer(CTX, out, opts);
  let frame = 0;
  for (const s of steps) {
    if (s.gap !== undefined) {
      c.gap(s.orig, s.gap);
      continue;
    }
    const b = stepBytes(s.data ?? "");
    const size = s.split ?? Math.max(1, b.length);
    for (let off = 0; off < b.length; off += size) {
      frame++;
      out.more = c.data(s.orig, b.subarray(off, off + size), CTX.ts + frame / 1000, frame);
    }
  }
  if (end) c.end();
  return out;
}
