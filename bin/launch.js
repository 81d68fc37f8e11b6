// Runs phonehome again with memory-lean V8 settings when its inputs are large (issue 8: peak memory bounded
// by configuration, not by the input). V8 sizes its young generation for speed (up to 16 MiB per semi-space,
// 32 MiB or more resident) and glibc gives every thread that allocates its own arena; on a capture of
// hundreds of megabytes both are resident for the whole run. These settings can only be given when the
// process starts, so the launcher starts a second one; small inputs run at once (start-up stays short).

import { spawn } from "node:child_process";
import { statSync } from "node:fs";

/** V8 flags of a lean run: semi-spaces of 4 MiB, and `gc()` for the heap budget (src/app/heap-budget.ts). */
export const LEAN_FLAGS = ["--max-semi-space-size=4", "--expose-gc"];

/** Total input size from which a run is relaunched lean. */
export const LEAN_MIN_BYTES = 64 * 1024 * 1024;

/** Commands that read captures. */
const CAPTURE_COMMANDS = new Set(["analyze", "logs", "info", "diff"]);

/** Set in the relaunched process, so it never relaunches again. */
export const LEAN_ENV = "PHONEHOME_LEAN";

/**
 * The V8 flags to relaunch with, or none: for a capture command whose file arguments total at least
 * `minBytes` (standard input `-` counts as large: its size is unknown), unless already lean or
 * `PHONEHOME_LEAN=0`.
 * @param {readonly string[]} args command-line arguments after the script
 * @param {Record<string, string | undefined>} env the environment
 * @param {number} [minBytes]
 * @returns {string[]}
 */
export function leanFlags(args, env, minBytes = LEAN_MIN_BYTES) {
  if (env[LEAN_ENV] !== undefined) return [];
  if (!CAPTURE_COMMANDS.has(args[0] ?? "")) return [];
  let total = 0;
  for (const a of args.slice(1)) {
    if (a === "-") return LEAN_FLAGS;
    if (a.startsWith("-")) continue;
    try {
      const s = statSync(a);
      if (s.isFile()) total += s.size;
    } catch {
      // not a file: an option's value or a missing input (reported by the run itself)
    }
  }
  return total >= minBytes ? LEAN_FLAGS : [];
}

/**
 * Runs `script args` in a new Node process with `flags`, passing standard streams through and forwarding
 * SIGINT/SIGTERM/SIGHUP; resolves when it ends, with the exit code to end with (128 + n after a signal).
 * @param {string[]} flags
 * @param {string} script
 * @param {string[]} args
 * @returns {Promise<number>}
 */
export function relaunch(flags, script, args) {
  const env = { ...process.env, [LEAN_ENV]: "1" };
  // glibc: one malloc arena per thread would keep memory freed on reader threads resident.
  env.MALLOC_ARENA_MAX ??= "2";
  const child = spawn(process.execPath, [...process.execArgv, ...flags, script, ...args], {
    stdio: "inherit",
    env,
  });
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  const forward = (/** @type {NodeJS.Signals} */ sig) => child.kill(sig);
  for (const s of signals) process.on(s, forward);
  return new Promise((resolve) => {
    child.on("error", (e) => {
      process.stderr.write(
        `phonehome: cannot start a lean run (${e.message}); set ${LEAN_ENV}=0 to run in place\n`,
      );
      resolve(2);
    });
    child.on("exit", (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolve(code ?? 128 + (signal ? signalNumber(signal) : 1));
    });
  });
}

/** @param {string} signal */
function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal] ?? 1;
}
