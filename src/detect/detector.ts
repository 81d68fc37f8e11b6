// The detector engine: every payload a decoder hands on is decoded into views (structure walker), each view
// is searched for the profile's needles (one automaton) and, optionally, for generic identifiers and
// profile locations; what is found becomes `finding` records with their chain of encodings.

import type { PayloadChunk } from "../decode/stream-decoder.ts";
import type { ConnId } from "../model/conn.ts";
import type { FindingRecord } from "../model/finding.ts";
import type { ChainStep, GenericHit, Needle, View } from "./detect-types.ts";
import { excerptOf, type HideScanner } from "./excerpt.ts";
import { detectGeneric, LocationDetector } from "./generic/generic-detector.ts";
import { maskValue } from "./mask.ts";
import { Matcher, type MatchState } from "./matcher/matcher.ts";
import { walkPayload } from "./structure/walk.ts";

/** How a detector is set up. */
export interface DetectorOptions {
  /** The profile's needles (may be empty: generic detection only). */
  needles: readonly Needle[];
  /** Profile locations for the location detector. */
  locations?: { lat: number; lon: number; radius_m: number }[];
  /** Run the generic detectors too (default true). */
  generic?: boolean;
  /** Write values unmasked. */
  reveal?: boolean;
  /** Receives each finding. */
  onFinding: (f: FindingRecord) => void;
}

/** Request context remembered per connection so findings can name the host and URL. */
interface MessageContext {
  host?: string;
  url?: string;
  /** The URL as written out without --reveal (query values and profile values in the path masked). */
  maskedUrl?: string;
}

/** Finding keys remembered across live connections before the memory is cleared (bounds a long run). */
const MAX_SEEN = 100_000;
const EMPTY = new Uint8Array(0);
/** The view a raw stream's matches are reported on. */
const RAW_VIEW: View = { data: EMPTY, chain: [{ step: "raw.stream" }], field: "raw", leaf: false };

/** A raw stream's matcher state and the context its last chunk came with. */
interface StreamScan {
  state: MatchState;
  last: PayloadChunk;
  conn: ConnId;
  ctx: MessageContext;
}

/** Turns payloads into findings. One per run. */
export class Detector {
  private readonly matcher: Matcher;
  private readonly streams = new Map<string, StreamScan>();
  /** Message contexts by connection uid, then by message index: dropped in one step when the connection ends. */
  private readonly messages = new Map<string, Map<number, MessageContext>>();
  /** Keys of the findings emitted, by connection uid: dropped with the connection (its keys name it). */
  private readonly seen = new Map<string, Set<string>>();
  private seenCount = 0;
  private readonly locations: LocationDetector | undefined;
  private readonly generic: boolean;

  constructor(private readonly opts: DetectorOptions) {
    this.matcher = new Matcher(opts.needles);
    this.generic = opts.generic ?? true;
    this.locations = opts.locations?.length ? new LocationDetector(opts.locations) : undefined;
  }

  /** One payload of one connection. */
  payload(p: PayloadChunk, conn: ConnId): void {
    const ctx = this.context(p);
    if (p.layer === "raw.stream") this.scanStream(p, conn, ctx);
    else if (p.layer === "http.header") this.headers(p, conn, ctx);
    else this.walk(p, conn, ctx, p.data, { step: p.layer }, fieldOf(p.layer), false);
  }

  /** The connection ended: pending stream matches are flushed, then its states and contexts dropped. */
  endConnection(uid: string): void {
    for (const key of [`${uid}>`, `${uid}<`]) {
      const s = this.streams.get(key);
      if (!s) continue;
      this.matcher.flush(s.state, (n) => this.needleFinding(n, RAW_VIEW, s.last, s.conn, s.ctx));
      this.streams.delete(key);
    }
    this.messages.delete(uid);
    const keys = this.seen.get(uid);
    if (keys) {
      this.seenCount -= keys.size;
      this.seen.delete(uid);
    }
  }

  private context(p: PayloadChunk): MessageContext {
    let conn = this.messages.get(p.uid);
    if (!conn) {
      conn = new Map();
      this.messages.set(p.uid, conn);
    }
    const index = p.index ?? 0;
    let c = conn.get(index);
    if (!c) {
      c = {};
      conn.set(index, c);
    }
    if (p.layer === "http.uri" && p.fromOrig) c.url = latin1(p.data, 2048);
    if (p.layer === "tls.sni") c.host = latin1(p.data, 256);
    return c;
  }

