// Chooses a protocol decoder per connection by content: the first payload of each direction is offered to
// every registered decoder's probe; the first that claims it gets the connection. Unclaimed connections go
// to the raw-stream consumer (bounded) when the detector wants payloads, and are otherwise only counted.

import type { ConsumerFactory, StreamConsumer, StreamContext } from "../session/stream-consumer.ts";
import { rawStreamConsumer } from "./raw/raw-stream.ts";
import type { DecoderOutput, StreamDecoderDefinition } from "./stream-decoder.ts";

/** How connections are handed to decoders. */
export interface DispatchOptions {
  /** The decoders, in probe order. */
  decoders: readonly StreamDecoderDefinition[];
  /** Where decoders send records, weirds and payloads. */
  out: DecoderOutput;
  /** When true, unclaimed streams go to the detector as raw payloads (bounded by rawLimit per direction). */
  rawPayloads?: boolean;
  /** Bytes of an unclaimed stream kept per direction (default 1 MiB). */
  rawLimit?: number;
  /**
   * Only name each connection's service (for a conn log alone): the claiming decoder is not run, and the
   * session layer stops reassembling the connection as soon as it is named.
   */
  serviceOnly?: boolean;
}

/** Builds the session layer's ConsumerFactory over the registered decoders. */
export function dispatchFactory(opts: DispatchOptions): ConsumerFactory {
  const byProto = {
    tcp: opts.decoders.filter((d) => d.protos.includes("tcp")),
    udp: opts.decoders.filter((d) => d.protos.includes("udp")),
  };
  return (ctx) => {
    const candidates = byProto[ctx.proto];
    if (candidates.length === 0 && !opts.rawPayloads) return undefined;
    return new Dispatcher(ctx, candidates, opts);
  };
}

/** Bytes of the first direction kept while waiting for the other direction's first bytes. */
const PENDING_LIMIT = 64 * 1024;

/** One connection's decoder choice, then a pass-through to the chosen consumer. */
class Dispatcher implements StreamConsumer {
  private chosen: StreamConsumer | undefined;
  /** The claiming decoder's name: the service unless its consumer names a better one. */
  private chosenName: string | undefined;
  private readonly probed = [false, false];
  private pending: { fromOrig: boolean; bytes: Uint8Array; ts: number; frame: number }[] = [];
  private pendingBytes = 0;
  private done = false;

  constructor(
    private readonly ctx: StreamContext,
    private readonly candidates: readonly StreamDecoderDefinition[],
    private readonly opts: DispatchOptions,
  ) {}

  get service(): string | undefined {
    return this.chosen?.service || this.chosenName;
  }

  data(fromOrig: boolean, bytes: Uint8Array, ts: number, frame: number): boolean | undefined {
    if (this.done) return false;
    if (!this.chosen && !this.choose(fromOrig, bytes)) return this.undecided(fromOrig, bytes, ts, frame);
    if (this.done) return false;
    return this.forward(fromOrig, bytes, ts, frame);
  }

  gap(fromOrig: boolean, len: number): void {
    if (!this.done) this.chosen?.gap(fromOrig, len);
  }

  end(): void {
    if (!this.chosen && this.pending.length > 0 && this.opts.rawPayloads) this.fallBackToRaw();
    this.pending = [];
    this.chosen?.end();
  }

  /** Records the service and asks for no more bytes (serviceOnly mode). */
  private nameOnly(name: string): true {
    this.chosenName = name;
    this.chosen = { data: () => false, gap: () => {}, end: () => {} };
    this.pending = [];
    this.done = true;
    return true;
  }

  /** The shared output, with this connection attached to every payload. */
  private connOut(): DecoderOutput {
    const { out } = this.opts;
    const ctx = this.ctx;
    return { record: out.record, weird: out.weird, payload: (p) => out.payload(p, ctx) };
  }

  private forward(fromOrig: boolean, bytes: Uint8Array, ts: number, frame: number): boolean | undefined {
    const more = this.chosen!.data(fromOrig, bytes, ts, frame);
    if (more === false) this.done = true;
    return more;
  }

  /** Offers the bytes to each candidate not yet asked for this direction; true when one claimed them. */
  private choose(fromOrig: boolean, bytes: Uint8Array): boolean {
    const side = fromOrig ? 0 : 1;
    if (this.probed[side] && this.ctx.proto === "tcp") return false;
    this.probed[side] = true;
    for (const d of this.candidates) {
      if (safeProbe(d, bytes, fromOrig, this.ctx)) {
        if (this.opts.serviceOnly) return this.nameOnly(d.name);
        this.chosen = d.create(this.ctx, this.connOut());
        this.chosenName = d.name;
        this.replayPending();
        return true;
      }
    }
    return false;
  }

  /** Nobody claimed these bytes. Wait for the other direction (TCP), then fall back to raw, or stop. */
  private undecided(fromOrig: boolean, bytes: Uint8Array, ts: number, frame: number): boolean | undefined {
    const waiting = this.ctx.proto === "tcp" && !(this.probed[0] && this.probed[1]);
    if (waiting) {
      // Kept for whoever claims the connection on the other direction's bytes (a request cut short in its
      // first segment is recognised by its response), or for the raw fallback.
      if (this.pendingBytes < PENDING_LIMIT) {
        // A copy: on a Buffer (the capture reader's, reused for a later chunk) slice() is only a view.
        const copy = Uint8Array.prototype.slice.call(bytes, 0, PENDING_LIMIT - this.pendingBytes);
        this.pending.push({ fromOrig, bytes: copy, ts, frame });
        this.pendingBytes += Math.min(bytes.length, PENDING_LIMIT - this.pendingBytes);
      }
      return undefined;
    }
    if (!this.opts.rawPayloads) {
      this.pending = [];
      this.done = true;
      return false;
    }
    this.fallBackToRaw();
    return this.forward(fromOrig, bytes, ts, frame);
  }

  private fallBackToRaw(): void {
    this.chosen = rawStreamConsumer(this.ctx, this.connOut(), this.opts.rawLimit);
    this.replayPending();
  }

  /** Hands the chosen consumer the bytes that arrived before it was chosen, in order. */
  private replayPending(): void {
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const p of pending) {
      if (this.chosen!.data(p.fromOrig, p.bytes, p.ts, p.frame) === false) {
        this.done = true;
        return;
      }
    }
  }
}

/** A probe that throws is a decoder bug; it must not stop the run, so it counts as "not mine". */
function safeProbe(
  d: StreamDecoderDefinition,
  bytes: Uint8Array,
  fromOrig: boolean,
  ctx: StreamContext,
): boolean {
  try {
    return d.probe(bytes, fromOrig, ctx);
  } catch {
    return false;
  }
}
