// The `--threads` option of analyze, diff and logs: where the leak detector runs.

import { THREAD_CHOICES, type Threads } from "../app/detect-pool.ts";
import { UsageError } from "./usage-error.ts";

/** Help text of `--threads <n>`. */
export const THREADS_HELP =
  "1 (default, auto): everything on one thread, within the memory bound; 2: the leak detector on a second one (faster on large captures, more memory)";

/** A `--threads` value: 1, 2, or undefined for auto. */
export function checkThreads(text: string | undefined): Threads | undefined {
  if (text === undefined || text === "auto") return undefined;
  const n = Number(text);
  if (!(THREAD_CHOICES as readonly number[]).includes(n)) {
    throw new UsageError(`--threads takes ${THREAD_CHOICES.join(", ")} or auto, not '${text}'`);
  }
  return n as Threads;
}