  /** Header block: one walk per header line, keyed by the header's name; the host is known before any walk. */
  private headers(p: PayloadChunk, conn: ConnId, ctx: MessageContext): void {
    const lines = headerLines(p.data);
    if (p.fromOrig) {
      for (const h of lines) {
        const lower = h.name.toLowerCase();
        if (lower === "host" || lower === ":authority") ctx.host = latin1(h.value, 256);
      }
    }
    for (const h of lines) {
      this.walk(p, conn, ctx, h.value, { step: "http.header", at: h.name }, `header:${h.name}`, true);
    }
    if (ctx.url && ctx.host && ctx.url.startsWith("/")) ctx.url = `http://${ctx.host}${ctx.url}`;
  }

  /** Raw streams: the automaton continues across chunks so values split over segments are found. */
  private scanStream(p: PayloadChunk, conn: ConnId, ctx: MessageContext): void {
    const key = `${p.uid}${p.fromOrig ? ">" : "<"}`;
    let s = this.streams.get(key);
    if (!s) {
      s = { state: this.matcher.newState(), last: p, conn, ctx };
      this.streams.set(key, s);
    }
    s.last = { ...p, data: EMPTY };
    this.matcher.scanStream(s.state, p.data, (n) => this.needleFinding(n, RAW_VIEW, p, conn, ctx));
    this.walk(p, conn, ctx, p.data, { step: "raw.stream" }, "raw", false, true);
  }

  private walk(
    p: PayloadChunk,
    conn: ConnId,
    ctx: MessageContext,
    data: Uint8Array,
    root: ChainStep,
    field: string,
    leaf: boolean,
    skipRoot = false,
  ): void {
    const found: Found[] = [];
    let view: View = RAW_VIEW;
    const onNeedle = (n: number, start: number, end: number) =>
      found.push({ v: view, f: this.needleValue(n, view, start, end) });
    const onHit = (h: GenericHit) => found.push({ v: view, f: genericValue(h, view) });
    walkPayload(data, root, field, (v) => {
      const isRoot = v.chain.length === 1;
      if (isRoot && skipRoot) return;
      view = isRoot && leaf ? { ...v, leaf: true, key: root.at } : v;
      this.matcher.scan(view.data, onNeedle);
      if (this.generic && view.leaf) detectGeneric(view, onHit);
      if (this.locations && view.leaf) this.locations.view(view, onHit);
    });
    if (this.locations) {
      view = { data, chain: [root], field, leaf };
      this.locations.flush(onHit);
    }
    for (const x of mostSpecific(found)) this.emit(p, conn, ctx, x.v, x.f);
  }

  private needleFinding(n: number, v: View, p: PayloadChunk, conn: ConnId, ctx: MessageContext): void {
    this.emit(p, conn, ctx, v, this.needleValue(n, v));
  }

  private needleValue(n: number, v: View, start?: number, end?: number): FoundValue {
    const needle = this.opts.needles[n];
    return {
      at: start !== undefined && end !== undefined ? [start, end] : undefined,
      kind: needle.kind,
      label: needle.label,
      value: needle.value,
      chain: [...v.chain.map(stepText), ...needle.steps],
      generic: false,
      confidence: needle.confidence,
      variant: needle.variant,
    };
  }

  private emit(p: PayloadChunk, conn: ConnId, ctx: MessageContext, v: View, f: FoundValue): void {
    // One finding per (identifier, message, chain), as issue 4 asks: the field alone is not enough, since a
    // nested container may reuse its parent's name (`k=...&k=...` inside `k`) and the inner chain would be lost.
    if (!this.firstTime(p, f)) return;
    const frame = p.frame ?? 0;
    const rec: FindingRecord = {
      type: "finding",
      ts: p.ts,
      uid: conn.uid,
      community_id: conn.community_id,
      orig_h: conn.orig_h,
      orig_p: conn.orig_p,
      resp_h: conn.resp_h,
      resp_p: conn.resp_p,
      kind: f.kind,
      label: f.label,
      value_masked: this.opts.reveal ? f.value : maskValue(f.value),
      chain: f.chain,
      generic: f.generic,
      confidence: f.confidence,
      frames: [frame, frame],
      field: v.field,
      direction: p.fromOrig ? "to_server" : "from_server",
      host: ctx.host ?? conn.resp_h,
      variant: f.variant,
      transport: p.transport ?? "cleartext",
    };
    if (ctx.url) rec.url = this.opts.reveal ? ctx.url : this.maskedUrl(ctx);
    if (f.precision !== undefined) rec.precision = f.precision;
    const site = { payload: p.data, view: v.data, at: f.at, value: f.value };
    const excerpt = excerptOf(site, this.opts.reveal === true, this.hideScan);
    if (excerpt !== undefined) rec.excerpt = excerpt;
    this.opts.onFinding(rec);
  }

