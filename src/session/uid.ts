// Connection uids in Zeek's shape (`C` + 17 base62 characters): deterministic for a given seed so two runs
// over the same input give the same uids, yet unrelated across seeds. The seed is hashed once per run; each
// connection's uid comes from integer mixing of the seed's keys and the connection counter.

import { fmix32, sha1 } from "./digest.ts";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Characters after the `C` prefix. */
export const UID_DIGITS = 17;

// Char codes of the uid being built: joined in one step, the uid is one flat string rather than a chain
// of 18 concatenations that would stay in memory as long as the connection.
const codes: number[] = new Array<number>(1 + UID_DIGITS).fill(0x43); // "C"

/** Writes `count` base62 digits of the whole number `x` (< 2^53) into `codes` from `at`, least significant first. */
function base62(x: number, count: number, at: number): void {
  for (let i = 0; i < count; i++) {
    codes[at + i] = BASE62.charCodeAt(x % 62);
    x = Math.floor(x / 62);
  }
}

/** Four 32-bit keys from the seed (one SHA-1 per run): the same seed always gives the same uids. */
function seedKeys(seed: string): Int32Array {
  const d = sha1(new TextEncoder().encode(seed));
  return new Int32Array([d.readInt32BE(0), d.readInt32BE(4), d.readInt32BE(8), d.readInt32BE(12)]);
}

/**
 * `C` + 17 base62 digits for connection `counter` under `keys`: four words, each a bijection of the
 * counter's low half under its own key (so two connections of a run never share a word), the high half mixed
 * into all four. ~101 bits in all, as much as 17 base62 digits hold. (A SHA-1 per connection cost ~90 ms
 * per GiB of capture.)
 */
function uidOf(keys: Int32Array, counter: number): string {
  const lo = counter | 0;
  const h = fmix32(Math.floor(counter / 2 ** 32) ^ keys[3]);
  const w0 = fmix32(lo ^ keys[0]) ^ h;
  const w1 = fmix32((lo ^ keys[1]) + h);
  const w2 = fmix32((lo + keys[2]) ^ h);
  const w3 = fmix32(lo ^ keys[3] ^ 0x5bd1e995) ^ h;
  // Two 48-bit numbers give 8 digits each (62^8 < 2^48, so nearly uniform), and one byte the last.
  base62((w0 >>> 0) * 65536 + (w2 >>> 16), 8, 1);
  base62((w1 >>> 0) * 65536 + (w2 & 0xffff), 8, 9);
  base62(w3 & 0xff, 1, 17);
  return String.fromCharCode.apply(null, codes);
}

/** The uid of connection number `counter` under `seed`. */
export function makeUid(seed: string, counter: number): string {
  return uidOf(seedKeys(seed), counter);
}

/** Hands out uids for successive connections of one run. */
export class UidGenerator {
  private counter = 0;
  private readonly keys: Int32Array;
  /** `seed` makes the sequence deterministic per input (e.g. the capture's name or digest). */
  constructor(seed = "") {
    this.keys = seedKeys(seed);
  }
  /** The next connection's uid. */
  next(): string {
    return uidOf(this.keys, this.counter++);
  }
}
