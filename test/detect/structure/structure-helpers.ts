// Test helpers for the structure walker: run a walk and render chains as text, plus small encoders
// (protobuf wire format, a raw-block zstd frame) that build inputs whose layout the test plants.

import type { View } from "../../../src/detect/detect-types.ts";
import { type WalkOptions, walkPayload } from "../../../src/detect/structure/walk.ts";

/** A view with its chain rendered as `http.body › gzip › json $.a`. */
export interface SeenView extends View {
  /** Chain rendered as text. */
  chainText: string;
  /** The bytes as UTF-8 text. */
  text: string;
}

const utf8 = new TextDecoder();

/** UTF-8 bytes of a string. */
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Every view of a walk, in visiting order. */
export function walkAll(data: Uint8Array, root = "http.body", opts?: WalkOptions): SeenView[] {
  const out: SeenView[] = [];
  walkPayload(
    data,
    { step: root },
    "body",
    (v) => {
      const chainText = v.chain.map((c) => (c.at === undefined ? c.step : `${c.step} ${c.at}`)).join(" › ");
      out.push({ ...v, chainText, text: utf8.decode(v.data) });
    },
    opts,
  );
  return out;
}

/** Views whose chain is exactly `chain`. */
export function withChain(views: SeenView[], chain: string): SeenView[] {
  return views.filter((v) => v.chainText === chain);
}

/** Protobuf varint bytes. */
export function varint(v: bigint | number): number[] {
  let x = BigInt(v);
  const out: number[] = [];
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x > 0n ? b | 0x80 : b);
  } while (x > 0n);
  return out;
}

/** One protobuf field: varint (number/bigint), length-delimited (bytes or string), or fixed64 double. */
export function pbField(
  field: number,
  value: number | bigint | string | Uint8Array | { double: number },
): number[] {
  if (typeof value === "number" || typeof value === "bigint") return [...varint(field * 8), ...varint(value)];
  if (typeof value === "object" && "double" in value) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value.double, true);
    return [...varint(field * 8 + 1), ...b];
  }
  const bytes = typeof value === "string" ? enc(value) : value;
  return [...varint(field * 8 + 2), ...varint(bytes.length), ...bytes];
}

/** A zstd frame (RFC 8878) holding `data` as one raw block: magic, single-segment header, 4-byte size. */
export function zstdRaw(data: Uint8Array): Uint8Array {
  const n = data.length;
  const head = [0x28, 0xb5, 0x2f, 0xfd, 0xa0, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  const block = 1 | (n << 3);
  return Uint8Array.from([...head, block & 0xff, (block >> 8) & 0xff, (block >> 16) & 0xff, ...data]);
}