  /** True the first time a (message, layer, identifier, chain) is seen on the payload's connection. */
  private firstTime(p: PayloadChunk, f: FoundValue): boolean {
    const key = `${p.index ?? 0}|${p.fromOrig}|${p.layer}|${f.kind}|${f.value}|${f.chain.join("\u203a")}|${f.generic}`;
    let keys = this.seen.get(p.uid);
    if (keys?.has(key)) return false;
    if (this.seenCount >= MAX_SEEN) {
      this.seen.clear();
      this.seenCount = 0;
      keys = undefined;
    }
    if (!keys) {
      keys = new Set();
      this.seen.set(p.uid, keys);
    }
    keys.add(key);
    this.seenCount++;
    return true;
  }

  /** Hides every profile value in an excerpt. */
  private readonly hideScan: HideScanner = (bytes, hide) =>
    this.matcher.scan(bytes, (_n, start, end) => hide(start, end));

  /** Privacy by default: a URL carries identifiers too, so its query values and any needle in it are masked. */
  private maskedUrl(ctx: MessageContext): string {
    if (ctx.maskedUrl !== undefined) return ctx.maskedUrl;
    const url = ctx.url ?? "";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const bytes = Buffer.from(path, "latin1");
    const hide = new Uint8Array(bytes.length);
    this.matcher.scan(bytes, (_n, start, end) => hide.fill(1, Math.max(0, start), end));
    let out = "";
    for (let i = 0; i < path.length; i++) out += hide[i] ? "•" : path[i];
    if (q >= 0) {
      const query = url.slice(q + 1).replace(/=[^&#]*/g, (v) => (v.length > 1 ? "=•••" : v));
      out += `?${query}`;
    }
    ctx.maskedUrl = out;
    return out;
  }
}

interface FoundValue {
  /** Range of the value within the view, when the matcher gave it. */
  at?: [number, number];
  kind: FindingRecord["kind"];
  label: string;
  value: string;
  chain: string[];
  generic: boolean;
  confidence: number;
  variant: string;
  precision?: number;
}

function genericValue(h: GenericHit, v: View): FoundValue {
  return {
    kind: h.kind,
    label: `${h.kind.replace(/_/g, " ")} (generic: ${h.reason})`,
    value: h.value,
    chain: v.chain.map(stepText),
    generic: true,
    confidence: h.confidence,
    variant: "generic",
    precision: h.precision,
  };
}

interface Found {
  v: View;
  f: FoundValue;
}

/**
 * One payload's finds, keeping the most telling of each value: a value seen both in a layer and in a part
 * decoded from it (the body and its JSON leaf) is reported at the deepest part, and a generic guess is dropped
 * where the profile matched the same value in the same place.
 */
function mostSpecific(found: Found[]): Found[] {
  if (found.length < 2) return found;
  return found.filter((a) => !found.some((b) => b !== a && outranks(b, a)));
}

/** True when `b` reports the same value as `a`, better: deeper in the same chain, or from the profile. */
function outranks(b: Found, a: Found): boolean {
  if (b.f.kind !== a.f.kind && !(a.f.generic && !b.f.generic)) return false;
  if (
    b.f.value !== a.f.value &&
    !(a.f.generic && b.f.value.replace(/\D/g, "") === a.f.value.replace(/\D/g, ""))
  )
    return false;
  const deeper = b.v.chain.length > a.v.chain.length && a.v.chain.every((s, i) => sameStep(s, b.v.chain[i]));
  if (deeper) return true;
  return (
    a.f.generic &&
    !b.f.generic &&
    b.v.chain.length === a.v.chain.length &&
    a.v.chain.every((s, i) => sameStep(s, b.v.chain[i]))
  );
}

function sameStep(x: ChainStep, y: ChainStep): boolean {
  return x.step === y.step && x.at === y.at;
}

function stepText(s: ChainStep): string {
  return s.at === undefined ? s.step : `${s.step} ${s.at}`;
}

/** `Name: value` lines of a header block (CRLF or LF); HTTP/2 and HTTP/3 pseudo-headers keep their colon. */
function headerLines(d: Uint8Array): { name: string; value: Uint8Array }[] {
  const out: { name: string; value: Uint8Array }[] = [];
  let start = 0;
  while (start < d.length) {
    let end = d.indexOf(0x0a, start);
    if (end < 0) end = d.length;
    const line = d.subarray(start, end > start && d[end - 1] === 0x0d ? end - 1 : end);
    start = end + 1;
    const colon = line.indexOf(0x3a, line[0] === 0x3a ? 1 : 0);
    if (colon <= 0) continue;
    let v = colon + 1;
    while (v < line.length && (line[v] === 0x20 || line[v] === 0x09)) v++;
    out.push({ name: latin1(line.subarray(0, colon), 256).trim(), value: line.subarray(v) });
  }
  return out;
}

function fieldOf(layer: string): string {
  if (layer === "http.uri") return "uri";
  if (layer === "http.body") return "body";
  return layer;
}

function latin1(b: Uint8Array, max: number): string {
  return Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, max)).toString("latin1");
}
