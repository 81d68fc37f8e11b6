// The benchmark's rows for a capture that is mostly TLS with its keys inside (issue 7): phonehome analyze
// decrypting and reading every connection, and tshark doing the same work on the same file. The file is the
// TLS twin of the run's phone capture: same size label and seed, made by bench/gen-tls.ts (before timing
// starts) when it is not cached.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CaptureSet } from "./gen-capture.ts";
import { cachedTlsCapture } from "./gen-tls.ts";
import type { Stage } from "./run.ts";

/** What the rows need from the harness (passed in, so this module does not import run.ts at run time). */
export interface TlsStageDeps {
  /** The node binary. */
  node: string;
  /** bin/phonehome.js. */
  cli: string;
  /** The harness's recall of `analyze --reveal` output against a capture's truth file. */
  recall: (stdoutFile: string, c: CaptureSet) => string;
}

/** The size label and seed of a phone capture's file name (`phone-1G-s2.pcap` → 1G, 2); else its byte count. */
export function labelOf(c: CaptureSet): { label: string; seed: number } {
  const m = /^phone-([0-9.]+[KMGT]?)(?:-s(\d+))?\.pcap$/i.exec(basename(c.file));
  return m ? { label: m[1], seed: m[2] ? Number(m[2]) : 1 } : { label: String(c.bytes), seed: 1 };
}

/**
 * The TLS capture matching `c`, generated in a child process when missing (its progress goes to stderr).
 * Undefined when generation failed.
 */
export function tlsTwin(c: CaptureSet): CaptureSet | undefined {
  const { label, seed } = labelOf(c);
  const hit = cachedTlsCapture(label, seed);
  if (hit) return hit;
  const root = fileURLToPath(new URL("..", import.meta.url));
  const gen = join(root, "bench", "gen-tls.ts");
  spawnSync(process.execPath, ["--import", "tsx", gen, "--size", label, "--seed", String(seed)], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return cachedTlsCapture(label, seed);
}

/** A command that fails with `why`, so the row says so instead of the run stopping. */
function failing(node: string, why: string): string[] {
  return [node, "-e", `process.stderr.write(${JSON.stringify(`${why}\n`)}); process.exit(1)`];
}

/**
 * `tls` records in analyze's JSONL output: all, decrypted, and established (handshake complete) but not
 * decrypted. A connection cut by the end of the file before its ServerHello has nothing to decrypt.
 */
export function tlsDecryption(stdoutFile: string): { tls: number; decrypted: number; failed: number } {
  const n = { tls: 0, decrypted: 0, failed: 0 };
  for (const line of readFileSync(stdoutFile, "utf8").split("\n")) {
    if (!line.startsWith('{"type":"tls"')) continue;
    n.tls++;
    const decrypted = line.includes('"decrypted":true');
    if (decrypted) n.decrypted++;
    else if (line.includes('"established":true')) n.failed++;
  }
  return n;
}

/**
 * The rows: analyze with the profile on the TLS twin (recall of the values planted inside the encrypted
 * requests), and tshark's HTTP statistics of the same file, which it can only compute by decrypting it with
 * the embedded key log. MB/s uses the run's capture size, which the twin matches to within one frame.
 */
export function tlsStages(d: TlsStageDeps): Stage[] {
  const none = "TLS capture generation failed (see above)";
  return [
    {
      name: "phonehome analyze (TLS with keys)",
      argv: (c) => {
        const t = tlsTwin(c);
        if (!t) return failing(d.node, none);
        return [
          d.node,
          d.cli,
          "analyze",
          t.file,
          "--profile",
          t.profileFile,
          "--format",
          "jsonl",
          "--reveal",
        ];
      },
      check: (out, c) => {
        const t = tlsTwin(c);
        if (!t) return none;
        const n = tlsDecryption(out);
        const failed = n.failed > 0 ? ` (${n.failed} established but not decrypted)` : "";
        return `${d.recall(out, t)}, ${n.decrypted}/${n.tls} TLS decrypted${failed}`;
      },
    },
    {
      name: "tshark -q -z http,tree (TLS with keys)",
      argv: (c) => {
        const t = tlsTwin(c);
        return t ? ["tshark", "-r", t.file, "-q", "-z", "http,tree"] : failing(d.node, none);
      },
    },
  ];
}
