// Matcher throughput: MB/s of the multi-pattern matcher for 20, 500 and 5,000 needles over 64 MiB of
// random-ish text (words, digits, hex, JSON punctuation) with some needles planted. A script, not a test.
// Usage: npx tsx bench/matcher-bench.ts [--mib 64] [--dense-cells N]

import type { Needle } from "../src/detect/detect-types.ts";
import { Matcher } from "../src/detect/matcher/matcher.ts";

const args = process.argv.slice(2);
const mibArg = args.indexOf("--mib");
const MIB = mibArg >= 0 ? Number(args[mibArg + 1]) : 64;
const SIZE = MIB * 1024 * 1024;
const CHUNK = 1448; // a typical TCP segment payload
const RUNS = 3;
const denseArg = args.indexOf("--dense-cells");
const DENSE = denseArg >= 0 ? Number(args[denseArg + 1]) : undefined;

/** Deterministic PRNG so every run scans the same bytes. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = prng(42);
const pick = (s: string): string => s[Math.floor(rnd() * s.length)];
const str = (alphabet: string, len: number): string =>
  Array.from({ length: len }, () => pick(alphabet)).join("");
const HEX = "0123456789abcdef";
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const WORDS = ["the", "device", "id", "user", "event", "session", "token", "value", "name", "data", "true"];

/** One needle shaped like a profile variant (digits, hashes, base64, emails, names). */
function makeNeedle(i: number): Needle {
  const shapes: Array<() => [string, Partial<Needle>]> = [
    () => [str("0123456789", 15), {}],
    () => [str(HEX, 32), {}],
    () => [str(HEX, 40).toUpperCase(), {}],
    () => [str(HEX, 64), {}],
    () => [str(B64, 12 + Math.floor(rnd() * 40)), {}],
    () => [`${str("abcdefghijklmnopqrstuvwxyz", 8)}@example.org`, { caseInsensitive: true }],
    () => [
      `${str("abcdefghijklmnopqrstuvwxyz", 5)} ${str("abcdefghij", 6)}`,
      { caseInsensitive: true, wholeWord: true },
    ],
  ];
  const [s, opts] = shapes[i % shapes.length]();
  return {
    bytes: new TextEncoder().encode(s),
    kind: "custom",
    label: `n${i}`,
    value: s,
    variant: "exact",
    steps: [],
    confidence: 1,
    ...opts,
  };
}

/** Random-ish text: JSON-like fields of words, numbers and hex, with needles planted now and then. */
function makeText(needles: Needle[]): Uint8Array {
  const out = new Uint8Array(SIZE);
  let o = 0;
  let k = 0;
  while (o < SIZE) {
    let piece: string;
    const r = rnd();
    if (r < 0.0005) piece = new TextDecoder().decode(needles[k++ % needles.length].bytes);
    else if (r < 0.5) piece = `"${WORDS[Math.floor(rnd() * WORDS.length)]}":`;
    else if (r < 0.7) piece = `${Math.floor(rnd() * 1e9)},`;
    else if (r < 0.85) piece = `"${str(HEX, 8 + Math.floor(rnd() * 24))}",`;
    else piece = `${str(B64, 4 + Math.floor(rnd() * 20))} `;
    for (let j = 0; j < piece.length && o < SIZE; j++) out[o++] = piece.charCodeAt(j);
  }
  return out;
}

/** CPU milliseconds (user + system) of `fn`, best of `runs`: other processes on the box do not count. */
function cpuMs(runs: number, fn: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  return best;
}

function bench(count: number, allNeedles: Needle[], text: Uint8Array): void {
  const needles = allNeedles.slice(0, count);
  const t0 = performance.now();
  const m = new Matcher(needles, { denseCells: DENSE });
  const buildMs = performance.now() - t0;
  let hits = 0;
  const on = (): void => {
    hits++;
  };
  const oneShot = cpuMs(RUNS, () => m.scan(text, on));
  const streamed = cpuMs(RUNS, () => {
    const st = m.newState();
    for (let o = 0; o < text.length; o += CHUNK) m.scanStream(st, text.subarray(o, o + CHUNK), on);
    m.flush(st, on);
  });
  const mbps = (ms: number): string => (text.length / 1e6 / (ms / 1000)).toFixed(0).padStart(6);
  console.log(
    `${String(count).padStart(5)} needles  build ${buildMs.toFixed(0).padStart(4)} ms  ` +
      `${(m.byteSize / 1024 / 1024).toFixed(2).padStart(6)} MiB  scan ${mbps(oneShot)} MB/s  ` +
      `stream(${CHUNK} B chunks) ${mbps(streamed)} MB/s  matches/pass ${hits / (2 * RUNS)}`,
  );
}

const all = Array.from({ length: 5000 }, (_, i) => makeNeedle(i));
const text = makeText(all.slice(0, 20));
console.log(`matcher bench: ${MIB} MiB of text, node ${process.version}, MB/s of CPU time, best of ${RUNS}`);
/** Baseline on this machine: one table lookup per byte with no state chain (an upper bound for any scan). */
const table = new Uint8Array(256).map((_, i) => i & 63);
let sink = 0;
const base = cpuMs(RUNS, () => {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += table[text[i]];
  sink += sum;
});
console.log(
  `baseline (byte-table sum, no automaton) ${(text.length / 1e6 / (base / 1000)).toFixed(0)} MB/s (${sink > 0})`,
);
for (const n of [20, 500, 5000]) bench(n, all, text);
