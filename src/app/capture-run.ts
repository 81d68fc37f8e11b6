// The spine of every run: capture file → packets → link/IP/TCP/UDP → sessions → records.
// The CLI (`info`, `logs`) and later `analyze` call this; nothing here knows who called.

import type { CaptureFormat, CaptureHandler, CaptureProblem } from "../capture/capture-events.ts";
import { readHar } from "../capture/har-reader.ts";
import { readCapture } from "../capture/read-capture.ts";
import { dispatchFactory } from "../decode/dispatch.ts";
import { harConnId, harExchangeToHttp } from "../decode/http/har-http.ts";
import { PACKET_KINDS, PacketDecoder, type PacketKind } from "../decode/packet-decoder.ts";
import { decodersWithKeys } from "../decode/registry.ts";
import type { DecoderOutput, PayloadChunk, StreamDecoderDefinition } from "../decode/stream-decoder.ts";
import { addCaptureSecrets } from "../decrypt/capture-secrets.ts";
import { KeyStore } from "../decrypt/key-log.ts";
import type { ConnId } from "../model/conn.ts";
import type { HttpExchange } from "../model/http-message.ts";
import { newPacketLayers } from "../model/layers.ts";
import type { Packet } from "../model/packet.ts";
import type { WeirdSink } from "../model/weird.ts";
import { FlowTable } from "../session/flow-table.ts";
import { HeapBudget } from "./heap-budget.ts";
import type { PipelineRecord, RecordSink } from "./record-sink.ts";

/** How a run is configured. */
export interface CaptureRunOptions {
  /** Where records go. */
  onRecord: RecordSink;
  /** Extra observers of the capture structure (sections, interfaces, secrets) — used by `info`. */
  observer?: Omit<CaptureHandler, "packet">;
  /** Protocol decoders to run (default: all registered); an empty list means no reassembly at all. */
  decoders?: readonly StreamDecoderDefinition[];
  /** Only name each connection's service, decode nothing (a conn log alone needs no more). */
  serviceOnly?: boolean;
  /** Receives decoded payloads for the leak detector; when absent, unclaimed streams are not kept. */
  onPayload?: (p: PayloadChunk, conn: ConnId) => void;
  /** Per-direction out-of-order buffer bound for TCP reassembly, bytes. */
  maxBufferPerFlow?: number;
  /** Called for every packet after decoding (for statistics); keep it cheap. */
  onPacket?: (p: Packet, kind: PacketKind) => void;
  /**
   * TLS secrets (e.g. from `--keylog`); the capture's own Decryption Secrets Blocks are added to it as they
   * are read. Without one, a store holding only the capture's DSB secrets is used.
   */
  keys?: KeyStore;
  /** Bytes read so far (decompressed), after each chunk: for a progress bar. */
  onProgress?: (bytes: number) => void;
  /** Awaited before each chunk of input is parsed (see ReadCaptureOptions.beforeChunk). */
  beforeChunk?: () => Promise<void> | undefined;
}

/** What a run saw. */
export interface CaptureRunStats {
  /** The input's name. */
  file: string;
  /** Container format. */
  format: CaptureFormat;
  /** Whether the input was gzip-compressed. */
  compressed: boolean;
  /** Bytes of (decompressed) input read. */
  bytes: number;
  /** Frames read (0 for HAR, whose entries become http records). */
  packets: number;
  /** Frames per decode outcome. */
  kinds: Record<PacketKind, number>;
  /** Frames on link types the decoder does not know, by link type. */
  unknownLinkTypes: Record<string, number>;
  /** Problems in the file itself (bad block, truncated tail). */
  problems: CaptureProblem[];
}

/** Reads one capture to the end, emitting conn and weird records. Throws CaptureError for unreadable input. */
export async function runCapture(file: string, opts: CaptureRunOptions): Promise<CaptureRunStats> {
  const weird: WeirdSink = (w) => opts.onRecord({ type: "weird", ...w });
  const decoder = new PacketDecoder({ weird });
  const keys = opts.keys ?? new KeyStore();
  const decoders = opts.decoders ?? decodersWithKeys(keys);
  const out: DecoderOutput = {
    record: (r) => opts.onRecord(r as PipelineRecord),
    weird,
    payload: (p, conn) => {
      if (conn) opts.onPayload?.(p, conn);
    },
  };
  const rawPayloads = opts.onPayload !== undefined;
  const flows = new FlowTable({
    onConn: opts.onRecord,
    weird,
    consumers:
      decoders.length > 0 || rawPayloads
        ? dispatchFactory({ decoders, out, rawPayloads, serviceOnly: opts.serviceOnly })
        : undefined,
    maxBufferPerFlow: opts.maxBufferPerFlow,
    seed: file,
  });
  const layers = newPacketLayers();
  const kinds = Object.fromEntries(PACKET_KINDS.map((k) => [k, 0])) as Record<PacketKind, number>;
  const problems: CaptureProblem[] = [];
  let packets = 0;
  const onPacket = opts.onPacket;
  const handler: CaptureHandler = {
    ...opts.observer,
    secrets(s) {
      addCaptureSecrets(keys, s, weird);
      opts.observer?.secrets?.(s);
    },
    packet(p) {
      packets++;
      const kind = decoder.decode(p, layers);
      kinds[kind]++;
      if (kind === "tcp" || kind === "udp") flows.packet(p, layers);
      if (onPacket) onPacket(p, kind);
    },
    problem(pr) {
      problems.push(pr);
      opts.observer?.problem?.(pr);
      weird({ ts: 0, name: pr.name, detail: `offset ${pr.offset}: ${pr.detail}` });
    },
  };
  const heap = new HeapBudget();
  const res = await readCapture(file, handler, {
    onProgress: opts.onProgress,
    beforeChunk: () => {
      heap.check();
      return opts.beforeChunk?.();
    },
  });
  // A HAR file holds HTTP messages, not packets: they become the same http records, marked transport "har".
  if (res.format === "har") {
    const onExchange = (x: HttpExchange) => {
      const conn = harConnId(x);
      harExchangeToHttp(x, { ...out, payload: (p) => out.payload({ ...p, transport: "har" }, conn) });
    };
    await readHar(file, onExchange, { weird });
  }
  decoder.end();
  flows.finish();
  const unknownLinkTypes: Record<string, number> = {};
  for (const [lt, n] of decoder.unknownLinkTypes) unknownLinkTypes[String(lt)] = n;
  return { file, ...res, packets, kinds, unknownLinkTypes, problems };
}
