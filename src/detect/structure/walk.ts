// Structured decoding of one payload, recursively: the payload is the first view, and every layer a format
// decoder finds in a view (form/query values, JSON leaves, multipart parts, protobuf fields, base64/hex
// values, decompressed bytes) becomes a view too, with the chain of steps that reached it.
// Each decoder sniffs cheaply first, so random or encrypted bytes cost a few byte checks. The walk is bounded
// in depth, number of views and derived bytes, and never throws on malformed input.

import type { ChainStep, View } from "../detect-types.ts";
import { decodeBase64Value, decodeHexValue } from "./base64-hex.ts";
import { decodeCompressed } from "./compressed.ts";
import { decodeForm } from "./form-fields.ts";
import { decodeJson } from "./json-leaves.ts";
import { boundaryFromContentType, decodeMultipart } from "./multipart-parts.ts";
import { decodeProtobuf } from "./protobuf-fields.ts";
import { isMessage } from "./protobuf-wire.ts";
import type { ChildSink, StructureWeirdName } from "./structure-types.ts";
import { isPrintable } from "./text-bytes.ts";

/** Bounds and context of one walk. */
export interface WalkOptions {
  /** Most decoding steps below the payload (default 6). */
  maxDepth?: number;
  /** Most views per payload, the payload included (default 4096). */
  maxViews?: number;
  /** Most bytes the walk may allocate for derived layers (default 8× the payload, at least 1 MiB, ≤ 64 MiB). */
  maxDerivedBytes?: number;
  /** Cap on one decompression's output (default 8 MiB). */
  maxDecompressed?: number;
  /** The message's Content-Type, when known: gives a multipart body its boundary. */
  contentType?: string;
  /** Told once per walk and name when a bound cut the walk short (names in STRUCTURE_WEIRD_NAMES). */
  onWeird?: (name: StructureWeirdName, detail: string) => void;
}

/** Default depth bound. */
export const DEFAULT_MAX_DEPTH = 6;
/** Default view bound. */
export const DEFAULT_MAX_VIEWS = 4096;
/** Default cap on one decompression. */
export const DEFAULT_MAX_DECOMPRESSED = 8 * 1024 * 1024;

const MIN_DECODABLE = 3;
const MIN_DERIVED = 1024 * 1024;
const MAX_DERIVED = 64 * 1024 * 1024;

/** Calls visit for the payload itself and for every layer decoded from it, recursively, depth-first. */
export function walkPayload(
  data: Uint8Array,
  root: ChainStep,
  field: string,
  visit: (v: View) => void,
  opts: WalkOptions = {},
): void {
  const w = new Walk(data.length, visit, opts);
  w.view(data, [root], undefined, field, false);
}

/** The state one walk shares across its views: budgets and the weirds already reported. */
class Walk {
  viewsLeft: number;
  bytesLeft: number;
  readonly maxDepth: number;
  readonly maxDecompressed: number;
  readonly boundary: string | undefined;
  /** Weird names already reported (made on the first one: most walks report none). */
  private reported: Set<string> | undefined;

  constructor(
    size: number,
    readonly visit: (v: View) => void,
    readonly opts: WalkOptions,
  ) {
    this.viewsLeft = opts.maxViews ?? DEFAULT_MAX_VIEWS;
    this.bytesLeft = opts.maxDerivedBytes ?? Math.min(MAX_DERIVED, Math.max(MIN_DERIVED, 8 * size));
    this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxDecompressed = opts.maxDecompressed ?? DEFAULT_MAX_DECOMPRESSED;
    this.boundary = boundaryFromContentType(opts.contentType);
  }

  weird(name: StructureWeirdName, detail: string): void {
    this.reported ??= new Set();
    if (this.reported.has(name)) return;
    this.reported.add(name);
    this.opts.onWeird?.(name, detail);
  }

  /** Visits one view and decodes it further; false once the view budget is spent. */
  view(data: Uint8Array, chain: ChainStep[], key: string | undefined, field: string, leaf: boolean): boolean {
    if (this.viewsLeft <= 0) {
      this.weird("structure_view_limit", `more than ${this.opts.maxViews ?? DEFAULT_MAX_VIEWS} views`);
      return false;
    }
    this.viewsLeft--;
    this.visit(key === undefined ? { data, chain, field, leaf } : { data, chain, key, field, leaf });
    // Nothing decodable is shorter than `a=b`; tiny leaves (numbers, flags) are the common case.
    if (chain.length - 1 >= this.maxDepth || data.length < MIN_DECODABLE) return true;
    const sink = new NodeSink(this, chain, key, field, leaf);
    decodeView(data, sink, chain, this.boundary);
    return this.viewsLeft > 0;
  }
}

/** Tries the format decoders in order of how telling their sniff is; the first that recognises the bytes wins. */
function decodeView(
  data: Uint8Array,
  sink: NodeSink,
  chain: ChainStep[],
  boundary: string | undefined,
): void {
  if (decodeCompressed(data, sink)) return;
  const isRoot = chain.length === 1;
  if (isRoot && boundary && decodeMultipart(data, sink, boundary)) return;
  if (decodeJson(data, sink) || decodeMultipart(data, sink)) return;
  // A hex string is also valid base64; only one of the two usually decodes to something worth reading.
  const b64 = decodeBase64Value(data, sink);
  if (decodeHexValue(data, sink) || b64) return;
  if (decodeForm(data, sink)) return;
  // Both tests must pass; the wire-format parse rejects text and random bytes within a few bytes, while the
  // printable check would read a whole HTML page first.
  if (isMessage(data) && !isPrintable(data)) decodeProtobuf(data, sink);
}

/** The ChildSink of one view: children extend its chain and inherit its key, field and leaf flag. */
class NodeSink implements ChildSink {
  readonly maxDecompressed: number;
  readonly isUri: boolean;

  constructor(
    private readonly walk: Walk,
    private readonly chain: ChainStep[],
    private readonly key: string | undefined,
    private readonly field: string,
    private readonly leaf: boolean,
  ) {
    this.maxDecompressed = walk.maxDecompressed;
    this.isUri = chain.length === 1 && (chain[0].step.endsWith("uri") || chain[0].step.endsWith("url"));
  }

  emit(
    data: Uint8Array,
    step: string,
    at: string | undefined,
    key: string | undefined,
    field: string | undefined,
    leaf: boolean | undefined,
  ): boolean {
    const chain = [...this.chain, at === undefined ? { step } : { step, at }];
    return this.walk.view(data, chain, key ?? this.key, field ?? this.field, leaf ?? this.leaf);
  }

  reserve(n: number): boolean {
    if (n > this.walk.bytesLeft) {
      this.walk.weird("structure_derived_bytes_limit", `derived-bytes budget spent (${n} more wanted)`);
      return false;
    }
    this.walk.bytesLeft -= n;
    return true;
  }

  bytesLeft(): number {
    return this.walk.bytesLeft;
  }

  weird(name: StructureWeirdName, detail: string): void {
    this.walk.weird(name, detail);
  }
}
