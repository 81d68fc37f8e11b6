// Connection uids in Zeek's shape (`C` + 17 base62 characters): deterministic for a given seed so two runs
// over the same input give the same uids, yet unrelated across seeds. One hash per connection.

import { sha1 } from "./digest.ts";

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

/** The hash input: the seed's UTF-8 bytes, a 0 separator, then the counter as 8 big-endian bytes. */
function uidInput(seed: string): Uint8Array {
  const s = new TextEncoder().encode(seed);
  const out = new Uint8Array(s.length + 9);
  out.set(s, 0);
  return out;
}

/** Writes `counter` into the last 8 bytes of `input` and returns `C` + 17 base62 digits of its SHA-1. */
function uidOf(input: Uint8Array, counter: number): string {
  const n = input.length;
  const hi = Math.floor(counter / 2 ** 32);
  for (let i = 0; i < 4; i++) {
    input[n - 8 + i] = (hi >>> (24 - 8 * i)) & 0xff;
    input[n - 4 + i] = (counter >>> (24 - 8 * i)) & 0xff;
  }
  const d = sha1(input);
  // Two 48-bit slices give 8 digits each (62^8 < 2^48, so nearly uniform) and one byte gives the last:
  // ~101 bits in all, as much as 17 base62 digits can hold, with plain float arithmetic.
  base62(d.readUIntBE(0, 6), 8, 1);
  base62(d.readUIntBE(6, 6), 8, 9);
  base62(d[12], 1, 17);
  return String.fromCharCode.apply(null, codes);
}

/** The uid of connection number `counter` under `seed`: `C` + 17 base62 digits of SHA-1(seed, 0, counter). */
export function makeUid(seed: string, counter: number): string {
  return uidOf(uidInput(seed), counter);
}

/** Hands out uids for successive connections of one run. */
export class UidGenerator {
  private counter = 0;
  private readonly input: Uint8Array;
  /** `seed` makes the sequence deterministic per input (e.g. the capture's name or digest). */
  constructor(seed = "") {
    this.input = uidInput(seed);
  }
  /** The next connection's uid. */
  next(): string {
    return uidOf(this.input, this.counter++);
  }
}
